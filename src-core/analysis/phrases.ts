/**
 * Phrases: where a melody breathes, found from its bars and rests.
 *
 * Phrases start at barlines (or just before one, with a pickup) and are usually 4 bars
 * long, sometimes 2, 8, or an odd length when the rests say so. The melody is cut at the
 * barlines that give the lowest total cost, found by dynamic programming over barlines:
 *
 * COST OF A PHRASE BY LENGTH (bars): 4 -> 0, 2 -> 1, 8 -> 1.5, 3 or 6 -> 2, 1, 5 or 7 -> 3,
 * plus 0.01 for every phrase, so that of equally good cuts the one with fewer phrases wins
 * (a 5-bar melody is one phrase, not 4 + 1). Longer than 8 bars is not allowed, unless
 * nothing else fits (notes too sparse): then the whole melody is one phrase.
 *
 * EVIDENCE FOR A BREAK at a barline, from the note that would start the next phrase and
 * the note before it:
 *   a rest of a beat or more before it .................. 3
 *   a shorter rest, at least an eighth ................... 2
 *   a sixteenth rest ..................................... 0.5
 *   no rest, but the note before is long (at least a beat
 *   and at least twice the melody's median note) ......... 1
 *   a note held across the barline ....................... -1
 *   otherwise ............................................ 0
 * Cutting at a barline subtracts its evidence from the cost; a phrase that keeps a
 * barline inside it adds half that barline's (positive) evidence. So a rest every two
 * bars gives 2-bar phrases, while long notes every two bars and rests every four give
 * 4-bar phrases with a half-way breath, as a teacher would hear them. Remaining ties go
 * to a last phrase of 4 bars, then 2, 8, 3, 6, 1, 5, 7.
 *
 * PICKUPS: notes in the last half-bar before a barline that come after a rest (an eighth
 * or more) and run on without a rest into the barline begin the next phrase. A melody
 * whose first note comes in the second half of its bar starts with such a pickup, and
 * its bars are counted from the first full bar.
 */
import type { Steps } from '../music/melody.ts';
import type { AnalysisContext } from './context.ts';

export interface PhraseSpan {
  /** First and last note (indices, inclusive). */
  readonly firstNote: number;
  readonly lastNote: number;
  /** First and last bar (0-based, inclusive) on the melody's grid; a pickup lies before `firstBar`. */
  readonly firstBar: number;
  readonly lastBar: number;
  /** True when the phrase starts with a pickup before its first bar. */
  readonly pickup: boolean;
}

const LENGTH_COST: Readonly<Record<number, number>> = { 1: 3, 2: 1, 3: 2, 4: 0, 5: 3, 6: 2, 7: 3, 8: 1.5 };
const LENGTH_PREFERENCE = [4, 2, 8, 3, 6, 1, 5, 7];
const PER_PHRASE = 0.01;
const MIN_REST: Steps = 2;

interface Break {
  /** Index of the note that would start a phrase here, or -1 when there is none. */
  readonly note: number;
  readonly evidence: number;
  readonly pickup: boolean;
}

