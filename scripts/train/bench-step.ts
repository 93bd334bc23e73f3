/**
 * Times one training step of the melody LSTM on the tfjs wasm backend, two ways: the
 * hand-written backward pass (lstm.ts, what training uses) and tfjs's automatic gradients over
 * the plain forward pass (reference-lstm.ts). Prints seconds per step and the largest gradient
 * difference between the two. A benchmark script, never a test.
 *
 *   npx tsx scripts/train/bench-step.ts --layers 2 --units 256 --batch 64 --seq 64 [--repeats 3] [--skip-reference]
 */
import { oneHotRows } from '../../src-core/model/event-encoding.ts';
import { parseArgs } from 'node:util';
import { EVENT_CLASSES } from '../../src-core/model/melody-events.ts';
import { createRng, randomInt } from '../../src-core/model/rng.ts';
import {
  backward,
  disposeForward,
  forward,
  initParams,
  namedParams,
  paramsFromList,
  softmaxCrossEntropy,
  zeroState,
} from './lstm.ts';
import type { Batch } from './lstm.ts';
import { adamStep, initAdam } from './optimizer.ts';
import { referenceGradients } from './reference-lstm.ts';
import { wasmTf, type Tensor } from '../../src-engine/node-tf.ts';

const { values } = parseArgs({
  options: {
    layers: { type: 'string', default: '2' },
    units: { type: 'string', default: '256' },
    batch: { type: 'string', default: '64' },
    seq: { type: 'string', default: '64' },
    repeats: { type: 'string', default: '3' },
    'skip-reference': { type: 'boolean', default: false },
  },
});
const layers = Number(values.layers);
const units = Number(values.units);
const B = Number(values.batch);
const T = Number(values.seq);
const repeats = Number(values.repeats);

const tf = await wasmTf();
const rng = createRng(1);
const shape = {
  inputDepth: EVENT_CLASSES,
  units: Array.from({ length: layers }, () => units),
  classes: EVENT_CLASSES,
};
const params = namedParams(initParams(tf, shape, rng)).map((n) => n.tensor);
const adam = initAdam(tf, params);
const n = B * T;
const batch: Batch = {
  batch: B,
  steps: T,
  inputs: oneHotRows(Int32Array.from({ length: n }, () => randomInt(rng, EVENT_CLASSES))),
  targets: Int32Array.from({ length: n }, () => randomInt(rng, EVENT_CLASSES)),
  mask: new Float32Array(n).fill(1),
};
const keep = shape.units.map((u) =>
  Float32Array.from({ length: n * u }, () => (rng.next() < 0.7 ? 1 / 0.7 : 0)),
);

function manualGrads(): { loss: number; grads: Tensor[] } {
  const p = paramsFromList(shape, params);
  const state = zeroState(tf, shape, B);
  const fwd = forward(tf, p, batch.inputs, B, T, state, { keep, train: true });
  const ce = softmaxCrossEntropy(tf, fwd.logits, batch.targets, batch.mask, true);
  const grads = backward(tf, p, fwd, ce.dlogits!, batch.inputs, B, T);
  tf.dispose([ce.dlogits!, ...fwd.state.c, ...fwd.state.h, ...state.c, ...state.h]);
  disposeForward(tf, fwd);
  return { loss: ce.lossSum / ce.count, grads };
}

function time(label: string, run: () => { loss: number; grads: Tensor[] }): void {
  const times: number[] = [];
  for (let r = 0; r < repeats + 1; r++) {
    const t0 = performance.now();
    const { grads } = run();
    adamStep(tf, params, grads, adam, 1e-3, 5);
    tf.dispose(grads);
    const dt = (performance.now() - t0) / 1000;
    if (r > 0) times.push(dt); // the first run warms up
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label}: ${times[Math.floor(times.length / 2)]!.toFixed(3)} s/step median of ${times.length} (${layers}x${units}, batch ${B} x ${T} steps); tensors alive ${tf.memory().numTensors}`,
  );
}

time('hand-written backward', manualGrads);
if (!values['skip-reference']) {
  const a = manualGrads();
  const state = zeroState(tf, shape, B);
  const b = referenceGradients(tf, paramsFromList(shape, params), batch, state, keep);
  let worst = 0;
  a.grads.forEach((g, k) => {
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(g, b.grads[k]!))).dataSync()[0]!);
    worst = Math.max(worst, diff);
  });
  console.log(
    `loss ${a.loss.toFixed(6)} vs ${b.loss.toFixed(6)}; max |grad difference| ${worst.toExponential(2)}`,
  );
  tf.dispose([...a.grads, ...b.grads, ...state.c, ...state.h]);
  time('tf.valueAndGrads (automatic)', () => {
    const s = zeroState(tf, shape, B);
    const r = referenceGradients(tf, paramsFromList(shape, params), batch, s, keep);
    tf.dispose([...s.c, ...s.h]);
    return r;
  });
}
