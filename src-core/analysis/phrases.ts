/**
 * Phrases: where a melody breathes, found from its bars, rests, long notes, cadences and
 * repeats; and, with strains.ts, the strains they group into.
 *
 * Phrases start at barlines (or just before one, with a pickup) and are usually 4 bars
 * long, sometimes 2, 8, or an odd length when the music says so. Strains (strains.ts) are
 * cut first, from what repeats; then each strain is cut into phrases at the barlines that
 * give the lowest total cost, found by dynamic programming over barlines:
 *
 * COST OF A PHRASE BY LENGTH (bars): 4 -> 0, 2 -> 1, 8 -> 1.5, 3 or 6 -> 2, 1, 5 or 7 -> 3,
 * plus 0.01 for every phrase, so that of equally good cuts the one with fewer phrases wins
 * (a 5-bar melody is one phrase, not 4 + 1). Longer than 8 bars is not allowed, unless
 * nothing else fits (notes too sparse): then the whole strain is one phrase.
 *
 * EVIDENCE FOR A BREAK at a barline, from the note that would start the next phrase (the
 * first of its pickup, if it has one) and the note before it, which ends the phrase:
 *   a rest of a beat or more before it .................. 3
 *   a shorter rest, at least an eighth ................... 2
 *   a sixteenth rest ..................................... 0.5
 *   no rest, but the note before is long (at least a beat
 *   and at least twice the melody's median note) ......... 1
 *   no rest, but the note before is a cadence: it arrives
 *   on the first beat of its bar (or half-way through a
 *   bar of 4/4, 2/2 or 12/8) and is longer than the median  0.5
 *   a note held across the barline ....................... -1
 *   otherwise ............................................ 0
 * plus, when the barline starts a repeat (its bar and the next two are the same as three
 * bars that start at an earlier barline, and the bar before it is not the same as the bar
 * before those, at most 64 bars earlier; strains.ts says when bars are the same) .... 1.
 * Cutting at a barline subtracts its evidence from the cost; a phrase that keeps a
 * barline inside it adds half that barline's (positive) evidence. So a rest every two
 * bars gives 2-bar phrases, while long notes every two bars and rests every four give
 * 4-bar phrases with a half-way breath, as a teacher would hear them. Remaining ties go
 * to a last phrase of 4 bars, then 2, 8, 3, 6, 1, 5, 7.
 *
 * PICKUPS. Notes in the last half-bar before a barline begin the next phrase when they run
 * on (without a rest of an eighth or more) into the barline and
 *   - they come after a rest of an eighth or more, or
 *   - they come after a long note (as above) and last half a beat or less together, or
 *   - they are the same notes (onsets from the barline, pitches) as a pickup found by the
 *     two rules above, or as the melody's opening pickup: a phrase that comes back takes
 *     back its upbeat.
 * A melody whose first note comes in the second half of its bar starts with such a pickup,
 * and its bars are counted from the first full bar.
 *
 * THE BAR GRID. A file may begin with an upbeat that it does not pad with rests, so that
 * all its barlines are heard a few steps after the file's (strains.ts). Besides the file's
 * own barlines, the grid is tried shifted to the note onsets in the melody's first half-bar
 * whose metric fit is best (the two best), and the grid with the lowest total wins:
 *   the cost of its strains and phrases
 *   + 0.5 for each barline with no note starting on it, each note held across a barline,
 *     and half that for each note of a beat or more starting off the beat
 *   + the share of metric fit lost against the best-fitting shift, times the bars. Metric
 *     fit: each note's length (up to a beat) times 4 when it starts on a barline, 2.5
 *     half-way through a bar of four beats, 2 on another beat, 1 on a half (in 6/8, 9/8
 *     and 12/8 a third) of a beat, else 0
 *   + 2 for a shift shorter than a beat, 10 for a longer one (a file's own barlines are
 *     right far more often than not, and an upbeat of a beat or more is rarely unpadded).
 * On folk-pd's abc2midi files this finds the barlines of the ABC in 58% of tunes with
 * repeat signs (26% without the shift, scripts/eval/form.ts), and shifts 3% of the tunes
 * without an upbeat; a file whose notes start on the first beat keeps its own barlines.
 */
import type { Steps } from '../music/melody.ts';
import type { AnalysisContext } from './context.ts';
import {
  cutStrains,
  labelStrains,
  lineStep,
  makeBarMatcher,
  makeGrid,
  type BarGrid,
  type BarMatcher,
  type StrainLabel,
  type StrainSpan,
} from './strains.ts';

export interface PhraseSpan {
  /** First and last note (indices, inclusive). */
  readonly firstNote: number;
  readonly lastNote: number;
  /**
   * First and last bar (0-based, inclusive) on the melody's grid; a pickup lies before the
   * barline where `firstBar` begins (which is `barOffset` steps into that bar, see strains.ts).
   */
  readonly firstBar: number;
  readonly lastBar: number;
  /** True when the phrase starts with a pickup before its first bar. */
  readonly pickup: boolean;
}

