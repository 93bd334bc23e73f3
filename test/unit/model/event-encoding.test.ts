import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  basicEncoding,
  COUNTER_BITS,
  denseRows,
  encodingForShape,
  eventProbabilities,
  lookbackEncoding,
  PHRASE_DISTANCES,
  phraseLookbackEncoding,
  sparseRows,
  STRAIN_BITS,
} from '../../../src-core/model/event-encoding.ts';
import {
  encodeMelody,
  EVENT_CLASSES,
  MODEL_PITCH_RANGE,
  NO_EVENT,
} from '../../../src-core/model/melody-events.ts';
import { makeMelody, parseNotes, stepsPerBar } from '../../../src-core/music/melody.ts';

const lookback = lookbackEncoding(MODEL_PITCH_RANGE);
const C = EVENT_CLASSES;
const meters = [
  { numerator: 2, denominator: 4 },
  { numerator: 3, denominator: 4 },
  { numerator: 4, denominator: 4 },
  { numerator: 6, denominator: 8 },
  { numerator: 9, denominator: 8 },
];

/** The dense input vector of one step. */
function inputAt(events: number[], position: number, bar: number): number[] {
  const rows = sparseRows(1, lookback.perRow);
  lookback.writeInput(events, position, bar, rows, 0);
  return [...denseRows(rows, lookback.inputDepth)];
}

describe('the lookback encoding', () => {
  it('has Magenta lookback_rnn’s sizes for 38 events: 121 inputs, 40 classes', () => {
    expect([lookback.inputDepth, lookback.classes, lookback.events]).toEqual([3 * 38 + 7, 40, 38]);
    expect(encodingForShape(MODEL_PITCH_RANGE, 121, 40)?.kind).toBe('lookback');
    expect(encodingForShape(MODEL_PITCH_RANGE, 38, 38)?.kind).toBe('basic');
    expect(encodingForShape(MODEL_PITCH_RANGE, 38, 40)).toBeNull();
  });

  it('lays out one hand-checked input (bar of 4 steps)', () => {
    // positions:   0   1  2  3 | 4   5  6  7 | 8
    const events = [30, 0, 1, 0, 30, 0, 1, 0, 30];
    const x = inputAt(events, 4, 4); // predicting event 5, which falls on step 1 of its bar
    const on = x.flatMap((v, i) => (v !== 0 ? [[i, v]] : []));
    expect(on).toEqual([
      [30, 1], // last event: 30
      [C + 0, 1], // one bar before event 5: event 1 (no-event)
      [2 * C + 0, 1], // two bars before event 5: before the start, no-event
      [3 * C, 1], // counter bit 0 of 1: +1
      [3 * C + 1, -1],
      [3 * C + 2, -1],
      [3 * C + 3, -1],
      [3 * C + 4, -1],
      [3 * C + COUNTER_BITS, 1], // event 4 repeats event 0 (one bar back)
    ]);
  });

  it('teaches the two-bar repeat first, then the one-bar repeat, then the event', () => {
    const events = [30, 0, 31, 0, 30, 0, 32, 0, 30, 0, 31, 0];
    expect(lookback.label(events, 8, 4)).toBe(C + 1); // 30 two bars back (and one bar back)
    expect(lookback.label(events, 10, 4)).toBe(C + 1); // 31 two bars back, not one bar back
    expect(lookback.label(events, 6, 4)).toBe(32); // new
    expect(lookback.label(events, 1, 4)).toBe(C + 1); // before two bars: no-event repeats "nothing"
    expect(lookback.label(events, 2, 4)).toBe(31);
  });

  it('gives back every event from its label, in every meter (round trip)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...meters),
        fc.array(fc.integer({ min: 0, max: C - 1 }), { minLength: 1, maxLength: 120 }),
        fc.boolean(),
        (meter, raw, repeat) => {
          const bar = stepsPerBar(meter);
          // Half the cases copy bars, so repeats are common.
          const events = repeat ? raw.map((e, i) => (i >= bar && i % 3 !== 0 ? raw[i - bar]! : e)) : raw;
          const out = new Int32Array(lookback.classes);
          for (let p = 0; p < events.length; p++) {
            const label = lookback.label(events, p, bar);
            lookback.classEvents(events, p, bar, out);
            expect(out[label]).toBe(events[p]);
          }
        },
      ),
    );
  });

  it('encodes a real melody in 6/8 with its bars', () => {
    const melody = makeMelody({
      notes: parseNotes('C4/2 D4/2 E4/2 C4/2 D4/2 E4/2 G4/4 E4/2 G4/4 E4/2 G4/4 E4/2 G4/4 E4/2'),
      meter: { numerator: 6, denominator: 8 },
      length: 36,
    });
    const events = encodeMelody(melody);
    expect(events.ok).toBe(true);
    const list = events.ok ? events.value : [];
    const labels = list.map((_, p) => lookback.label(list, p, 12));
    // Bar 3 (steps 24-35) repeats bar 2 exactly, so every event is a repeat: of two bars back
    // where bar 1 has the same event (its silent odd steps, its E4s), else of one bar back.
    //   bar 1: C . D . E . C . D . E .    bar 2 = bar 3: G . . . E . G . . . E .
    expect(labels.slice(24, 36).map((l) => (l === C ? 'bar' : l === C + 1 ? '2 bars' : l))).toEqual([
      'bar',
      '2 bars',
      'bar',
      '2 bars',
      '2 bars',
      '2 bars',
      'bar',
      '2 bars',
      'bar',
      '2 bars',
      '2 bars',
      '2 bars',
    ]);
    // Bar 2 differs from bar 1 from its first note on.
    expect(labels[12]).toBe(list[12]);
  });

  it('numbers the step within the bar, not the absolute step', () => {
    const events = new Array<number>(40).fill(NO_EVENT);
    for (const bar of [8, 12, 16]) {
      const counter = (p: number) => inputAt(events, p, bar).slice(3 * C, 3 * C + COUNTER_BITS);
      expect(counter(bar - 1)).toEqual(counter(2 * bar - 1)); // both predict a downbeat
      expect(counter(bar - 1)).toEqual([-1, -1, -1, -1, -1]);
    }
  });

  it('refuses a bar the counter cannot number', () => {
    expect(() => lookback.label([1, 2], 1, 33)).toThrow(RangeError);
  });
});

