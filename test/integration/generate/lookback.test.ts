/**
 * The engine runs lookback and phrase-lookback models: a random one gives, through the tfjs
 * engine step by step, the next-class probabilities of a plain float64 transcription of the same
 * LSTM over the dense inputs (event-encoding.ts), in a meter whose bar is not 16 steps.
 */
import { describe, expect, it } from 'vitest';
import { musicRnnWeightSpecs, sizeOf, type LstmShape } from '../../../src-core/model/checkpoint-format.ts';
import {
  denseRows,
  lookbackEncoding,
  phraseLookbackEncoding,
  sparseRows,
  type EventEncoding,
} from '../../../src-core/model/event-encoding.ts';
import { encodeMelody, MODEL_PITCH_RANGE } from '../../../src-core/model/melody-events.ts';
import { createRng } from '../../../src-core/model/rng.ts';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';
import { createLstmStepModel } from '../../../src-engine/lstm-step-model.ts';
import { wasmTf } from '../../../src-engine/node-tf.ts';

const shapeFor = (encoding: EventEncoding): LstmShape => ({
  inputDepth: encoding.inputDepth,
  units: [12, 10],
  classes: encoding.classes,
});

function randomWeights(shape: LstmShape, seed: number): Map<string, Float32Array> {
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
function reference(shape: LstmShape, weights: Map<string, Float32Array>, inputs: Float64Array[]): number[][] {
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

// Four bars of 6/8; phrase-lookback reads it three times over, so its four- and eight-bar inputs
// see real repeats.
const TUNE = 'D4/2 E4/2 F#4/2 G4/6 D4/2 E4/2 F#4/2 G4/6 A4/4 B4/2 A4/4 F#4/2 D4/12';

describe.each([
  { name: 'lookback', encoding: lookbackEncoding(MODEL_PITCH_RANGE), times: 1 },
  { name: 'phrase-lookback', encoding: phraseLookbackEncoding(MODEL_PITCH_RANGE), times: 3 },
])('the engine with a $name model', ({ encoding, times }) => {
  const shape = shapeFor(encoding);
  it('matches a float64 transcription step by step (6/8, bars of 12 steps)', async () => {
    const tf = await wasmTf();
    const weights = randomWeights(shape, 21);
    const model = createLstmStepModel(tf, { range: MODEL_PITCH_RANGE, shape, encoding, weights });
    const melody = makeMelody({
      notes: parseNotes(Array.from({ length: times }, () => TUNE).join(' ')),
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
    const expected = reference(shape, weights, dense);
    expected.forEach((p, t) => p.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - engine[t]![k]!)))));
    expect(worst).toBeLessThan(1e-5);
    // The inputs really carry the lookback: a repeat flag and the bar counter are set somewhere.
    expect(dense.some((x) => x[3 * encoding.events + 5] === 1)).toBe(true);
    expect(new Set(dense.map((x) => x[3 * encoding.events]))).toEqual(new Set([1, -1]));
    if (encoding.kind === 'phrase-lookback') {
      // ... and the four- and eight-bar repeat flags and the bar-in-strain counter.
      const flags = 5 * encoding.events + 10;
      expect(dense.some((x) => x[flags] === 1)).toBe(true);
      expect(dense.some((x) => x[flags + 1] === 1)).toBe(true);
      expect(new Set(dense.map((x) => x[5 * encoding.events + 7 + 2]))).toEqual(new Set([1, -1]));
    }
    model.dispose();
  });
});
