/**
 * Rhythm spelling: how a stretch of time inside one bar is written as note values.
 * The rules are described in full at the top of build-score.ts; this file holds the
 * beat layout of each meter and the greedy splitter that applies them.
 */
import { stepsPerBar, type Meter, type Steps } from '../music/melody.ts';
import type { NoteValue } from './types.ts';

/** A written value: how many steps it lasts, its symbol and its dots. */
export interface WrittenValue {
  readonly steps: Steps;
  readonly value: NoteValue;
  readonly dots: 0 | 1 | 2;
}

/**
 * The values the splitter writes, longest first. Double-dotted values (q.. = 7, h.. = 14)
 * are valid in a score but never chosen here: a tie reads more easily.
 */
export const STANDARD_VALUES: readonly WrittenValue[] = [
  { steps: 16, value: 'w', dots: 0 },
  { steps: 12, value: 'h', dots: 1 },
  { steps: 8, value: 'h', dots: 0 },
  { steps: 6, value: 'q', dots: 1 },
  { steps: 4, value: 'q', dots: 0 },
  { steps: 3, value: '8', dots: 1 },
  { steps: 2, value: '8', dots: 0 },
  { steps: 1, value: '16', dots: 0 },
];

/** Steps a value lasts. @example valueSteps('q', 1) // => 6 */
export function valueSteps(value: NoteValue, dots: 0 | 1 | 2): Steps {
  const base = { w: 16, h: 8, q: 4, '8': 2, '16': 1 }[value];
  return dots === 0 ? base : dots === 1 ? (base * 3) / 2 : (base * 7) / 4;
}

/** How one bar of a meter divides into beats, with lookup tables indexed by step in the bar. */
export interface BeatLayout {
  readonly stepsPerBar: Steps;
  /** Start of each beat within the bar (the first is 0). */
  readonly beatStarts: readonly Steps[];
  /** True for compound meters (6/8, 9/8, 12/8, 3/8, 6/16 ...), whose beat is a dotted value. */
  readonly compound: boolean;
  /** In compound meters, the length of a beat's third (an eighth in 6/8); 0 otherwise. */
  readonly subBeat: Steps;
  /** The half-bar line that only notes starting on beat 1 may cross, or null when there is none. */
  readonly middle: Steps | null;
  /** `isBoundary[s]` is true when a beat starts at step s; `isBoundary[stepsPerBar]` is true. */
  readonly isBoundary: readonly boolean[];
  /** `beatStartAt[s]` is the start of the beat holding step s. */
  readonly beatStartAt: readonly Steps[];
  /** `beatEndAt[s]` is the end of the beat holding step s. */
  readonly beatEndAt: readonly Steps[];
}

/**
 * The beats of one bar.
 * - Simple meters (x/2, x/4): one beat per denominator note (4/4: four quarters).
 * - Compound meters (numerator a multiple of 3, denominator 8 or 16): dotted beats of three
 *   denominator notes (6/8: two dotted quarters; 3/8: one).
 * - Other x/8 and x/16 meters: beats of two denominator notes with a final beat of three
 *   when the numerator is odd (5/8 = 2+3, 7/8 = 2+2+3).
 * An even number of equal beats gives a half-bar line (4/4: step 8; 12/8: step 12).
 * @example beatLayout({ numerator: 6, denominator: 8 }).beatStarts // => [0, 6]
 */
