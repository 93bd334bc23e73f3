/**
 * The export check for models magenta.js cannot run (the lookback encoding): the exported files
 * are loaded by Cantus's own engine (src-engine, as the app and the command line load them) and
 * its next-class probabilities over a primer and a continuation are compared with the training
 * code's forward pass on the same events.
 */
import { sparseRows, type EventEncoding } from '../../src-core/model/event-encoding.ts';
import { nextClassProbabilities } from './evaluate.ts';
import type { LstmParams } from './lstm.ts';
import { loadStepModel } from '../../src-engine/node-model.ts';
import { wasmTf } from '../../src-engine/node-tf.ts';

export interface EngineCheck {
  readonly maxAbsDifference: number;
  readonly primerSteps: number;
  readonly steps: number;
}

/** Feeds `events` (step 0 on a barline, `bar` steps a bar) through both and compares every row. */
export async function checkAgainstEngine(
  params: LstmParams,
  modelDir: string,
  encoding: EventEncoding,
  events: readonly number[],
  primerSteps: number,
  bar: number,
): Promise<EngineCheck> {
  const tf = await wasmTf();
  const loaded = await loadStepModel(modelDir);
  if (!loaded.ok) throw new Error(`The engine could not load the export: ${loaded.error.message}`);
  const model = loaded.value;
  try {
    if (model.encoding.kind !== encoding.kind)
      throw new Error(`The export reads as a ${model.encoding.kind} model, not ${encoding.kind}`);
    const ours = nextClassProbabilities(tf, params, encoding, events, bar);
    model.reset(1);
    const input = sparseRows(1, encoding.perRow);
    let maxAbsDifference = 0;
    for (let t = 0; t < events.length; t++) {
      encoding.writeInput(events, t, bar, input, 0);
      const logits = await model.step(input);
      let max = -Infinity;
      for (const v of logits) max = Math.max(max, v);
      let total = 0;
      for (const v of logits) total += Math.exp(v - max);
      logits.forEach((v, k) => {
        maxAbsDifference = Math.max(maxAbsDifference, Math.abs(Math.exp(v - max) / total - ours[t]![k]!));
      });
    }
    return { maxAbsDifference, primerSteps, steps: events.length - primerSteps };
  } finally {
    model.dispose();
  }
}
