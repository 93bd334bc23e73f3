import { describe, expect, it } from 'vitest';
import { beamSearch } from '../../../src-core/model/beam-search.ts';
import { basicEncoding } from '../../../src-core/model/event-encoding.ts';
import {
  continueMelody,
  createChooser,
  logProbability,
  type StepModel,
} from '../../../src-core/model/generate.ts';
import { MODEL_PITCH_RANGE } from '../../../src-core/model/melody-events.ts';
import { createRng } from '../../../src-core/model/rng.ts';
import { fail } from '../../../src-core/result.ts';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';

const encoding = basicEncoding(MODEL_PITCH_RANGE);
const C = encoding.classes;
const VIABLE = [0, 26, 28]; // three events; every other is all but impossible

/**
 * A second-order model: the logits depend on the last event (its input) and on the one before
 * it, which it keeps as per-row state, so a beam that forgets to carry state rows gets it wrong.
 * Its numbers make the likeliest 3-step path start with a step that is not the likeliest.
 */
function secondOrderModel(): StepModel & { table: (before: number, last: number) => Float32Array } {
  let before = new Int32Array(1);
  const table = (b: number, last: number): Float32Array => {
    const row = new Float32Array(C).fill(-30);
    for (const e of VIABLE) row[e] = 0; // by default the three are equally likely
    if (b === 0 && last === 28) {
      // First step: 26 looks best (1.0 against 0.8)...
      row[26] = 1;
      row[28] = 0.8;
      row[0] = -5;
    } else if (b === 28 && last === 28) {
      // ...but after 28, 28 the next step is all but certain.
      row[0] = 10;
    }
    return row;
  };
  return {
    range: MODEL_PITCH_RANGE,
    encoding,
    table,
    reset(n) {
      before = new Int32Array(n);
    },
    step(input) {
      const rows = input.indices.length;
      const out = new Float32Array(rows * C);
      for (let r = 0; r < rows; r++) {
        const last = input.indices[r]!;
        out.set(table(before[r]!, last), r * C);
        before[r] = last;
      }
      return Promise.resolve(out);
    },
    select(rows) {
      before = Int32Array.from(rows, (r) => before[r]!);
    },
    dispose() {},
  };
}

describe('beam search', () => {
  it('returns the likeliest sequence when the beam can hold every path (enumerated)', async () => {
    const primer = [26, 0, 28];
    const steps = 3;
    const model = secondOrderModel();
    // Every path of 3 viable events, scored by the model's own probabilities.
    const scored: { path: number[]; score: number }[] = [];
    for (const a of VIABLE)
      for (const b of VIABLE)
        for (const c of VIABLE) {
          const seq = [...primer, a, b, c];
          let score = 0;
          for (let p = primer.length; p < seq.length; p++) {
            const logits = model.table(seq[p - 2]!, seq[p - 1]!);
            score += logProbability(
              logits,
              0,
              Int32Array.from({ length: C }, (_, k) => k),
              seq[p]!,
            );
          }
          scored.push({ path: [a, b, c], score });
        }
    scored.sort((x, y) => y.score - x.score);
    const best = scored[0]!;
    // The greedy path (likeliest event at each step) is not the best one here.
    const greedy: number[] = [...primer];
    for (let s = 0; s < steps; s++) {
      const logits = model.table(greedy.at(-2)!, greedy.at(-1)!);
      greedy.push(VIABLE.reduce((x, y) => (logits[y]! > logits[x]! ? y : x)));
    }
    expect(greedy.slice(primer.length)).not.toEqual(best.path);

    const result = await beamSearch(model, primer, {
      // 9 kept x 3 distinct branches: every path survives each pruning, so the search is exhaustive.
      size: 9,
      branchFactor: 3,
      stepsPerIteration: 1,
      steps,
      variations: 3,
      temperature: 1,
      rng: createRng(5),
      chooser: createChooser(encoding, 16, null),
      bar: 16,
      conflict: () => fail('x', 'x'),
      options: { steps, temperature: 1, variations: 3, seed: 5 },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const paths = result.value.map((s) => s.slice(primer.length));
    expect(paths[0]).toEqual(best.path);
    // The next two tie with each other; their scores are the next best.
    const scoreOf = (path: number[]) => scored.find((x) => x.path.join() === path.join())!.score;
    expect(paths.map(scoreOf)).toEqual(scored.slice(0, 3).map((x) => x.score));
  });

  it('runs through continueMelody with the same result for the same seed, and refuses a beam too wide', async () => {
    const primer = makeMelody({ notes: parseNotes('C4 D4 E4 C4') });
    const beam = { size: 4, branchFactor: 2, stepsPerIteration: 4 };
    const options = { steps: 16, temperature: 1, variations: 2, seed: 9, beam };
    const a = await continueMelody(secondOrderModel(), primer, options);
    const b = await continueMelody(secondOrderModel(), primer, options);
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(a.value).toEqual(b.value);
    const wide = await continueMelody(secondOrderModel(), primer, {
      ...options,
      beam: { ...beam, size: 40 },
    });
    expect(wide.ok ? '' : wide.error.code).toBe('generate/bad-beam');
  });
});
