/**
 * Adam (D. P. Kingma & J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) with
 * global-norm gradient clipping (as tf.clip_by_global_norm), written out in tfjs ops so that
 * its whole state (two moment tensors per parameter and the step count) can be checkpointed.
 */
import type { Tensor, Tf } from '../../src-engine/node-tf.ts';

export interface AdamState {
  /** Updates applied so far. */
  t: number;
  readonly m: Tensor[];
  readonly v: Tensor[];
}

export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

export function initAdam(tf: Tf, params: readonly Tensor[]): AdamState {
  return { t: 0, m: params.map((p) => tf.zerosLike(p)), v: params.map((p) => tf.zerosLike(p)) };
}

/** sqrt of the sum of squares of every gradient. */
export function globalNorm(tf: Tf, grads: readonly Tensor[]): number {
  const sq = tf.tidy(() => tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
  const norm = Math.sqrt(sq.dataSync()[0]!);
  sq.dispose();
  return norm;
}

/**
 * One Adam update with the gradients clipped to `clip` global norm. Replaces (and disposes)
 * the parameter and moment tensors in place in the given arrays; returns the norm before clipping.
 */
export function adamStep(
  tf: Tf,
  params: Tensor[],
  grads: readonly Tensor[],
  state: AdamState,
  lr: number,
  clip: number,
): number {
  const norm = globalNorm(tf, grads);
  const scale = Number.isFinite(norm) && norm > clip ? clip / norm : 1;
  state.t += 1;
  const { beta1, beta2, epsilon } = ADAM;
  const stepSize = (lr * Math.sqrt(1 - beta2 ** state.t)) / (1 - beta1 ** state.t);
  for (let k = 0; k < params.length; k++) {
    const [p, m, v] = tf.tidy(() => {
      const g = scale === 1 ? grads[k]! : tf.mul(grads[k]!, scale);
      const m = tf.add(tf.mul(state.m[k]!, beta1), tf.mul(g, 1 - beta1));
      const v = tf.add(tf.mul(state.v[k]!, beta2), tf.mul(tf.square(g), 1 - beta2));
      // Kingma & Ba's efficient form: bias corrections folded into the step size.
      const update = tf.div(m, tf.add(tf.sqrt(v), epsilon * Math.sqrt(1 - beta2 ** state.t)));
      return [tf.sub(params[k]!, tf.mul(update, stepSize)), m, v];
    });
    params[k]!.dispose();
    state.m[k]!.dispose();
    state.v[k]!.dispose();
    params[k] = p;
    state.m[k] = m;
    state.v[k] = v;
  }
  return norm;
}

/** Learning rate at `step` (from 0): a half cosine from `lr` down to `lr * floor` at `total`. */
export function learningRate(lr: number, floor: number, step: number, total: number): number {
  const progress = Math.min(1, Math.max(0, step / Math.max(1, total)));
  return lr * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}
