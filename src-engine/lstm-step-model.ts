/**
 * The melody LSTM run step by step with tfjs, for generation and scoring: the one inference
 * engine, used by the command line (Node) and the app's generation worker (browser), each of
 * which passes in its own tfjs set up on the wasm backend. Weights come from loadCheckpoint;
 * the maths is TensorFlow's BasicLSTMCell (gates i, j, f, o; forget bias 1.0 added here).
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import {
  FC_BIASES_NAME,
  FC_WEIGHTS_NAME,
  lstmBiasName,
  lstmKernelName,
} from '../src-core/model/checkpoint-format.ts';
import type { StepModel } from '../src-core/model/generate.ts';
import type { LoadedCheckpoint } from '../src-core/model/load-checkpoint.ts';

type Tf = Pick<
  typeof TfCore,
  | 'tensor1d'
  | 'tensor2d'
  | 'zeros'
  | 'gather'
  | 'matMul'
  | 'add'
  | 'mul'
  | 'sigmoid'
  | 'tanh'
  | 'split'
  | 'tidy'
  | 'dispose'
>;
type T2 = TfCore.Tensor2D;

interface Layer {
  readonly units: number;
  /** Rows of the kernel for the input (one-hot rows for the first layer). */
  readonly wx: T2;
  readonly wh: T2;
  readonly bias: TfCore.Tensor1D;
}

export const FORGET_BIAS = 1.0;

export function createLstmStepModel(tf: Tf, checkpoint: LoadedCheckpoint): StepModel {
  const { shape, weights, range } = checkpoint;
  const get = (name: string) => {
    const w = weights.get(name);
    if (!w) throw new Error(`checkpoint has no ${name}`);
    return w;
  };
  let below = shape.inputDepth;
  const layers: Layer[] = shape.units.map((units, l) => {
    const kernel = get(lstmKernelName(l));
    const bias = Float32Array.from(get(lstmBiasName(l)));
    for (let k = 2 * units; k < 3 * units; k++) bias[k]! += FORGET_BIAS;
    const layer: Layer = {
      units,
      wx: tf.tensor2d(kernel.subarray(0, below * 4 * units), [below, 4 * units]),
      wh: tf.tensor2d(kernel.subarray(below * 4 * units), [units, 4 * units]),
      bias: tf.tensor1d(bias),
    };
    below = units;
    return layer;
  });
  const fcW = tf.tensor2d(get(FC_WEIGHTS_NAME), [below, shape.classes]);
  const fcB = tf.tensor1d(get(FC_BIASES_NAME));
  let h: T2[] = [];
  let c: T2[] = [];

  const clearState = () => {
    tf.dispose([...h, ...c]);
    h = [];
    c = [];
  };

  return {
    range,
    reset(batch) {
      clearState();
      h = layers.map((l) => tf.zeros([batch, l.units]) as T2);
      c = layers.map((l) => tf.zeros([batch, l.units]) as T2);
    },
    async step(events) {
      const result = tf.tidy(() => {
        const hs: T2[] = [];
        const cs: T2[] = [];
        let x: T2 | null = null;
        layers.forEach((layer, l) => {
          const fromBelow: T2 =
            x === null ? (tf.gather(layer.wx, tf.tensor1d(events, 'int32')) as T2) : tf.matMul(x, layer.wx);
          const z = tf.add(tf.add(fromBelow, tf.matMul(h[l]!, layer.wh)), layer.bias) as T2;
          const [i, j, f, o] = tf.split(z, 4, 1) as [T2, T2, T2, T2];
          const cell = tf.add(tf.mul(c[l]!, tf.sigmoid(f)), tf.mul(tf.sigmoid(i), tf.tanh(j))) as T2;
          const out = tf.mul(tf.sigmoid(o), tf.tanh(cell)) as T2;
          hs.push(out);
          cs.push(cell);
          x = out;
        });
        const logits = tf.add(tf.matMul(x!, fcW), fcB) as T2;
        return { logits, hs, cs };
      });
      tf.dispose([...h, ...c]);
      h = result.hs;
      c = result.cs;
      const data = (await result.logits.data()) as Float32Array;
      result.logits.dispose();
      return data;
    },
    dispose() {
      clearState();
      tf.dispose([...layers.flatMap((l) => [l.wx, l.wh, l.bias]), fcW, fcB]);
    },
  };
}
