/**
 * Starting a run from another run's trained weights (a warm start): a lookback model begins as
 * the basic model it grows from, and training only has to learn what the new inputs and the
 * repeat classes add.
 *
 * The mapping is exact where meanings agree: the lookback input starts with the same one-hot
 * of the last event, and its first output classes are the same events. The new input rows
 * (the events a bar and two bars back, the counter, the repeat flags) start at zero, so the
 * model at step 0 computes the same LSTM states as its source; the two repeat classes start
 * with zero weights and a bias of REPEAT_BIAS, so they take little probability until training
 * finds them useful. For the first `freezeSteps` steps only the new weights learn, at
 * FROZEN_LR_FACTOR times the learning rate, so the repeat classes find their level before the
 * rest of the model is disturbed by their early errors.
 */
import type { LstmShape } from '../../src-core/model/checkpoint-format.ts';
import type { HostTensor } from './files.ts';
import { paramNames } from './lstm.ts';

/**
 * Starting bias of output classes the source model lacks. The source's logits run from about -5
 * (unlikely events) to 5-12 (the likeliest), so a zero logit gives a new class little probability
 * without putting it far from where training will take it.
 */
export const REPEAT_BIAS = 0;

/** While the source's weights are frozen, the new ones learn this many times faster (they start far from their use). */
export const FROZEN_LR_FACTOR = 10;

/**
 * The source's parameters widened to `to` (in `paramNames` order, as flat arrays): extra input
 * rows of the bottom layer are zero, extra output classes get zero weights and REPEAT_BIAS.
 * Throws when the LSTM layers differ or the new model would be narrower.
 */
export function widenParams(
  source: ReadonlyMap<string, HostTensor>,
  from: LstmShape,
  to: LstmShape,
): { name: string; shape: number[]; data: Float32Array }[] {
  if (from.units.join() !== to.units.join())
    throw new Error(
      `The warm start's layers (${from.units.join('x')}) differ from this run's (${to.units.join('x')})`,
    );
  if (to.inputDepth < from.inputDepth || to.classes < from.classes)
    throw new Error('A warm start can only widen the input and the output, not narrow them');
  const get = (name: string): HostTensor => {
    const t = source.get(name);
    if (!t) throw new Error(`The warm start's checkpoint has no tensor "${name}"`);
    return t;
  };
  const top = to.units[to.units.length - 1]!;
  return paramNames(to.units.length).map((name) => {
    const t = get(name);
    if (name === 'wx0') {
      const cols = 4 * to.units[0]!;
      const data = new Float32Array(to.inputDepth * cols);
      data.set(t.data);
      return { name, shape: [to.inputDepth, cols], data };
    }
    if (name === 'wfc') {
      const data = new Float32Array(top * to.classes);
      for (let r = 0; r < top; r++)
        data.set(t.data.subarray(r * from.classes, (r + 1) * from.classes), r * to.classes);
      return { name, shape: [top, to.classes], data };
    }
    if (name === 'bfc') {
      const data = new Float32Array(to.classes).fill(REPEAT_BIAS);
      data.set(t.data);
      return { name, shape: [to.classes], data };
    }
    return { name, shape: [...t.shape], data: t.data };
  });
}

/**
 * Per parameter (in `paramNames` order), which values are new in `to` compared with `from`:
 * a 0/1 mask the size of the parameter, or null when nothing in it is new. While a warm start is
 * frozen, gradients are multiplied by these masks, so only the new weights learn.
 */
export function newWeightMasks(from: LstmShape, to: LstmShape): (Float32Array | null)[] {
  const top = to.units[to.units.length - 1]!;
  return paramNames(to.units.length).map((name) => {
    if (name === 'wx0' && to.inputDepth > from.inputDepth) {
      const cols = 4 * to.units[0]!;
      return new Float32Array(to.inputDepth * cols).fill(1, from.inputDepth * cols);
    }
    if (name === 'wfc' && to.classes > from.classes) {
      const mask = new Float32Array(top * to.classes);
      for (let r = 0; r < top; r++) mask.fill(1, r * to.classes + from.classes, (r + 1) * to.classes);
      return mask;
    }
    if (name === 'bfc' && to.classes > from.classes)
      return new Float32Array(to.classes).fill(1, from.classes);
    return null;
  });
}
