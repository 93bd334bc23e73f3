/**
 * Where a melody's barlines fall: the one answer the score, the analysis and the file writer
 * share when a melody opens with a pickup or changes its time signature.
 *
 * RULE: with a pickup of p steps, bar 0 is the incomplete bar [0, p) and full bars follow from
 * p; without one, bar 0 starts at 0. Each bar takes the time signature in force at its start
 * (the last change at or before it, else `melody.meter`). A change that falls inside a bar
 * (a file whose signature changes off the barline) ends that bar early, so the change always
 * starts a bar. Bars cover the melody's length and its last note, at least one bar, and the last
 * bar is always complete.
 *
 * NUMBERS follow engraving practice: the first full bar is bar 1, so a pickup is bar 0.
 */
import { makeMelody, stepsPerBar, type Melody, type Meter, type MeterChange, type Steps } from './melody.ts';

export interface Bar {
  readonly start: Steps;
  readonly length: Steps;
  readonly meter: Meter;
  /** The bar's number as a score prints it (the pickup is 0, the first full bar 1). */
  readonly number: number;
  /** True for the opening pickup; false for every other bar, short or not. */
  readonly pickup: boolean;
  /**
   * Where the bar's first step lies within a full bar of its meter: a pickup of 2 steps in 6/8
   * lies at 10; every other bar at 0. Beat positions inside the bar count from here.
   */
  readonly offset: Steps;
}

export interface BarGrid {
  readonly bars: readonly Bar[];
  /** True when every bar is a full bar of `melody.meter` from step 0: bar i starts at i * length. */
  readonly regular: boolean;
  /** The bar that holds `step` (the first bar for a negative step, the last for one past the end). */
  barAt(step: Steps): number;
}

type Barred = Pick<Melody, 'meter' | 'pickup' | 'meterChanges' | 'length' | 'notes'>;

/** True when the melody has neither a pickup nor a change of time signature. */
export function hasPlainBars(melody: Pick<Melody, 'pickup' | 'meterChanges'>): boolean {
  return !melody.pickup && (melody.meterChanges?.length ?? 0) === 0;
}

/**
 * The bars of `melody` (rule in the header).
 * @example barGrid(makeMelody({ notes: parseNotes('A4/2 D5/12'), meter: SIX_EIGHT, pickup: 2 })).bars
 *   // => [{ start: 0, length: 2, number: 0, pickup: true, offset: 10, … }, { start: 2, length: 12, number: 1, … }]
 */
