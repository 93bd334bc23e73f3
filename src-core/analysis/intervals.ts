/**
 * Melodic intervals, named the way a music teacher names them: from the written notes.
 *
 * NAME: quality and number, from the two notes as spelled in the key (context.ts), with
 * tonal's `Interval.distance` doing the arithmetic: P1 m2 M2 A2 m3 M3 d4 P4 A4 d5 P5 m6 ...
 * P8, and compound intervals past the octave (m9, M10, P11, P12, P15). Qualities are P
 * (perfect), M (major), m (minor), A (augmented), d (diminished), and AA / dd (doubly).
 * The name does not carry the direction; `direction` does.
 *
 * SIMPLE FORM: a compound interval reduced by octaves (M9 -> M2, P12 -> P5); whole octaves
 * stay octaves (P15 -> P8). Simple intervals are those up to the octave, P8 included.
 *
 * MOTION, by the interval's number (its size on the staff), as lessons say it:
 * - repeat: the same note again (0 semitones);
 * - step: a second, or a chromatic semitone on the same letter (A1, e.g. C to C#).
 *   The augmented second (F to G# in A harmonic minor) is a step: it moves to the next
 *   letter, even though it sounds as wide as a minor third;
 * - skip: a third (a diminished third included);
 * - leap: a fourth or more, compound intervals included.
 * `stepOrLeap` is the two-way version (conjunct or disjunct motion): a skip counts as a leap.
 *
 * CONSONANCE, by the simple form: perfect consonances P1, P4, P5, P8; imperfect
 * consonances m3, M3, m6, M6; everything else (seconds, sevenths, and every augmented or
 * diminished interval, the tritone A4/d5 included) is dissonant. The perfect fourth is
 * counted consonant, as it is for melodies: it is an ordinary, singable melodic interval
 * (only in two-part harmony above the bass is it treated as a dissonance). An interval
 * that sounds like a consonance but is spelled otherwise (d4, which sounds like M3) is
 * dissonant, because it is named and heard in the key as an altered fourth.
 */
import { Interval as TonalInterval } from 'tonal';
import type { SpelledPitch } from '../score/types.ts';
import { spelledName } from '../music/spelling.ts';
import type { AnalysisContext } from './context.ts';

export type IntervalQuality = 'P' | 'M' | 'm' | 'A' | 'd' | 'AA' | 'dd';
export type IntervalDirection = 'up' | 'down' | 'same';
export type IntervalMotion = 'repeat' | 'step' | 'skip' | 'leap';
export type Consonance = 'perfect' | 'imperfect' | 'dissonant';

/** An interval's name and what follows from it, without direction. */
export interface IntervalName {
  /** Quality and number: "M3", "P4", "A2", "m9". */
  readonly name: string;
  readonly quality: IntervalQuality;
  /** Size on the staff: 1 unison, 2 second, ... 8 octave, 9 ninth. */
  readonly number: number;
  /** Reduced by octaves to at most an octave: "M2" for "M9"; "P8" for "P15". */
  readonly simpleName: string;
  readonly simpleNumber: number;
  /** True past the octave (number 9 and up). */
  readonly compound: boolean;
  /** In words: "major third", "augmented fourth", "minor ninth". */
  readonly fullName: string;
  readonly consonance: Consonance;
  readonly consonant: boolean;
}

/** The interval from one note of a melody to another. */
export interface MelodicInterval extends IntervalName {
  /** Note indices. */
  readonly from: number;
  readonly to: number;
  /** Signed: positive when the second note is higher. */
  readonly semitones: number;
  readonly direction: IntervalDirection;
  readonly motion: IntervalMotion;
  /** Two-way class: a skip counts as a leap. */
  readonly stepOrLeap: 'repeat' | 'step' | 'leap';
  /** True when a rest separates the two notes (for consecutive notes: a rest between them). */
  readonly acrossRest: boolean;
}

const QUALITY_WORDS: Readonly<Record<IntervalQuality, string>> = {
  P: 'perfect',
  M: 'major',
  m: 'minor',
  A: 'augmented',
  d: 'diminished',
  AA: 'doubly augmented',
  dd: 'doubly diminished',
};

