/**
 * The engine runs lookback models: a random one gives, through the tfjs engine step by step,
 * the next-class probabilities of a plain float64 transcription of the same LSTM over the dense
 * lookback inputs (event-encoding.ts), in a meter whose bar is not 16 steps.
 */
import { describe, expect, it } from 'vitest';
import { musicRnnWeightSpecs, sizeOf, type LstmShape } from '../../../src-core/model/checkpoint-format.ts';
import { denseRows, lookbackEncoding, sparseRows } from '../../../src-core/model/event-encoding.ts';
import { encodeMelody, MODEL_PITCH_RANGE } from '../../../src-core/model/melody-events.ts';
import { createRng } from '../../../src-core/model/rng.ts';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';
import { createLstmStepModel } from '../../../src-engine/lstm-step-model.ts';
import { wasmTf } from '../../../src-engine/node-tf.ts';

const encoding = lookbackEncoding(MODEL_PITCH_RANGE);
const shape: LstmShape = { inputDepth: encoding.inputDepth, units: [12, 10], classes: encoding.classes };

function randomWeights(seed: number): Map<string, Float32Array> {
  const rng = createRng(seed);
  return new Map(
    musicRnnWeightSpecs(shape).map((s) => [
      s.name,
      Float32Array.from({ length: sizeOf(s.shape) }, () => 2 * rng.next() - 1),
    ]),
  );
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** BasicLSTMCell stack + dense + softmax in float64, over dense input rows. */
function reference(weights: Map<string, Float32Array>, inputs: Float64Array[]): number[][] {
  const layers = shape.units.map((u, l) => ({
    u,
    kernel: weights.get(`rnn/multi_rnn_cell/cell_${l}/basic_lstm_cell/kernel`)!,
    bias: weights.get(`rnn/multi_rnn_cell/cell_${l}/basic_lstm_cell/bias`)!,
    c: new Float64Array(u),
    h: new Float64Array(u),
  }));
  const w = weights.get('fully_connected/weights')!;
  const b = weights.get('fully_connected/biases')!;
  return inputs.map((x0) => {
    let x: Float64Array = x0;
    for (const layer of layers) {
      const { u, kernel, bias } = layer;
      const joined = [...x, ...layer.h];
      const z = Array.from({ length: 4 * u }, (_, k) =>
        joined.reduce((sum, v, r) => sum + v * kernel[r * 4 * u + k]!, bias[k]!),
      );
      for (let k = 0; k < u; k++) {
        const [i, j, f, o] = [z[k]!, z[u + k]!, z[2 * u + k]! + 1, z[3 * u + k]!];
        layer.c[k] = layer.c[k]! * sigmoid(f) + sigmoid(i) * Math.tanh(j);
        layer.h[k] = sigmoid(o) * Math.tanh(layer.c[k]!);
      }
      x = Float64Array.from(layer.h);
    }
    const logits = Array.from({ length: shape.classes }, (_, k) =>
      x.reduce((sum, v, r) => sum + v * w[r * shape.classes + k]!, b[k]!),
    );
    const max = Math.max(...logits);
    const total = logits.reduce((s, v) => s + Math.exp(v - max), 0);
    return logits.map((v) => Math.exp(v - max) / total);
  });
}

describe('the engine with a lookback model', () => {
  it('matches a float64 transcription step by step (6/8, bars of 12 steps)', async () => {
    const tf = await wasmTf();
    const weights = randomWeights(21);
    const model = createLstmStepModel(tf, { range: MODEL_PITCH_RANGE, shape, encoding, weights });
    const melody = makeMelody({
      notes: parseNotes('D4/2 E4/2 F#4/2 G4/6 D4/2 E4/2 F#4/2 G4/6 A4/4 B4/2 A4/4 F#4/2 D4/12'),
      meter: { numerator: 6, denominator: 8 },
    });
    const events = encodeMelody(melody);
    if (!events.ok) throw new Error(events.error.message);
    const list = events.value;
    const bar = 12;
    const dense: Float64Array[] = [];
    const row = sparseRows(1, encoding.perRow);
    model.reset(1);
    let worst = 0;
    const engine: Float32Array[] = [];
    for (let t = 0; t < list.length; t++) {
      encoding.writeInput(list, t, bar, row, 0);
      dense.push(Float64Array.from(denseRows(row, encoding.inputDepth)));
      const logits = await model.step(row);
      const max = Math.max(...logits);
      const total = logits.reduce((s, v) => s + Math.exp(v - max), 0);
      engine.push(logits.map((v) => Math.exp(v - max) / total));
    }
    const expected = reference(weights, dense);
    expected.forEach((p, t) => p.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - engine[t]![k]!)))));
    expect(worst).toBeLessThan(1e-5);
    // The inputs really carry the lookback: a repeat flag and the bar counter are set somewhere.
    expect(dense.some((x) => x[3 * encoding.events + 5] === 1)).toBe(true);
    expect(new Set(dense.map((x) => x[3 * encoding.events]))).toEqual(new Set([1, -1]));
    model.dispose();
  });
});
