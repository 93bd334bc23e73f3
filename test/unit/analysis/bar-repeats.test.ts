import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeContext, type AnalysisContext } from '../../../src-core/analysis/context.ts';
import { findBarRepeats, type BarRelation, type BarRepeat } from '../../../src-core/analysis/form.ts';
import { makeMelody, type Melody } from '../../../src-core/music/melody.ts';
import { makeBenchMelody } from '../../../scripts/bench/analyze.ts';
import { melodySpec } from './arbitraries.ts';
import * as tunes from './melodies.ts';

const STRENGTH: Record<BarRelation, number> = { exact: 0, transposed: 1, tonal: 2, varied: 3, rhythm: 4 };

/**
 * The rule in form.ts's header, applied the slow way: every bar against every earlier bar,
 * in order, keeping the strongest relation (the first on ties).
 */
function barRepeatsByHand(ctx: AnalysisContext): BarRepeat[] {
  const { starts, ends, pitches, staff, barSteps } = ctx;
  const numbers = [...new Set(starts.map((s) => Math.floor(s / barSteps)))].sort((a, b) => a - b);
  const bars = numbers.map((b) => {
    const notes = starts.flatMap((s, i) => (Math.floor(s / barSteps) === b ? [i] : []));
    const onsets = notes.map((i) => starts[i]! - b * barSteps);
    return {
      number: b,
      notes,
      onsets,
      lengths: notes.map((i) => Math.min(ends[i]!, (b + 1) * barSteps) - starts[i]!),
      points: new Set(notes.map((i, k) => `${onsets[k]}:${pitches[i]}`)),
    };
  });
  const relationOf = (a: (typeof bars)[number], b: (typeof bars)[number]): BarRelation | null => {
    const sameRhythm =
      a.notes.length === b.notes.length &&
      a.onsets.every((o, k) => o === b.onsets[k]) &&
      a.lengths.every((l, k) => l === b.lengths[k]);
    const single = b.notes.length === 1;
    if (sameRhythm) {
      const moves = a.notes.map((ai, k) => pitches[b.notes[k]!]! - pitches[ai]!);
      const steps = a.notes.map((ai, k) => staff[b.notes[k]!]! - staff[ai]!);
      if (moves.every((t) => t === moves[0]))
        return moves[0] === 0 ? 'exact' : single ? 'rhythm' : 'transposed';
      if (steps.every((d) => d === steps[0]) && !single) return 'tonal';
    }
    const most = Math.max(a.notes.length, b.notes.length);
    const shared = b.notes.filter((bi, k) => a.points.has(`${b.onsets[k]}:${pitches[bi]}`)).length;
    if (!single && shared / most >= 0.75) return 'varied';
    return sameRhythm ? 'rhythm' : null;
  };
  const repeats: BarRepeat[] = [];
  bars.forEach((b, k) => {
    let best: BarRepeat | null = null;
    for (const a of bars.slice(0, k)) {
      const relation = relationOf(a, b);
      if (relation === null) continue;
      if (!best || STRENGTH[relation] < STRENGTH[best.relation]) {
        const moved = pitches[b.notes[0]!]! - pitches[a.notes[0]!]!;
        const transposition = relation === 'exact' || relation === 'transposed' ? moved : 0;
        best = { bar: b.number, of: a.number, relation, transposition };
      }
    }
    if (best) repeats.push(best);
  });
  return repeats;
}

const same = (melody: Melody): void => {
  const ctx = makeContext(melody);
  expect(findBarRepeats(ctx)).toEqual(barRepeatsByHand(ctx));
};

describe('findBarRepeats finds what comparing every pair of bars finds', () => {
  it('on the hand-checked tunes', () => {
    for (const t of Object.values(tunes)) if (typeof t === 'object' && 'notes' in t) same(t);
  });

  it('on random tunes', () => {
    fc.assert(
      fc.property(melodySpec, (spec) => same(spec.melody)),
      { seed: 20260107, numRuns: 200 },
    );
  });

  it('on bars made of a few pitches and lengths, where bars share many points', () => {
    const fewPoints = fc
      .array(fc.record({ pitch: fc.integer({ min: 60, max: 62 }), length: fc.constantFrom(2, 4, 8) }), {
        minLength: 4,
        maxLength: 200,
      })
      .map((cells) => {
        let at = 0;
        const notes = cells.map(({ pitch, length }) => {
          const note = { pitch, start: at, end: at + length, velocity: 80 };
          at += length;
          return note;
        });
        return makeMelody({ notes });
      });
    fc.assert(
      fc.property(fewPoints, (melody) => same(melody)),
      { seed: 20260108, numRuns: 60 },
    );
  });

  it('on long tunes (128 bars)', () => {
    for (const seed of [1, 2]) same(makeBenchMelody(128, seed));
  });
});