export function barGrid(melody: Barred, minimumEnd: Steps = 0): BarGrid {
  const lastEnd = melody.notes.reduce((m, n) => Math.max(m, n.end), 0);
  const end = Math.max(melody.length, lastEnd, minimumEnd, 1);
  const full = stepsPerBar(melody.meter);
  const pickup = melody.pickup && melody.pickup > 0 && melody.pickup < full ? melody.pickup : 0;
  const changes = (melody.meterChanges ?? [])
    .filter((c) => c.at > pickup)
    .slice()
    .sort((a, b) => a.at - b.at);

  const bars: Bar[] = [];
  let at = 0;
  let meter = melody.meter;
  let next = 0; // the next change to take effect
  if (pickup > 0) {
    bars.push({ start: 0, length: pickup, meter, number: 0, pickup: true, offset: full - pickup });
    at = pickup;
  }
  while (at < end || bars.length === (pickup > 0 ? 1 : 0)) {
    while (next < changes.length && changes[next]!.at <= at) meter = changes[next++]!.meter;
    let length = stepsPerBar(meter);
    const change = changes[next];
    if (change && change.at < at + length) length = change.at - at;
    bars.push({
      start: at,
      length,
      meter,
      number: bars.length + (pickup > 0 ? 0 : 1),
      pickup: false,
      offset: 0,
    });
    at += length;
  }
  const regular = pickup === 0 && changes.length === 0;
  return {
    bars,
    regular,
    barAt(step: Steps): number {
      if (regular) return Math.min(bars.length - 1, Math.max(0, Math.floor(step / full)));
      let lo = 0;
      let hi = bars.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (bars[mid]!.start <= step) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
  };
}

/** The time signature in force at `step`: the last change at or before it, else `melody.meter`. */
export function meterAt(melody: Pick<Melody, 'meter' | 'meterChanges'>, step: Steps): Meter {
  let meter = melody.meter;
  for (const c of melody.meterChanges ?? []) if (c.at <= step) meter = c.meter;
  return meter;
}

/** "6/8" */
export function meterName(meter: Meter): string {
  return `${meter.numerator}/${meter.denominator}`;
}

/** A time signature as a file states it: in force from step `at`. */
export interface StatedMeter {
  readonly at: Steps;
  readonly meter: Meter;
}

export interface ReadBars {
  readonly meter: Meter;
  readonly pickup: Steps;
  readonly meterChanges: readonly MeterChange[];
}

const sameMeter = (a: Meter, b: Meter): boolean =>
  a.numerator === b.numerator && a.denominator === b.denominator;

/**
 * The melody's meter, pickup and changes from the time signatures a file states. Files write a
 * pickup in one of two ways, and both are read as one:
 * - a short signature for the first bar alone (1/8 then 6/8): notation programs' MIDI export;
 * - the tune's signature from step 0 and a later change that lands off that signature's
 *   barlines (6/8 from 0, 4/4 from step 26): abc2midi's, where the upbeat shifts every barline.
 * Without signatures the meter is 4/4, as the MIDI standard says.
 * @example barsFromSignatures([{ at: 0, meter: {numerator: 1, denominator: 8} }, { at: 2, meter: SIX_EIGHT }])
 *   // => { meter: 6/8, pickup: 2, meterChanges: [] }
 */
export function barsFromSignatures(stated: readonly StatedMeter[], fallback: Meter): ReadBars {
  const sorted = [...stated].sort((a, b) => a.at - b.at);
  // Of signatures at one step the last counts; a signature equal to the one in force is no change.
  const steps: StatedMeter[] = [];
  for (const s of sorted) {
    if (steps.length > 0 && steps[steps.length - 1]!.at === s.at) steps.pop();
    const before = steps.length > 0 ? steps[steps.length - 1]!.meter : s.at > 0 ? fallback : null;
    if (before && sameMeter(before, s.meter)) continue;
    steps.push(s);
  }
  if (steps.length === 0) return { meter: fallback, pickup: 0, meterChanges: [] };
  const first = steps[0]!.at === 0 ? steps.shift()!.meter : fallback;
  const second = steps[0];
  if (second) {
    // A bar of its own before the tune's meter, shorter than that meter's bar: a pickup.
    if (second.at === stepsPerBar(first) && second.at < stepsPerBar(second.meter)) {
      return { meter: second.meter, pickup: second.at, meterChanges: steps.slice(1) };
    }
    // The first change lands off the first meter's barlines: the barlines were shifted by an upbeat.
    const shift = second.at % stepsPerBar(first);
    if (shift > 0) return { meter: first, pickup: shift, meterChanges: steps };
  }
  return { meter: first, pickup: 0, meterChanges: steps };
}

/**
 * The time signatures to write for a melody's bars so that `barsFromSignatures` reads them
 * back: a pickup gets a signature of its own length (in the meter's unit when it divides, else
 * in 16ths), then the meter and each change.
 */
export function signaturesOfBars(melody: Pick<Melody, 'meter' | 'pickup' | 'meterChanges'>): StatedMeter[] {
  const out: StatedMeter[] = [];
  const pickup = melody.pickup ?? 0;
  if (pickup > 0 && pickup < stepsPerBar(melody.meter)) {
    const unit = 16 / melody.meter.denominator;
    const meter =
      pickup % unit === 0
        ? { numerator: pickup / unit, denominator: melody.meter.denominator }
        : { numerator: pickup, denominator: 16 };
    out.push({ at: 0, meter });
  }
  out.push({ at: pickup > 0 ? pickup : 0, meter: melody.meter });
  for (const c of melody.meterChanges ?? []) if (c.at > pickup) out.push({ at: c.at, meter: c.meter });
  return out;
}

/**
 * How many bars `barGrid` lays out to reach `end`, counted per section without laying them out:
 * cheap for any length, so a file whose end lies millions of bars away is refused before its
 * bars are built.
 */
export function countBars(melody: Pick<Melody, 'meter' | 'pickup' | 'meterChanges'>, end: Steps): number {
  const full = stepsPerBar(melody.meter);
  const pickup = melody.pickup && melody.pickup > 0 && melody.pickup < full ? melody.pickup : 0;
  const changes = (melody.meterChanges ?? []).filter((c) => c.at > pickup).sort((a, b) => a.at - b.at);
  let count = pickup > 0 ? 1 : 0;
  let at = pickup;
  let meter = melody.meter;
  const target = Math.max(end, 1);
  for (const change of changes) {
    if (at >= target) break;
    const length = stepsPerBar(meter);
    const until = Math.min(change.at, target);
    const whole = Math.ceil((until - at) / length);
    count += whole;
    at = until === change.at ? change.at : at + whole * length;
    if (until === change.at) meter = change.meter;
  }
  if (at < target) count += Math.ceil((target - at) / stepsPerBar(meter));
  return count === (pickup > 0 ? 1 : 0) ? count + 1 : count;
}

/**
 * The melody from the bar that holds `step` on, as a melody of its own: its notes, time and key
 * signatures and triplets moved to start at that barline (a cut at step 0 keeps the melody).
 */
export function melodyFromBar(melody: Melody, step: Steps): Melody {
  const grid = barGrid(melody);
  const bar = grid.bars[grid.barAt(step)]!;
  const start = bar.start;
  if (start === 0) return melody;
  const after = <T extends { readonly at: Steps }>(list: readonly T[] | undefined): T[] =>
    (list ?? []).filter((c) => c.at > start).map((c) => ({ ...c, at: c.at - start }));
  return makeMelody({
    notes: melody.notes
      .filter((n) => n.start >= start)
      .map((n) => ({ ...n, start: n.start - start, end: n.end - start })),
    meter: bar.meter,
    meterChanges: after(melody.meterChanges),
    key: (melody.keyChanges ?? []).filter((c) => c.at <= start).at(-1)?.key ?? melody.key,
    keyChanges: after(melody.keyChanges),
    tuplets: (melody.tuplets ?? [])
      .filter((t) => t.start >= start)
      .map((t) => ({ ...t, start: t.start - start })),
    tempo: melody.tempo,
    length: melody.length - start,
    ...(melody.title !== undefined ? { title: melody.title } : {}),
  });
}
