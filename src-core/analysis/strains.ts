/**
 * Strains: the large sections of a tune (the A and B "parts" of a reel or a jig, usually
 * 8 bars, each usually played twice), found from what repeats, and the bar grid that the
 * phrases and strains are cut on.
 *
 * THE BAR GRID. Bars are counted on the melody's grid (from step 0), but a file may start
 * with an upbeat without padding it with rests (abc2midi's files do), so that every barline
 * a musician hears lies a few steps after the grid's. phrases.ts tries a few offsets and
 * keeps the one whose phrases and strains fit best; `BarGrid.offset` is that offset (0 for
 * most files). Bar `b` of the grid spans [line(b), line(b + 1)). Notes before the first
 * line are the melody's opening pickup.
 *
 * SAME BARS. Two bars are the same when at least three quarters of their notes (onset from
 * the barline and pitch) are shared, counted with the MIREX cardinality score (as in
 * form.ts): a grace note or a changed octave does not make a repeat new.
 *
 * A RUN OF L BARS REPEATS another when all its bars are the same as theirs, allowing a few to
 * differ anywhere (a variant bar): none for runs of 1-4 bars, one for 5-8, two for longer
 * runs; or, for runs of 4 bars or more, when at least its first half is the same (first and
 * second endings can be half a strain long). Its strength is the share of bars that are
 * the same.
 *
 * CUTTING INTO STRAINS: the cut (at barlines) with the lowest total cost, by dynamic
 * programming. A strain of L bars costs
 *   LENGTH: 8 -> 0, 16 -> 0.3, 4 or 12 -> 1, 6, 10, 24 or 32 -> 1.5, other 4-32 -> 2, 1-3 -> 3
 *   + 0.5 for each strain (of equally good cuts, fewer strains)
 *   - 0.5 per bar x strength when it repeats the run just before or just after it, or half
 *     that when it repeats a run elsewhere (a return, as in ABA; looked for up to 64 bars
 *     away, for runs of 8 and 16 bars)
 *   - a quarter of the phrase-break evidence (phrases.ts) at the barline where it ends, when
 *     it repeats or returns (the breaks say where a repeated strain ends, but a tune is not
 *     cut into strains by its breaks alone).
 * So a tune played AABB with 8-bar strains is cut into four strains, and a tune that never
 * repeats is one strain (or a few long ones). Strains are at most 32 bars.
 *
 * LETTERS. The first strain is A. A later strain that begins as an earlier one does, for at
 * least half the longer one's bars (aligned from their first barlines; so first and second
 * endings still match, and a strain that only ends like another does not), takes that
 * strain's letter, from the earlier strain with the most bars the same: "repeat" when every
 * bar is the same, else "varied". Any other takes the next letter. The strain form is the
 * letters run together: "AABB".
 *
 * MEASURED against the repeat signs of folk-pd's ABC files (scripts/eval/form.ts, 2,871
 * tunes with repeat signs): the strain letters are exactly the ABC's in 83%, and 99.9% of
 * the AABB tunes with 8-bar strains read AABB. About 40% of the misses are repeats that do
 * not fall on the same barlines as the first time (a transcription whose bars change
 * length, so the MIDI file's second pass starts mid-bar, where bars cannot match), and a
 * quarter are strains the ABC writes out twice instead of with a repeat sign (the analysis
 * hears a repeat the ABC does not mark).
 */
import type { Steps } from '../music/melody.ts';
import type { AnalysisContext } from './context.ts';

/** The bars phrases and strains are cut on (see the header). */
export interface BarGrid {
  readonly barSteps: Steps;
  /** Steps from each of the melody grid's barlines to the heard one, 0 <= offset < barSteps. */
  readonly offset: Steps;
  /** Number on the melody's grid of the first bar (0-based): line 0 is at offset + firstBar * barSteps. */
  readonly firstBar: number;
  /** Number of bars; lines 0 .. bars. */
  readonly bars: number;
  /** lineNote[i]: the first note starting at or after line i (n when none); lineNote[bars] = n. */
  readonly lineNote: readonly number[];
}

/** Step of grid line `i`. */
export function lineStep(grid: BarGrid, i: number): Steps {
  return grid.offset + (grid.firstBar + i) * grid.barSteps;
}

/** A strain as a run of phrases and the notes and bars they cover. */
export interface StrainSpan {
  /** First and last phrase (indices into the phrases, inclusive). */
  readonly firstPhrase: number;
  readonly lastPhrase: number;
  readonly firstNote: number;
  readonly lastNote: number;
  /** First and last bar (0-based, inclusive), numbered as the phrases' bars are. */
  readonly firstBar: number;
  readonly lastBar: number;
  /** True when the strain starts with a pickup before its first bar. */
  readonly pickup: boolean;
}

export type StrainRelation = 'new' | 'repeat' | 'varied';

