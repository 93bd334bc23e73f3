/**
 * Contour: the rise and fall of a melody.
 *
 * PARSONS CODE (D. Parsons, "The Directory of Tunes and Musical Themes", 1975): "*" for
 * the first note, then for every later note U (higher than the note before), D (lower)
 * or R (the same pitch). Character i describes note i, so it lines up with note indices.
 *
 * SHAPE of a stretch of notes (a phrase or the whole melody), from its big moves only:
 * 1. If its range is under a minor third (at most 2 semitones) it is "level".
 * 2. Otherwise its turning points are found as in a zigzag filter: a move counts only when
 *    it goes at least T semitones from the last turning point, where
 *    T = max(3, range / 2): a minor third at least, and half the span's range. Smaller
 *    back-and-forth (neighbour notes, passing figures, a dip between two high notes) is
 *    ignored, so only the moves a listener would sing back are kept.
 * 3. One move up: "ascending"; one down: "descending"; up then down: "arch"; down then up:
 *    "inverted-arch". Three or more moves: "ascending" if every high point is higher than
 *    the one before and every low point too (a rising sequence climbs like this),
 *    "descending" if all are lower, else "wave".
 * The same rules apply to every phrase (phrases.ts) and to the whole melody.
 *
 * HIGH AND LOW POINTS: every note at the highest pitch and at the lowest. The climax is
 * the first note at the highest pitch; `climaxIsUnique` says whether that pitch is heard
 * only once, as teachers like a climax to be.
 */
import type { MidiPitch, Steps } from '../music/melody.ts';

export type ContourShape = 'level' | 'ascending' | 'descending' | 'arch' | 'inverted-arch' | 'wave';

export interface Contour {
  /** "*" then U, D or R for each later note. */
  readonly parsons: string;
  readonly shape: ContourShape;
  /**
   * Note indices of the turning points of the big moves (see the header), in order: where
   * the first big move starts, where each reverses, and where the last one ends.
   */
  readonly turningPoints: readonly number[];
  /** Every note at the highest pitch, and that pitch. */
  readonly highest: { readonly pitch: MidiPitch; readonly notes: readonly number[] } | null;
  readonly lowest: { readonly pitch: MidiPitch; readonly notes: readonly number[] } | null;
  /** The first note at the highest pitch. */
  readonly climax: number | null;
  readonly climaxIsUnique: boolean;
  /** Where the climax starts, as a share of the time from the first onset to the last note's end (0..1). */
  readonly climaxPosition: number | null;
}

/** @example parsonsCode([60, 62, 62, 59]) // => "*URD" */
export function parsonsCode(pitches: readonly MidiPitch[]): string {
  let code = pitches.length > 0 ? '*' : '';
  for (let i = 1; i < pitches.length; i++) {
    const d = pitches[i]! - pitches[i - 1]!;
    code += d > 0 ? 'U' : d < 0 ? 'D' : 'R';
  }
  return code;
}

/** The smallest move that counts as a big move in a stretch spanning `range` semitones. */
export function contourThreshold(range: number): number {
  return Math.max(3, range / 2);
}

/**
 * Turning points of the big moves of `pitches` (indices into `pitches`), by the zigzag rule
 * in the header. Fewer than two points means no big move.
 */
export function turningPoints(pitches: readonly MidiPitch[]): number[] {
  if (pitches.length === 0) return [];
  const range = Math.max(...pitches) - Math.min(...pitches);
  const t = contourThreshold(range);
  const points: number[] = [];
  // Until the first big move, keep the lowest and highest note so far: the first move
  // starts from whichever of them it leaves.
  let low = 0;
  let high = 0;
  let direction = 0;
  let extreme = 0;
  for (let i = 1; i < pitches.length; i++) {
    const p = pitches[i]!;
    if (direction === 0) {
      if (p < pitches[low]!) low = i;
      if (p > pitches[high]!) high = i;
      if (p - pitches[low]! >= t) {
        points.push(low);
        direction = 1;
        extreme = i;
      } else if (pitches[high]! - p >= t) {
        points.push(high);
        direction = -1;
        extreme = i;
      }
    } else if (direction > 0) {
      if (p > pitches[extreme]!) extreme = i;
      else if (pitches[extreme]! - p >= t) {
        points.push(extreme);
        direction = -1;
        extreme = i;
      }
    } else {
      if (p < pitches[extreme]!) extreme = i;
      else if (p - pitches[extreme]! >= t) {
        points.push(extreme);
        direction = 1;
        extreme = i;
      }
    }
  }
  if (direction !== 0) points.push(extreme);
  return points;
}

/** The shape of a stretch of notes (see the header). */
export function contourShape(pitches: readonly MidiPitch[]): ContourShape {
  return shapeFromPoints(pitches, turningPoints(pitches));
}

function shapeFromPoints(pitches: readonly MidiPitch[], points: readonly number[]): ContourShape {
  if (pitches.length === 0) return 'level';
  const range = Math.max(...pitches) - Math.min(...pitches);
  if (range <= 2 || points.length < 2) return 'level';
  const moves = points.length - 1;
  const firstUp = pitches[points[1]!]! > pitches[points[0]!]!;
  if (moves === 1) return firstUp ? 'ascending' : 'descending';
  if (moves === 2) return firstUp ? 'arch' : 'inverted-arch';
  // Points alternate: with the first move up, even points are lows and odd points highs.
  const values = points.map((i) => pitches[i]!);
  const lows = values.filter((_, k) => (k % 2 === 0) === firstUp);
  const highs = values.filter((_, k) => (k % 2 === 0) !== firstUp);
  const rising = (xs: number[]): boolean => xs.every((x, k) => k === 0 || x > xs[k - 1]!);
  const falling = (xs: number[]): boolean => xs.every((x, k) => k === 0 || x < xs[k - 1]!);
  if (rising(lows) && rising(highs)) return 'ascending';
  if (falling(lows) && falling(highs)) return 'descending';
  return 'wave';
}

/**
 * The contour of notes `first..last` (inclusive) of a melody; indices in the result are
 * melody note indices.
 */
export function describeContour(
  pitches: readonly MidiPitch[],
  starts: readonly Steps[],
  ends: readonly Steps[],
  first = 0,
  last = pitches.length - 1,
): Contour {
  const slice = pitches.slice(first, last + 1);
  if (slice.length === 0) {
    return {
      parsons: '',
      shape: 'level',
      turningPoints: [],
      highest: null,
      lowest: null,
      climax: null,
      climaxIsUnique: false,
      climaxPosition: null,
    };
  }
  const points = turningPoints(slice);
  const top = Math.max(...slice);
  const bottom = Math.min(...slice);
  const at = (pitch: number): number[] => slice.flatMap((p, i) => (p === pitch ? [first + i] : []));
  const highestNotes = at(top);
  const climax = highestNotes[0]!;
  const from = starts[first]!;
  const to = ends[last]!;
  return {
    parsons: parsonsCode(slice),
    shape: shapeFromPoints(slice, points),
    turningPoints: points.map((i) => first + i),
    highest: { pitch: top, notes: highestNotes },
    lowest: { pitch: bottom, notes: at(bottom) },
    climax,
    climaxIsUnique: highestNotes.length === 1,
    climaxPosition: to > from ? (starts[climax]! - from) / (to - from) : 0,
  };
}