export function beatLayout(meter: Meter): BeatLayout {
  const bar = stepsPerBar(meter);
  if (!Number.isInteger(bar) || bar <= 0 || !Number.isInteger(meter.numerator)) {
    throw new Error(`Meter ${meter.numerator}/${meter.denominator} does not fit the sixteenth-note grid`);
  }
  const unit = 16 / meter.denominator;
  let lengths: Steps[];
  let compound = false;
  if (meter.denominator >= 8 && meter.numerator % 3 === 0) {
    compound = true;
    lengths = new Array<Steps>(meter.numerator / 3).fill(3 * unit);
  } else if (meter.denominator >= 8 && meter.numerator > 1) {
    const twos = meter.numerator % 2 === 0 ? meter.numerator / 2 : (meter.numerator - 3) / 2;
    lengths = new Array<Steps>(twos).fill(2 * unit);
    if (meter.numerator % 2 === 1) lengths.push(3 * unit);
  } else {
    lengths = new Array<Steps>(meter.numerator).fill(unit);
  }

  const beatStarts: Steps[] = [];
  const isBoundary = new Array<boolean>(bar + 1).fill(false);
  const beatStartAt = new Array<Steps>(bar).fill(0);
  const beatEndAt = new Array<Steps>(bar).fill(bar);
  let at = 0;
  for (const length of lengths) {
    beatStarts.push(at);
    isBoundary[at] = true;
    for (let s = at; s < at + length; s++) {
      beatStartAt[s] = at;
      beatEndAt[s] = at + length;
    }
    at += length;
  }
  isBoundary[bar] = true;

  const uniform = lengths.every((l) => l === lengths[0]);
  const middle = uniform && lengths.length % 2 === 0 ? bar / 2 : null;
  return {
    stepsPerBar: bar,
    beatStarts,
    compound,
    subBeat: compound ? unit : 0,
    middle,
    isBoundary,
    beatStartAt,
    beatEndAt,
  };
}

/** A written piece of a note or rest: where it starts in the bar and its value. */
export interface Piece extends WrittenValue {
  readonly offset: Steps;
}

/**
 * Writes the stretch [from, to) of one bar (offsets within the bar) as a list of values,
 * taking at each point the longest value the rules allow. Notes are tied across the
 * pieces; rests are simply placed one after another.
 * @example splitInBar(beatLayout({numerator: 4, denominator: 4}), 2, 6, 'note')
 *          // => 8 at 2, 8 at 4 (a syncopated quarter shown with a tie)
 */
export function splitInBar(layout: BeatLayout, from: Steps, to: Steps, kind: 'note' | 'rest'): Piece[] {
  if (!(from >= 0 && to <= layout.stepsPerBar && from < to)) {
    throw new Error(`Cannot split [${from}, ${to}) in a bar of ${layout.stepsPerBar} steps`);
  }
  const pieces: Piece[] = [];
  let at = from;
  while (at < to) {
    const choice = STANDARD_VALUES.find((v) => fits(layout, at, v, to, kind));
    // A sixteenth always fits, so `choice` is only undefined if the tables are broken.
    if (!choice) throw new Error(`No written value fits at step ${at}`);
    pieces.push({ offset: at, ...choice });
    at += choice.steps;
  }
  return pieces;
}

/** Whether value `v` may be written starting at bar offset `at` without passing `to`. */
function fits(layout: BeatLayout, at: Steps, v: WrittenValue, to: Steps, kind: 'note' | 'rest'): boolean {
  const end = at + v.steps;
  if (end > to) return false;
  // In simple meters a rest is never dotted: each beat (or half, or whole bar) gets its own rest.
  if (kind === 'rest' && v.dots > 0 && !layout.compound) return false;
  // Only a value that starts the bar may cross the half-bar line.
  if (layout.middle !== null && at !== 0 && at < layout.middle && end > layout.middle) return false;

  const beatEnd = layout.beatEndAt[at]!;
  if (!layout.isBoundary[at]) {
    // Off the beat: stop at the next beat so the beat stays visible.
    if (end > beatEnd) return false;
    if (layout.subBeat > 1) {
      // Compound meters: a value starting between eighths stops at the next eighth.
      const intoSub = (at - layout.beatStartAt[at]!) % layout.subBeat;
      if (intoSub !== 0 && end > at - intoSub + layout.subBeat) return false;
    }
    return true;
  }
  // On the beat: stay inside the beat, end on a later beat, or be a dotted value whose
  // undotted part ends on a beat (a dotted quarter on beat 1 of 4/4).
  if (end <= beatEnd || layout.isBoundary[end]) return true;
  return v.dots === 1 && layout.isBoundary[at + (v.steps * 2) / 3] === true;
}