export interface StrainLabel {
  /** "A", "B" ... */
  readonly letter: string;
  /** "repeat": every bar as in `of`; "varied": most bars (another ending, a changed bar). */
  readonly relation: StrainRelation;
  /** The earlier strain it restates, or null. */
  readonly of: number | null;
  /** Share of bars the same as in `of` (of the longer of the two); 0 for a new strain. */
  readonly similarity: number;
}

/** The grid with the given offset (see the header); null for a melody without notes. */
export function makeGrid(ctx: AnalysisContext, offset: Steps): BarGrid | null {
  const { starts, ends, barSteps: bar } = ctx;
  const n = starts.length;
  if (n === 0) return null;
  const barOf = (s: Steps): number => Math.floor((s - offset) / bar);
  let firstBar = barOf(starts[0]!);
  const lastBar = Math.max(firstBar, barOf(ends[n - 1]! - 1));
  if (starts[0]! - (offset + firstBar * bar) >= bar / 2 && lastBar > firstBar) firstBar++;
  const bars = lastBar + 1 - firstBar;
  const lineNote: number[] = [];
  let j = 0;
  for (let i = 0; i <= bars; i++) {
    const x = offset + (firstBar + i) * bar;
    while (j < n && starts[j]! < x) j++;
    lineNote.push(i === bars ? n : j);
  }
  return { barSteps: bar, offset, firstBar, bars, lineNote };
}

/** Which bars and runs of bars are the same (see the header). */
export interface BarMatcher {
  readonly grid: BarGrid;
  /** True when bars `a` and `b` are the same. */
  same(a: number, b: number): boolean;
  /** Bars of the run of `length` from `b` that are the same as those from `a`. */
  sameBars(a: number, b: number, length: number): number;
  /** How many bars from `a` and `b` are the same before the first that is not (at most `length`). */
  samePrefix(a: number, b: number, length: number): number;
  /** Strength (0..1) with which the run of `length` bars from `b` repeats the one from `a`. */
  repeatStrength(a: number, b: number, length: number): number;
}

const MATCH_TABLE_CLASSES = 2048;

/**
 * A matcher for the grid's bars. Bars with the same notes share a class, classes are
 * compared once, and runs are counted from running sums along each diagonal (bar a against
 * bar a + d), made when first needed.
 */
export function makeBarMatcher(ctx: AnalysisContext, grid: BarGrid): BarMatcher {
  const classOf: number[] = [];
  const classKeys: Set<number>[] = [];
  const byText = new Map<string, number>();
  for (let b = 0; b < grid.bars; b++) {
    const x = lineStep(grid, b);
    const keys: number[] = [];
    for (let k = grid.lineNote[b]!; k < grid.lineNote[b + 1]!; k++) {
      keys.push((ctx.starts[k]! - x) * 128 + ctx.pitches[k]!);
    }
    const text = keys.join(',');
    let c = byText.get(text);
    if (c === undefined) {
      c = classKeys.length;
      byText.set(text, c);
      classKeys.push(new Set(keys));
    }
    classOf.push(c);
  }
  const classes = classKeys.length;
  // Pairs of classes compared so far: 0 not yet, 1 different, 2 same (a table while it is small).
  const table = classes <= MATCH_TABLE_CLASSES ? new Uint8Array(classes * classes) : null;
  const map = new Map<number, number>();
  const sameClass = (a: number, b: number): boolean => {
    if (a === b) return true;
    const at = Math.min(a, b) * classes + Math.max(a, b);
    let result = table ? table[at]! : (map.get(at) ?? 0);
    if (result === 0) {
      const sa = classKeys[a]!;
      const sb = classKeys[b]!;
      const most = Math.max(sa.size, sb.size);
      let shared = 0;
      for (const k of sb) if (sa.has(k)) shared++;
      result = most === 0 || shared >= 0.75 * most ? 2 : 1;
      if (table) table[at] = result;
      else map.set(at, result);
    }
    return result === 2;
  };
  const same = (a: number, b: number): boolean => sameClass(classOf[a]!, classOf[b]!);
  const diagonals = new Map<number, Int32Array>();
  const diagonal = (d: number): Int32Array => {
    let sums = diagonals.get(d);
    if (!sums) {
      sums = new Int32Array(Math.max(1, grid.bars - d + 1));
      for (let a = 0; a + d < grid.bars; a++) sums[a + 1] = sums[a]! + (same(a, a + d) ? 1 : 0);
      diagonals.set(d, sums);
    }
    return sums;
  };
  const sameBars = (a: number, b: number, length: number): number => {
    if (a === b) return length;
    const sums = diagonal(Math.abs(b - a));
    const from = Math.min(a, b);
    return sums[from + length]! - sums[from]!;
  };
  const samePrefix = (a: number, b: number, length: number): number => {
    let t = 0;
    while (t < length && same(a + t, b + t)) t++;
    return t;
  };
  const repeatStrength = (a: number, b: number, length: number): number => {
    if (a < 0 || b < 0 || a + length > grid.bars || b + length > grid.bars) return 0;
    const allowed = length <= 4 ? 0 : length <= 8 ? 1 : 2;
    const count = sameBars(a, b, length);
    if (count >= length - allowed) return count / length;
    return length >= 4 && samePrefix(a, b, length) >= length / 2 ? count / length : 0;
  };
  return { grid, same, sameBars, samePrefix, repeatStrength };
}

