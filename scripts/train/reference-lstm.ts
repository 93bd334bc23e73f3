/**
 * The same LSTM written the plain way, for tf.variableGrads: one concat([x, h]) x kernel per
 * step as tf.basicLSTMCell does, sparse inputs made dense, tfjs's automatic gradients. It serves as the
 * reference the hand-written backward pass is tested against, and as the other contender in
 * scripts/train/bench-step.ts. Too slow on wasm for real training (its gradients use transposed
 * matMuls).
 */
import { denseRows } from '../../src-core/model/event-encoding.ts';
import { FORGET_BIAS, namedParams, type Batch, type LstmParams, type LstmState } from './lstm.ts';
import type { Tensor, Tensor1D, Tensor2D, Tf } from '../../src-engine/node-tf.ts';

/** Masked mean cross-entropy of a window, as a scalar tensor (differentiable). */
export function referenceLoss(
  tf: Tf,
  p: LstmParams,
  batch: Batch,
  initial: LstmState,
  keep: readonly Float32Array[] | null,
): Tensor {
  const T = batch.steps;
  const classes = p.shape.classes;
  const depth = p.shape.inputDepth;
  const x = tf.tensor2d(denseRows(batch.inputs, depth), [
    batch.inputs.indices.length / batch.inputs.perRow,
    depth,
  ]);
  let below = tf.split(x, T, 0) as Tensor2D[];
  p.shape.units.forEach((_, l) => {
    const kernel = tf.concat([p.wx[l]!, p.wh[l]!], 0);
    let c = initial.c[l]!;
    let h = initial.h[l]!;
    const outs: Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const forget = tf.scalar(FORGET_BIAS);
      [c, h] = tf.basicLSTMCell(forget, kernel as Tensor2D, p.b[l]!, below[t]!, c, h) as [Tensor2D, Tensor2D];
      outs.push(h);
    }
    let out = tf.concat(outs, 0) as Tensor2D;
    if (keep) out = tf.mul(out, tf.tensor2d(keep[l]!, out.shape)) as Tensor2D;
    below = tf.split(out, T, 0) as Tensor2D[];
  });
  const top = tf.concat(below, 0) as Tensor2D;
  const logits = tf.add(tf.matMul(top, p.wfc), p.bfc);
  const oneHot = tf.oneHot(tf.tensor1d(batch.targets, 'int32'), classes).toFloat();
  const nll = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), oneHot), 1));
  const mask = tf.tensor1d(batch.mask);
  return tf.div(
    tf.sum(tf.mul(nll, mask)),
    Math.max(
      1,
      batch.mask.reduce((s, m) => s + m, 0),
    ),
  );
}

/** Loss and gradients (in `namedParams` order) by tfjs's automatic differentiation. */
export function referenceGradients(
  tf: Tf,
  p: LstmParams,
  batch: Batch,
  initial: LstmState,
  keep: readonly Float32Array[] | null,
): { loss: number; grads: Tensor[] } {
  const named = namedParams(p);
  const L = p.shape.units.length;
  const lossOf = (...xs: Tensor[]): Tensor =>
    referenceLoss(
      tf,
      {
        shape: p.shape,
        wx: p.shape.units.map((_, l) => xs[3 * l] as Tensor2D),
        wh: p.shape.units.map((_, l) => xs[3 * l + 1] as Tensor2D),
        b: p.shape.units.map((_, l) => xs[3 * l + 2] as Tensor1D),
        wfc: xs[3 * L] as Tensor2D,
        bfc: xs[3 * L + 1] as Tensor1D,
      },
      batch,
      initial,
      keep,
    );
  const { value, grads } = tf.tidy(() => tf.valueAndGrads(lossOf)(named.map((n) => n.tensor)));
  const loss = value.dataSync()[0]!;
  value.dispose();
  return { loss, grads };
}