const NUMBER_WORDS: Readonly<Record<number, string>> = {
  1: 'unison',
  2: 'second',
  3: 'third',
  4: 'fourth',
  5: 'fifth',
  6: 'sixth',
  7: 'seventh',
  8: 'octave',
  9: 'ninth',
  10: 'tenth',
  11: 'eleventh',
  12: 'twelfth',
  13: 'thirteenth',
  14: 'fourteenth',
  15: 'double octave',
};

const PERFECT_CONSONANCES = new Set(['P1', 'P4', 'P5', 'P8']);
const IMPERFECT_CONSONANCES = new Set(['m3', 'M3', 'm6', 'M6']);

/**
 * Names the interval between two written pitches (the order does not matter for the name).
 * @example nameInterval({letter:'F',alter:0,octave:4}, {letter:'G',alter:1,octave:4}).name // => "A2"
 * @example nameInterval({letter:'C',alter:0,octave:4}, {letter:'D',alter:0,octave:5}).name // => "M9"
 */
export function nameInterval(a: SpelledPitch, b: SpelledPitch): IntervalName {
  const distance = TonalInterval.get(TonalInterval.distance(spelledName(a), spelledName(b)));
  if (distance.empty) throw new Error(`Cannot name the interval ${spelledName(a)}-${spelledName(b)}`);
  const number = Math.abs(distance.num);
  const quality = readQuality(distance.q);
  const simpleNumber = number <= 8 ? number : simplify(number);
  const name = `${quality}${number}`;
  const simpleName = `${quality}${simpleNumber}`;
  const consonance: Consonance = PERFECT_CONSONANCES.has(simpleName)
    ? 'perfect'
    : IMPERFECT_CONSONANCES.has(simpleName)
      ? 'imperfect'
      : 'dissonant';
  return {
    name,
    quality,
    number,
    simpleName,
    simpleNumber,
    compound: number > 8,
    fullName: `${QUALITY_WORDS[quality]} ${NUMBER_WORDS[number] ?? `${number}th`}`,
    consonance,
    consonant: consonance !== 'dissonant',
  };
}

/** 9 -> 2, 14 -> 7, 15 -> 8, 16 -> 2: octaves stay octaves. */
function simplify(number: number): number {
  const reduced = ((number - 1) % 7) + 1;
  return reduced === 1 ? 8 : reduced;
}

function readQuality(q: string): IntervalQuality {
  if (q === 'P' || q === 'M' || q === 'm' || q === 'A' || q === 'd' || q === 'AA' || q === 'dd') return q;
  // Triple alterations cannot come from the key spellings Cantus uses.
  throw new Error(`Unexpected interval quality "${q}"`);
}

/** The motion class of an interval of `number` and `semitones` (see the header). */
export function motionOf(number: number, semitones: number): IntervalMotion {
  if (semitones === 0 && number === 1) return 'repeat';
  if (number <= 2) return 'step';
  if (number === 3) return 'skip';
  return 'leap';
}

/** The interval from note `from` to note `to` of the analysed melody (any two notes). */
export function intervalBetween(ctx: AnalysisContext, from: number, to: number): MelodicInterval {
  const a = ctx.spelled[from];
  const b = ctx.spelled[to];
  if (a === undefined || b === undefined) {
    throw new RangeError(
      `No note ${a === undefined ? from : to}: the melody has ${ctx.spelled.length} notes`,
    );
  }
  const named = nameInterval(a, b);
  const semitones = ctx.pitches[to]! - ctx.pitches[from]!;
  const motion = motionOf(named.number, semitones);
  const first = Math.min(from, to);
  const last = Math.max(from, to);
  let acrossRest = false;
  for (let i = first; i < last; i++) {
    if (ctx.starts[i + 1]! > ctx.ends[i]!) acrossRest = true;
  }
  return {
    from,
    to,
    ...named,
    semitones,
    direction: semitones > 0 ? 'up' : semitones < 0 ? 'down' : 'same',
    motion,
    stepOrLeap: motion === 'skip' ? 'leap' : motion,
    acrossRest,
  };
}

