/**
 * Triplets on a grid of sixteenths: three notes in the time of two eighths (a quarter note's
 * span, 4 steps) or of two quarters (a half note's span, 8 steps).
 *
 * The melody keeps its notes on the 16th grid, where a triplet's notes round to fixed places
 * (an eighth triplet from step s: s, s+1, s+3; a quarter triplet: s, s+3, s+5), so everything
 * that reads steps (the analysis, the model, the lessons) goes on working. `Melody.tuplets` says
 * which spans were written as triplets; the score writes them so, and playback and saving sound
 * them at their true thirds (`soundingTimes`). A tuplet the notes no longer fit (after an edit)
 * is simply not one: `fittingTuplets` checks each against the notes every time.
 */
import type { Melody, Note, Steps } from './melody.ts';

/** Three notes in the time of two: from `start`, lasting `span` steps (4: eighths, 8: quarters). */
export interface Tuplet {
  readonly start: Steps;
  readonly span: TripletSpan;
}

export const TRIPLET_SPANS = [4, 8] as const;
export type TripletSpan = (typeof TRIPLET_SPANS)[number];

/** The grid steps a triplet's three notes round to, and its end. */
export function tripletSlots(t: Tuplet): readonly [Steps, Steps, Steps, Steps] {
  return [
    t.start,
    t.start + Math.round(t.span / 3),
    t.start + Math.round((2 * t.span) / 3),
    t.start + t.span,
  ];
}

/** A tuplet and the melody notes (indices) that are its three. */
export interface FittedTuplet {
  readonly tuplet: Tuplet;
  readonly notes: readonly [number, number, number];
}

/**
 * The melody's tuplets that its notes fit: exactly three notes start in the span, at its slots,
 * none sounds past its end, and the note before ends by its start. Sorted by start.
 */
export function fittingTuplets(melody: Pick<Melody, 'notes' | 'tuplets'>): FittedTuplet[] {
  const out: FittedTuplet[] = [];
  const notes = melody.notes;
  for (const tuplet of [...(melody.tuplets ?? [])].sort((a, b) => a.start - b.start)) {
    const slots = tripletSlots(tuplet);
    const first = firstStartingAt(notes, tuplet.start);
    if (first < 0) continue;
    const three = [first, first + 1, first + 2] as const;
    const fits =
      three.every((i, k) => notes[i]?.start === slots[k]) &&
      notes[first + 2]!.end <= slots[3] &&
      (notes[first + 3]?.start ?? Infinity) >= slots[3] &&
      (first === 0 || notes[first - 1]!.end <= tuplet.start) &&
      (out.length === 0 || out.at(-1)!.tuplet.start + out.at(-1)!.tuplet.span <= tuplet.start);
    if (fits) out.push({ tuplet, notes: three });
  }
  return out;
}

function firstStartingAt(notes: readonly Note[], step: Steps): number {
  let lo = 0;
  let hi = notes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (notes[mid]!.start < step) lo = mid + 1;
    else hi = mid;
  }
  return notes[lo]?.start === step ? lo : -1;
}

/**
 * When each note sounds, in steps (fractional inside a triplet): a triplet's notes start on its
 * true thirds, and a note held to the next slot ends on that slot's true third. Every other note
 * sounds as written.
 */
export function soundingTimes(melody: Pick<Melody, 'notes' | 'tuplets'>): { start: number; end: number }[] {
  const times = melody.notes.map((n) => ({ start: n.start, end: n.end }));
  for (const { tuplet, notes } of fittingTuplets(melody)) {
    const slots = tripletSlots(tuplet);
    notes.forEach((i, k) => {
      const trueStart = tuplet.start + (k * tuplet.span) / 3;
      const trueNext = tuplet.start + ((k + 1) * tuplet.span) / 3;
      const held = melody.notes[i]!.end >= slots[k + 1]!;
      times[i] = { start: trueStart, end: held ? trueNext : Math.min(melody.notes[i]!.end, trueNext) };
    });
  }
  return times;
}