describe('the phrase-lookback encoding', () => {
  const phrase = phraseLookbackEncoding(MODEL_PITCH_RANGE);
  const dense = (events: number[], position: number, bar: number): number[] => {
    const rows = sparseRows(1, phrase.perRow);
    phrase.writeInput(events, position, bar, rows, 0);
    return [...denseRows(rows, phrase.inputDepth)];
  };

  it('is lookback’s input and classes followed by the four- and eight-bar ones: 202 inputs, 42 classes', () => {
    expect([phrase.inputDepth, phrase.classes]).toEqual([5 * 38 + 12, 42]);
    expect(encodingForShape(MODEL_PITCH_RANGE, 202, 42)?.kind).toBe('phrase-lookback');
    // A lookback model widened into this one reads the same first 121 values.
    fc.assert(
      fc.property(
        fc.constantFrom(...meters),
        fc.array(fc.integer({ min: 0, max: C - 1 }), { minLength: 1, maxLength: 200 }),
        (meter, events) => {
          const bar = stepsPerBar(meter);
          const p = events.length - 1;
          expect(dense(events, p, bar).slice(0, lookback.inputDepth)).toEqual(inputAt(events, p, bar));
        },
      ),
    );
  });

  it('lays out the new values of one hand-checked input (bar of 2 steps)', () => {
    // Bars of 2 steps: four bars back is 8 steps, eight bars back 16 steps.
    const events = [30, 0, 31, 0, 32, 0, 33, 0, 30, 0, 34, 0, 35, 0, 36, 0, 30];
    const x = dense(events, 16, 2); // predicting event 17: four bars back is event 9, eight bars back event 1
    const from = lookback.inputDepth;
    const on = x.flatMap((v, i) => (i >= from && v !== 0 ? [[i - from, v]] : []));
    expect(on).toEqual([
      [0, 1], // event 9 (no-event), four bars back
      [C + 0, 1], // event 1 (no-event), eight bars back
      [2 * C + 0, -1], // event 17 is in bar 8: 8 mod 8 = 0, all bits -1
      [2 * C + 1, -1],
      [2 * C + 2, -1],
      [2 * C + STRAIN_BITS, 1], // event 16 (30) repeats event 8 (30), four bars before it
      [2 * C + STRAIN_BITS + 1, 1], // and event 0 (30), eight bars before it
    ]);
  });

  it('teaches the longest real repeat of four or eight bars, else as lookback does', () => {
    const events = [30, 0, 31, 0, 32, 0, 33, 0, 30, 0, 34, 0, 35, 0, 36, 0, 30, 0, 37];
    const [four, eight] = [lookback.classes, lookback.classes + 1];
    expect(PHRASE_DISTANCES).toEqual([4, 8]);
    expect(phrase.label(events, 8, 2)).toBe(four); // 30 four bars back
    expect(phrase.label(events, 16, 2)).toBe(eight); // 30 four and eight bars back: the longer
    expect(phrase.label(events, 18, 2)).toBe(37); // new
    expect(phrase.label(events, 1, 2)).toBe(C + 1); // before anything repeats: lookback's rule
    expect(phrase.label(events, 5, 2)).toBe(C + 1); // no-event two bars back
  });

  it('gives back every event from its label, in every meter (round trip)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...meters),
        fc.array(fc.integer({ min: 0, max: C - 1 }), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(0, 1, 4, 8),
        (meter, raw, copyBars) => {
          const bar = stepsPerBar(meter);
          // Most cases copy bars from some distance back, so repeats of each kind are common.
          const back = copyBars * bar;
          const events = back ? raw.map((e, i) => (i >= back && i % 5 !== 0 ? raw[i - back]! : e)) : raw;
          const out = new Int32Array(phrase.classes);
          for (let p = 0; p < events.length; p++) {
            const label = phrase.label(events, p, bar);
            phrase.classEvents(events, p, bar, out);
            expect(out[label]).toBe(events[p]);
          }
        },
      ),
    );
  });
});

describe('event probabilities', () => {
  it('sum every class that gives the same event', () => {
    const events = [30, 0, 30, 0];
    const out = new Int32Array(lookback.classes);
    lookback.classEvents(events, 4, 2, out); // one bar back: event 2 (30); two bars back: event 0 (30)
    const probs = new Float32Array(lookback.classes);
    probs[30] = 0.2;
    probs[C] = 0.3;
    probs[C + 1] = 0.4;
    probs[0] = 0.1;
    const byEvent = eventProbabilities(probs, 0, out, C);
    expect(byEvent[30]).toBeCloseTo(0.9, 6);
    expect(byEvent[0]).toBeCloseTo(0.1, 6);
  });

  it('are the class probabilities for the basic encoding', () => {
    const basic = basicEncoding(MODEL_PITCH_RANGE);
    const out = new Int32Array(basic.classes);
    basic.classEvents([], 0, 16, out);
    const probs = Float32Array.from({ length: C }, (_, k) => k / 703);
    expect([...eventProbabilities(probs, 0, out, C)].map((p) => p.toFixed(6))).toEqual(
      [...probs].map((p) => p.toFixed(6)),
    );
  });
});