/** Splits the melody into phrases (see the header). An empty melody has none. */
export function findPhrases(ctx: AnalysisContext): PhraseSpan[] {
  const { starts, ends, barSteps: bar, beatSteps: beat } = ctx;
  const n = starts.length;
  if (n === 0) return [];
  const firstNoteBar = Math.floor(starts[0]! / bar);
  const lastBar = Math.max(firstNoteBar, Math.floor((ends[n - 1]! - 1) / bar));
  const opensWithPickup = starts[0]! - firstNoteBar * bar >= bar / 2 && lastBar > firstNoteBar;
  const gridStart = opensWithPickup ? firstNoteBar + 1 : firstNoteBar;
  const durations = starts.map((s, i) => ends[i]! - s);
  const median = medianOf(durations);

  // Barlines gridStart .. lastBar + 1; index 0 is the melody start, the last one its end.
  const lines: number[] = [];
  for (let b = gridStart; b <= lastBar + 1; b++) lines.push(b);
  const breaks: Break[] = lines.map((b, i) =>
    i === 0 || i === lines.length - 1
      ? { note: i === 0 ? 0 : n, evidence: 0, pickup: i === 0 && opensWithPickup }
      : breakAt(ctx, b * bar, durations, median, beat),
  );

  const count = lines.length - 1;
  const cost = new Array<number>(count + 1).fill(Infinity);
  const from = new Array<number>(count + 1).fill(-1);
  cost[0] = 0;
  for (let i = 1; i <= count; i++) {
    const here = breaks[i]!;
    if (i < count && here.note < 0) continue;
    for (const len of LENGTH_PREFERENCE) {
      const j = i - len;
      if (j < 0 || cost[j] === Infinity) continue;
      const startNote = breaks[j]!.note;
      const endNote = i === count ? n : here.note;
      if (startNote < 0 || endNote <= startNote) continue; // a phrase needs notes
      let c = cost[j]! + LENGTH_COST[len]! + PER_PHRASE - (i < count ? here.evidence : 0);
      for (let k = j + 1; k < i; k++) c += Math.max(0, breaks[k]!.evidence) / 2;
      if (c < cost[i]! - 1e-9) {
        cost[i] = c;
        from[i] = j;
      }
    }
  }
  if (from[count]! < 0) {
    // Only possible when notes are too sparse for any cut: one phrase for the lot.
    return [{ firstNote: 0, lastNote: n - 1, firstBar: gridStart, lastBar, pickup: opensWithPickup }];
  }
  const cuts: number[] = [];
  for (let i = count; i > 0; i = from[i]!) cuts.unshift(i);
  const phrases: PhraseSpan[] = [];
  let j = 0;
  for (const i of cuts) {
    const startBreak = breaks[j]!;
    const endNote = i === count ? n : breaks[i]!.note;
    phrases.push({
      firstNote: startBreak.note,
      lastNote: endNote - 1,
      firstBar: lines[j]!,
      lastBar: lines[i]! - 1,
      pickup: startBreak.pickup,
    });
    j = i;
  }
  return phrases;
}

/** The note that would start a phrase at the barline at step `x`, and the evidence for a break there. */
function breakAt(
  ctx: AnalysisContext,
  x: Steps,
  durations: readonly number[],
  median: number,
  beat: Steps,
): Break {
  const { starts, ends, barSteps } = ctx;
  const n = starts.length;
  let j = 0;
  while (j < n && starts[j]! < x) j++;
  if (j >= n) return { note: -1, evidence: 0, pickup: false };
  if (j === 0) return { note: 0, evidence: 0, pickup: false };

  // A pickup: the last rest in the half-bar before the barline, with notes after it running into the barline.
  const window = x - barSteps / 2;
  let pickupStart = -1;
  for (let r = j - 1; r >= 1 && starts[r]! >= window; r--) {
    const gap = starts[r]! - ends[r - 1]!;
    if (gap >= MIN_REST) {
      pickupStart = r;
      break;
    }
  }
  if (pickupStart > 0) {
    let connected = true;
    for (let k = pickupStart; k < j; k++) if (starts[k + 1]! - ends[k]! >= MIN_REST) connected = false;
    if (connected) {
      return {
        note: pickupStart,
        evidence: restEvidence(starts[pickupStart]! - ends[pickupStart - 1]!, beat),
        pickup: true,
      };
    }
  }

  const gap = starts[j]! - ends[j - 1]!;
  if (gap > 0) return { note: j, evidence: restEvidence(gap, beat), pickup: false };
  if (ends[j - 1]! > x) return { note: j, evidence: -1, pickup: false };
  const before = durations[j - 1]!;
  return { note: j, evidence: before >= beat && before >= 2 * median ? 1 : 0, pickup: false };
}

function restEvidence(gap: Steps, beat: Steps): number {
  if (gap >= beat) return 3;
  if (gap >= MIN_REST) return 2;
  return gap > 0 ? 0.5 : 0;
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