/** Phrases, the strains they make up, and the grid both are counted on. */
export interface PhraseStructure {
  readonly phrases: readonly PhraseSpan[];
  readonly strains: readonly StrainSpan[];
  readonly strainLabels: readonly StrainLabel[];
  /** Steps from the melody grid's barlines to those the phrases are cut at (0 for most files). */
  readonly barOffset: Steps;
}

const LENGTH_COST: Readonly<Record<number, number>> = { 1: 3, 2: 1, 3: 2, 4: 0, 5: 3, 6: 2, 7: 3, 8: 1.5 };
const LENGTH_PREFERENCE = [4, 2, 8, 3, 6, 1, 5, 7];
const PER_PHRASE = 0.01;
const MIN_REST: Steps = 2;
const CADENCE = 0.5;
const REPEAT_START = 1;
const REPEAT_START_WINDOW = 64;
const SHIFT_COST = 2;
const SHIFT_BEAT_COST = 10;
const METER_MISFIT = 0.5;
const METRIC_WEIGHT = 1;
const TRIED_SHIFTS = 2;

interface Break {
  /** Index of the note that would start a phrase here, or -1 when there is none. */
  readonly note: number;
  readonly evidence: number;
  readonly pickup: boolean;
}

/** Splits the melody into phrases (see the header). An empty melody has none. */
export function findPhrases(ctx: AnalysisContext): PhraseSpan[] {
  return [...findPhraseStructure(ctx).phrases];
}

/** Phrases and strains (see the header and strains.ts). An empty melody has none. */
export function findPhraseStructure(ctx: AnalysisContext): PhraseStructure {
  const { starts, barSteps: bar, barOrigin: home } = ctx;
  if (starts.length === 0) return { phrases: [], strains: [], strainLabels: [], barOffset: home };
  // The melody's own barlines first (shifted by its pickup, if it declares one).
  const shifts = [home];
  for (const s of starts) {
    if (s - starts[0]! > bar / 2) break;
    const shift = ((s % bar) + bar) % bar;
    if (!shifts.includes(shift)) shifts.push(shift);
  }
  const fits = new Map(shifts.map((shift) => [shift, metricFit(ctx, shift)]));
  const bestFit = Math.max(...fits.values());
  const tried = [
    home,
    ...shifts
      .slice(1)
      .sort((a, b) => fits.get(b)! - fits.get(a)! || a - b)
      .slice(0, TRIED_SHIFTS),
  ];
  let best: (Cut & { total: number }) | null = null;
  for (const shift of tried) {
    const cut = cutOnGrid(ctx, shift);
    if (!cut) continue;
    const lost = bestFit > 0 ? (bestFit - fits.get(shift)!) / bestFit : 0;
    const prior = shift === home ? 0 : shift < ctx.beatSteps ? SHIFT_COST : SHIFT_BEAT_COST;
    const total = cut.cost + prior + METRIC_WEIGHT * lost * cut.grid.bars;
    if (!best || total < best.total - 1e-9) best = { ...cut, total };
  }
  const { grid, matcher, breaks, strainLines, phraseLines } = best!;
  const spanOf = (from: number, to: number, firstNote: number, lastNote: number, pickup: boolean) => ({
    firstNote,
    lastNote,
    firstBar: grid.firstBar + from,
    lastBar: grid.firstBar + to - 1,
    pickup,
  });
  const noteAt = (i: number): number => (i === grid.bars ? starts.length : breaks[i]!.note);
  const phrases: PhraseSpan[] = phraseLines.map((line, k) => {
    const end = phraseLines[k + 1] ?? grid.bars;
    return spanOf(line, end, noteAt(line), noteAt(end) - 1, breaks[line]!.pickup);
  });
  const strains: StrainSpan[] = strainLines.map((line, k) => {
    const end = strainLines[k + 1] ?? grid.bars;
    const firstPhrase = phraseLines.indexOf(line);
    const lastPhrase = (k + 1 < strainLines.length ? phraseLines.indexOf(end) : phraseLines.length) - 1;
    return {
      firstPhrase,
      lastPhrase,
      ...spanOf(line, end, noteAt(line), noteAt(end) - 1, breaks[line]!.pickup),
    };
  });
  const strainLabels = labelStrains(
    matcher,
    strainLines.map((line, k) => [line, strainLines[k + 1] ?? grid.bars] as const),
  );
  return { phrases, strains, strainLabels, barOffset: grid.offset };
}

interface Cut {
  readonly grid: BarGrid;
  readonly matcher: BarMatcher;
  readonly breaks: readonly Break[];
  /** Lines where strains and phrases start. */
  readonly strainLines: readonly number[];
  readonly phraseLines: readonly number[];
  readonly cost: number;
}

