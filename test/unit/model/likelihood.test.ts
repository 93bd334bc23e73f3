import { describe, expect, it } from 'vitest';
import { basicEncoding } from '../../../src-core/model/event-encoding.ts';
import { melodyLogLikelihood, type StepModel } from '../../../src-core/model/generate.ts';
import { MODEL_PITCH_RANGE } from '../../../src-core/model/melody-events.ts';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';

/** A model that finds every class equally likely, counting the steps it is asked for. */
function flatModel(): StepModel & { steps: number } {
  const encoding = basicEncoding(MODEL_PITCH_RANGE);
  return {
    steps: 0,
    range: MODEL_PITCH_RANGE,
    encoding,
    reset() {},
    step() {
      this.steps++;
      return Promise.resolve(new Float32Array(encoding.classes));
    },
    select() {},
    dispose() {},
  };
}

const tune = makeMelody({ notes: parseNotes('D4 F#4 A4 D5 C#5/2 B4/2 A4/8') });

describe('melodyLogLikelihood: progress and cancelling', () => {
  it('reports each step scored, ending at the number of steps', async () => {
    const model = flatModel();
    const seen: [number, number][] = [];
    const scored = await melodyLogLikelihood(model, tune, {
      onProgress: (done, total) => seen.push([done, total]),
    });
    if (!scored.ok) throw new Error(scored.error.message);
    expect(scored.value.steps).toBe(tune.length - 1);
    expect(seen).toHaveLength(scored.value.steps);
    expect(seen[0]).toEqual([1, scored.value.steps]);
    expect(seen.at(-1)).toEqual([scored.value.steps, scored.value.steps]);
    // Every class equally likely: each step scores -ln(classes).
    expect(scored.value.meanLogLikelihood).toBeCloseTo(-Math.log(model.encoding.classes), 6);
  });

  it('stops between steps when cancelled, with a result that says so', async () => {
    const model = flatModel();
    const scored = await melodyLogLikelihood(model, tune, { cancelled: () => model.steps >= 5 });
    expect(scored.ok).toBe(false);
    if (!scored.ok) expect(scored.error.code).toBe('generate/cancelled');
    expect(model.steps).toBe(5);
  });
});
