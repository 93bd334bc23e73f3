import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng, rngFromState, shuffled } from '../../../src-core/model/rng.ts';
import {
  createWindowSource,
  epochOrder,
  startCursor,
  type DataCursor,
  type TrainingSequence,
} from '../../../src-core/model/training-windows.ts';
import { basicEncoding } from '../../../src-core/model/event-encoding.ts';
import { MODEL_PITCH_RANGE } from '../../../src-core/model/melody-events.ts';

const basic = basicEncoding(MODEL_PITCH_RANGE);
const asSequences = (melodies: number[][]): TrainingSequence[] =>
  melodies.map((events) => ({ events, bar: 16 }));

describe('the seeded generator', () => {
  it('replays from a saved state', () => {
    const a = createRng(42);
    for (let i = 0; i < 10; i++) a.next();
    const b = rngFromState(a.state());
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('keeps its state as four unsigned 32-bit integers', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rng = createRng(seed);
        rng.next();
        for (const v of rng.state()) expect(Number.isInteger(v) && v >= 0 && v <= 0xffffffff).toBe(true);
      }),
    );
  });

  it('draws in [0, 1) and differs between seeds', () => {
    const xs = Array.from({ length: 1000 }, createRng(1).next);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(createRng(1).next()).not.toBe(createRng(2).next());
  });

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect([...shuffled(items, createRng(3))].sort((a, b) => a - b)).toEqual(items);
  });
});

describe('training windows', () => {
  const melodies = [
    [1, 2, 3, 4, 5],
    [10, 11, 12],
    [20, 21, 22, 23, 24, 25, 26],
  ];

  it('orders each epoch by the seed and the epoch only', () => {
    expect(epochOrder(10, 7, 3)).toEqual(epochOrder(10, 7, 3));
    expect(epochOrder(10, 7, 3)).not.toEqual(epochOrder(10, 7, 4));
  });

  it('feeds each melody as (input, next event) pairs, padding where it ends, time-major', () => {
    const source = createWindowSource(asSequences(melodies), 1, basic);
    const order = epochOrder(3, 1, 0);
    const { window, cursor } = source.next(startCursor(2), 3);
    expect(window.reset).toEqual(Uint8Array.from([1, 1]));
    for (let b = 0; b < 2; b++) {
      const events = melodies[order[b]!]!;
      for (let t = 0; t < 3; t++) {
        const k = t * 2 + b;
        if (t + 1 < events.length) {
          expect([window.inputs.indices[k], window.targets[k], window.mask[k]]).toEqual([
            events[t],
            events[t + 1],
            1,
          ]);
        } else {
          expect(window.mask[k]).toBe(0);
        }
      }
    }
    expect(cursor.cursor).toBe(2);
    expect(cursor.streams.map((s) => s.offset)).toEqual([3, 3]);
  });

  it('carries a row on in its melody, then starts the next with a reset', () => {
    const data = [
      [1, 2, 3, 4, 5, 6],
      [7, 8, 9],
    ];
    const source = createWindowSource(asSequences(data), 5, basic);
    const [first, second] = epochOrder(2, 5, 0).map((i) => data[i]!);
    const expected = (events: number[]): [number, number[]][] =>
      events.length === 6
        ? [
            [1, [2, 3]],
            [0, [4, 5]],
            [0, [6]],
          ]
        : [[1, [8, 9]]];
    let cursor: DataCursor = startCursor(1);
    const seen: [number, number[]][] = [];
    for (let i = 0; i < 4; i++) {
      const r = source.next(cursor, 2);
      seen.push([r.window.reset[0]!, [...r.window.targets].filter((_, k) => r.window.mask[k] === 1)]);
      cursor = r.cursor;
    }
    expect(seen).toEqual([...expected(first!), ...expected(second!)]);
    expect(cursor.epoch).toBe(1);
  });

  it('sees every target of every melody once per epoch, in the epoch order', () => {
    const source = createWindowSource(asSequences(melodies), 9, basic);
    let cursor = startCursor(1);
    const targets: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = source.next(cursor, 4);
      r.window.targets.forEach((t, k) => {
        if (r.window.mask[k]) targets.push(t);
      });
      cursor = r.cursor;
    }
    const epochs = [0, 1, 2, 3].flatMap((e) => epochOrder(3, 9, e).flatMap((i) => melodies[i]!.slice(1)));
    expect(targets).toEqual(epochs.slice(0, targets.length));
    expect(targets.length).toBeGreaterThan(2 * melodies.reduce((s, m) => s + m.length - 1, 0));
  });

  it('gives the same windows from the same cursor (what resuming relies on)', () => {
    const a = createWindowSource(asSequences(melodies), 4, basic);
    const b = createWindowSource(asSequences(melodies), 4, basic);
    let cursor = startCursor(2);
    for (let i = 0; i < 5; i++) cursor = a.next(cursor, 3).cursor;
    const saved: DataCursor = JSON.parse(JSON.stringify(cursor)) as DataCursor;
    expect(b.next(saved, 3)).toEqual(a.next(cursor, 3));
  });

  it('refuses data with nothing to predict', () => {
    expect(() => createWindowSource(asSequences([[1], []]), 1, basic)).toThrow();
  });
});