/** Strains and phrases on the grid shifted by `offset`, with their total cost. */
function cutOnGrid(ctx: AnalysisContext, offset: Steps): Cut | null {
  const grid = makeGrid(ctx, offset);
  if (!grid) return null;
  const matcher = makeBarMatcher(ctx, grid);
  const breaks = findBreaks(ctx, grid, matcher);
  const strainCut = cutStrains(
    matcher,
    breaks.map((b) => b.evidence),
    breaks.map((b) => b.note),
    ctx.starts.length,
  );
  const strainLines = strainCut.starts;
  let cost = strainCut.cost + METER_MISFIT * meterMisfit(ctx, grid);
  const phraseLines: number[] = [];
  strainLines.forEach((from, k) => {
    const to = strainLines[k + 1] ?? grid.bars;
    const cut = cutPhrases(ctx, grid, breaks, from, to);
    phraseLines.push(...cut.lines);
    cost += cut.cost;
  });
  return { grid, matcher, breaks, strainLines, phraseLines, cost };
}

/** How badly the grid's barlines fit the notes (see the header). */
function meterMisfit(ctx: AnalysisContext, grid: BarGrid): number {
  const { starts, ends, beatSteps: beat } = ctx;
  let misfit = 0;
  for (let i = 0; i < grid.bars; i++) {
    const j = grid.lineNote[i]!;
    if (j >= starts.length || starts[j] !== lineStep(grid, i)) misfit++;
    if (j > 0 && ends[j - 1]! > lineStep(grid, i) && starts[j - 1]! < lineStep(grid, i)) misfit++;
  }
  for (let k = 0; k < starts.length; k++) {
    const pos = (((starts[k]! - grid.offset) % beat) + beat) % beat;
    if (pos !== 0 && ends[k]! - starts[k]! >= beat) misfit += 0.5;
  }
  return misfit;
}

/** How well the notes fit the metre with barlines at `offset` (see the header). */
function metricFit(ctx: AnalysisContext, offset: Steps): number {
  const { starts, ends, barSteps: bar, beatSteps: beat } = ctx;
  const part = beat % 3 === 0 ? beat / 3 : beat / 2;
  const weight = (pos: number): number => {
    if (pos === 0) return 4;
    if (bar / beat >= 4 && (bar / beat) % 2 === 0 && pos === bar / 2) return 2.5;
    if (pos % beat === 0) return 2;
    return pos % part === 0 ? 1 : 0;
  };
  let fit = 0;
  for (let k = 0; k < starts.length; k++) {
    const pos = (((starts[k]! - offset) % bar) + bar) % bar;
    fit += Math.min(ends[k]! - starts[k]!, beat) * weight(pos);
  }
  return fit;
}

/** Phrases between lines `from` and `to` (see the header): their first lines and cost. */
function cutPhrases(
  ctx: AnalysisContext,
  grid: BarGrid,
  breaks: readonly Break[],
  from: number,
  to: number,
): { lines: number[]; cost: number } {
  const n = ctx.starts.length;
  const count = to - from;
  const cost = new Array<number>(count + 1).fill(Infinity);
  const back = new Array<number>(count + 1).fill(-1);
  cost[0] = 0;
  const noteAt = (i: number): number => (from + i === grid.bars ? n : breaks[from + i]!.note);
  for (let i = 1; i <= count; i++) {
    const here = breaks[from + i]!;
    if (i < count && here.note < 0) continue;
    for (const len of LENGTH_PREFERENCE) {
      const j = i - len;
      if (j < 0 || cost[j] === Infinity) continue;
      const startNote = noteAt(j);
      const endNote = i === count ? noteAt(count) : here.note;
      if (startNote < 0 || endNote <= startNote) continue; // a phrase needs notes
      let c = cost[j]! + LENGTH_COST[len]! + PER_PHRASE - (i < count ? here.evidence : 0);
      for (let k = j + 1; k < i; k++) c += Math.max(0, breaks[from + k]!.evidence) / 2;
      if (c < cost[i]! - 1e-9) {
        cost[i] = c;
        back[i] = j;
      }
    }
  }
  // Only possible when notes are too sparse for any cut: one phrase for the lot.
  if (back[count]! < 0) return { lines: [from], cost: LENGTH_COST[8]! };
  const lines: number[] = [];
  for (let i = back[count]!; i >= 0; i = i === 0 ? -1 : back[i]!) lines.unshift(from + i);
  return { lines, cost: cost[count]! };
}