/** The intervals between consecutive notes: interval i goes from note i to note i + 1. */
export function melodicIntervals(ctx: AnalysisContext): MelodicInterval[] {
  const out: MelodicInterval[] = [];
  for (let i = 0; i + 1 < ctx.pitches.length; i++) out.push(intervalBetween(ctx, i, i + 1));
  return out;
}

/** How often an interval name occurs between consecutive notes, either direction. */
export interface IntervalCount {
  readonly name: string;
  readonly count: number;
  /** count / number of intervals */
  readonly share: number;
}

export interface IntervalSummary {
  /** Number of intervals between consecutive notes. */
  readonly count: number;
  /** Lowest and highest note (first of each if repeated) and the interval between them. */
  readonly range: {
    readonly lowest: number;
    readonly highest: number;
    readonly semitones: number;
    readonly name: string;
    readonly fullName: string;
  } | null;
  /** Counts of each motion class (see the header), and their shares of `count` (0..1). */
  readonly motion: Readonly<Record<IntervalMotion, number>>;
  readonly shares: Readonly<Record<IntervalMotion, number>>;
  /** Steps vs leaps (skips counted as leaps), repeats left out of both, as shares of `count`. */
  readonly stepShare: number;
  readonly leapShare: number;
  readonly directions: Readonly<Record<IntervalDirection, number>>;
  /** Share of consonant intervals (see the header). */
  readonly consonantShare: number;
  /** Every interval name used, most frequent first (ties: smaller first, then by name). */
  readonly commonest: readonly IntervalCount[];
  /**
   * The widest interval between consecutive notes that is a skip or a leap (a third or
   * more); the first one when several are as wide; null when the melody only steps or repeats.
   */
  readonly largestLeap: MelodicInterval | null;
}

/** Sums up the intervals between consecutive notes. */
export function summarizeIntervals(
  ctx: AnalysisContext,
  intervals: readonly MelodicInterval[],
): IntervalSummary {
  const count = intervals.length;
  const motion: Record<IntervalMotion, number> = { repeat: 0, step: 0, skip: 0, leap: 0 };
  const directions: Record<IntervalDirection, number> = { up: 0, down: 0, same: 0 };
  const byName = new Map<string, { count: number; semitones: number }>();
  let consonant = 0;
  let largestLeap: MelodicInterval | null = null;
  for (const iv of intervals) {
    motion[iv.motion]++;
    directions[iv.direction]++;
    if (iv.consonant) consonant++;
    const entry = byName.get(iv.name) ?? { count: 0, semitones: Math.abs(iv.semitones) };
    entry.count++;
    byName.set(iv.name, entry);
    if (
      iv.stepOrLeap === 'leap' &&
      (!largestLeap || Math.abs(iv.semitones) > Math.abs(largestLeap.semitones))
    ) {
      largestLeap = iv;
    }
  }
  const share = (k: number): number => (count === 0 ? 0 : k / count);
  const commonest = [...byName.entries()]
    .sort((a, b) => b[1].count - a[1].count || a[1].semitones - b[1].semitones || (a[0] < b[0] ? -1 : 1))
    .map(([name, e]) => ({ name, count: e.count, share: share(e.count) }));

  let range: IntervalSummary['range'] = null;
  if (ctx.pitches.length > 0) {
    let lowest = 0;
    let highest = 0;
    ctx.pitches.forEach((p, i) => {
      if (p < ctx.pitches[lowest]!) lowest = i;
      if (p > ctx.pitches[highest]!) highest = i;
    });
    const named = nameInterval(ctx.spelled[lowest]!, ctx.spelled[highest]!);
    range = {
      lowest,
      highest,
      semitones: ctx.pitches[highest]! - ctx.pitches[lowest]!,
      name: named.name,
      fullName: named.fullName,
    };
  }
  return {
    count,
    range,
    motion,
    shares: {
      repeat: share(motion.repeat),
      step: share(motion.step),
      skip: share(motion.skip),
      leap: share(motion.leap),
    },
    stepShare: share(motion.step),
    leapShare: share(motion.skip + motion.leap),
    directions,
    consonantShare: share(consonant),
    commonest,
    largestLeap,
  };
}