const STRAIN_LENGTH_COST: Readonly<Record<number, number>> = {
  8: 0,
  16: 0.3,
  4: 1,
  12: 1,
  6: 1.5,
  10: 1.5,
  24: 1.5,
  32: 1.5,
};
const MAX_STRAIN = 32;
const PER_STRAIN = 0.5;
const REPEAT_PER_BAR = 0.5;
const RETURN_FACTOR = 0.5;
const RETURN_LENGTHS = [8, 16];
const RETURN_WINDOW = 64;
const BREAK_WEIGHT = 0.25;

function strainLengthCost(bars: number): number {
  return STRAIN_LENGTH_COST[bars] ?? (bars >= 4 ? 2 : 3);
}

/**
 * Cuts the grid's bars into strains (see the header). `evidence[i]` is the phrase-break
 * evidence at line i, `startNote[i]` the note a phrase (so a strain) starting at line i
 * would start with, or -1 when none may start there; `noteCount` is the number of notes.
 * Returns the lines where strains start (the first is 0) and the total cost.
 */
export function cutStrains(
  matcher: BarMatcher,
  evidence: readonly number[],
  startNote: readonly number[],
  noteCount: number,
): { readonly starts: number[]; readonly cost: number } {
  const count = matcher.grid.bars;
  const cost = new Array<number>(count + 1).fill(Infinity);
  const from = new Array<number>(count + 1).fill(-1);
  cost[0] = 0;
  for (let k = 0; k < count; k++) {
    if (cost[k] === Infinity || startNote[k]! < 0) continue;
    for (let len = 1; len <= MAX_STRAIN && k + len <= count; len++) {
      const end = k + len;
      // A strain needs notes of its own.
      if ((end < count ? startNote[end]! : noteCount) <= startNote[k]!) continue;
      let strength = Math.max(
        matcher.repeatStrength(k - len, k, len),
        matcher.repeatStrength(k + len, k, len),
      );
      if (strength < 1 && RETURN_LENGTHS.includes(len)) {
        const last = Math.min(count - len, k + RETURN_WINDOW);
        for (let j = Math.max(0, k - RETURN_WINDOW); j <= last && strength < RETURN_FACTOR; j++) {
          if (Math.abs(j - k) < 2 * len || !matcher.same(j, k)) continue;
          strength = Math.max(strength, RETURN_FACTOR * matcher.repeatStrength(j, k, len));
        }
      }
      const c =
        cost[k]! +
        strainLengthCost(len) +
        PER_STRAIN -
        REPEAT_PER_BAR * len * strength -
        (end < count && strength > 0 ? BREAK_WEIGHT * evidence[end]! : 0);
      if (c < cost[end]! - 1e-9) {
        cost[end] = c;
        from[end] = k;
      }
    }
  }
  if (from[count]! < 0) return { starts: [0], cost: 0 };
  const starts: number[] = [];
  for (let i = from[count]!; i >= 0; i = i === 0 ? -1 : from[i]!) starts.unshift(i);
  return { starts, cost: cost[count]! };
}

/** Letters for strains given as [first line, end line) on the grid (see the header). */
export function labelStrains(
  matcher: BarMatcher,
  spans: readonly (readonly [number, number])[],
): StrainLabel[] {
  const labels: StrainLabel[] = [];
  let next = 0;
  spans.forEach(([a, aEnd], i) => {
    let best: { of: number; similarity: number } | null = null;
    for (let j = 0; j < i; j++) {
      const [b, bEnd] = spans[j]!;
      const longer = Math.max(aEnd - a, bEnd - b);
      const shorter = Math.min(aEnd - a, bEnd - b);
      if (matcher.samePrefix(b, a, shorter) < longer / 2) continue;
      const similarity = matcher.sameBars(b, a, shorter) / longer;
      if (!best || similarity > best.similarity + 1e-9) best = { of: j, similarity };
    }
    if (best) {
      labels.push({
        letter: labels[best.of]!.letter,
        relation: best.similarity === 1 ? 'repeat' : 'varied',
        of: best.of,
        similarity: best.similarity,
      });
    } else {
      labels.push({ letter: strainLetter(next++), relation: 'new', of: null, similarity: 0 });
    }
  });
  return labels;
}

/** A, B, ... Z, then AA, AB ... */
function strainLetter(i: number): string {
  const base = String.fromCharCode(65 + (i % 26));
  return i < 26 ? base : `${strainLetter(Math.floor(i / 26) - 1)}${base}`;
}