/** The note that would start a phrase at each line, and the evidence for a break there (see the header). */
function findBreaks(ctx: AnalysisContext, grid: BarGrid, matcher: BarMatcher): Break[] {
  const { starts, ends, pitches, barSteps: bar, beatSteps: beat } = ctx;
  const n = starts.length;
  const durations = starts.map((s, i) => ends[i]! - s);
  const median = medianOf(durations);
  const isLong = (i: number): boolean => durations[i]! >= beat && durations[i]! >= 2 * median;
  const strong = [0];
  if ((bar / beat) % 2 === 0 && bar / beat >= 4) strong.push(bar / 2);
  if (bar === 16 && beat === 8) strong.push(8); // 2/2: the half bar is the second beat
  const isCadence = (i: number, x: Steps): boolean => {
    const pos = (((starts[i]! - x) % bar) + bar) % bar;
    return strong.includes(pos) && durations[i]! > median;
  };
  /** The notes from `first` run on, without a rest, into the barline at `x`. */
  const runsOn = (first: number, j: number): boolean => {
    for (let k = first; k < j; k++) {
      const next = k + 1 < n ? starts[k + 1]! : Infinity;
      if (next - ends[k]! >= MIN_REST) return false;
    }
    return true;
  };

  // The pickup at line i by rests and long notes: its first note, and whether a rest started it.
  const found: { note: number; rest: boolean }[] = [];
  for (let i = 0; i <= grid.bars; i++) {
    const x = lineStep(grid, i);
    const j = grid.lineNote[i]!;
    let pick = -1;
    let rest = false;
    if (i > 0 && i < grid.bars && j < n && j > 0) {
      for (let r = j - 1; r >= 1 && starts[r]! >= x - bar / 2; r--) {
        if (starts[r]! - ends[r - 1]! >= MIN_REST) {
          if (runsOn(r, j)) {
            pick = r;
            rest = true;
          }
          break;
        }
        if (isLong(r - 1) && x - starts[r]! <= beat / 2 && runsOn(r, j)) {
          let shorter = true;
          for (let k = r; k < j; k++) if (durations[k]! >= durations[r - 1]!) shorter = false;
          if (shorter) {
            pick = r;
            break;
          }
        }
      }
    }
    found.push({ note: pick, rest });
  }

  // Pickup patterns: the opening pickup and those found above, as onsets from the barline and pitches.
  const patterns = new Set<string>();
  const patternOf = (first: number, j: number, x: Steps): string => {
    const parts: string[] = [];
    for (let k = first; k < j; k++) parts.push(`${starts[k]! - x}:${pitches[k]!}`);
    return parts.join(' ');
  };
  if (grid.lineNote[0]! > 0) patterns.add(patternOf(0, grid.lineNote[0]!, lineStep(grid, 0)));
  found.forEach((f, i) => {
    if (f.note >= 0) patterns.add(patternOf(f.note, grid.lineNote[i]!, lineStep(grid, i)));
  });

  const repeatStarts = findRepeatStarts(matcher);
  const breaks: Break[] = [];
  for (let i = 0; i <= grid.bars; i++) {
    const x = lineStep(grid, i);
    const j = grid.lineNote[i]!;
    if (i === 0) {
      breaks.push({ note: 0, evidence: 0, pickup: j > 0 });
      continue;
    }
    if (i === grid.bars) {
      breaks.push({ note: n, evidence: 0, pickup: false });
      continue;
    }
    if (j >= n) {
      breaks.push({ note: -1, evidence: 0, pickup: false });
      continue;
    }
    let start = found[i]!.note;
    if (start < 0 && j > 0 && patterns.size > 0) {
      for (let r = j - 1; r >= 1 && starts[r]! >= x - bar / 2; r--) {
        if (patterns.has(patternOf(r, j, x)) && runsOn(r, j)) {
          start = r;
          break;
        }
      }
    }
    const pickup = start >= 0;
    if (!pickup) start = j;
    let evidence: number;
    if (start === 0) evidence = 0;
    else {
      const gap = starts[start]! - ends[start - 1]!;
      if (gap > 0) evidence = restEvidence(gap, beat);
      else if (!pickup && ends[start - 1]! > x) evidence = -1;
      else evidence = isLong(start - 1) ? 1 : isCadence(start - 1, x) ? CADENCE : 0;
    }
    if (repeatStarts[i]) evidence += REPEAT_START;
    breaks.push({ note: start, evidence, pickup });
  }
  return breaks;
}

/** Lines where a repeat begins (see the header). */
function findRepeatStarts(m: BarMatcher): boolean[] {
  const bars = m.grid.bars;
  const out = new Array<boolean>(bars + 1).fill(false);
  for (let i = 1; i + 2 < bars; i++) {
    for (let y = Math.max(0, i - REPEAT_START_WINDOW); y < i - 2; y++) {
      if (m.samePrefix(y, i, 3) === 3 && (y === 0 || !m.same(y - 1, i - 1))) {
        out[i] = true;
        break;
      }
    }
  }
  return out;
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
