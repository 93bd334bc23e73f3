/**
 * The melody LSTM run step by step with tfjs, for generation and scoring: the one inference
 * engine, used by the command line (Node) and the app's generation worker (browser), each of
 * which passes in its own tfjs set up on the wasm backend. Weights come from loadCheckpoint;
 * the maths is TensorFlow's BasicLSTMCell (gates i, j, f, o; forget bias 1.0 added here).
 *
 * attention_rnn checkpoints wrap the stack in TensorFlow's AttentionCellWrapper, run here as
 * TensorFlow defines it (magenta.js's MusicRNN follows the same steps). Each step, per sequence:
 *   1. the bottom layer reads [one-hot event, previous attention] through a dense layer;
 *   2. the LSTM stack steps as usual;
 *   3. a query from every layer's new state (c0, h0, c1, h1, ...) scores each of the last
 *      `length` outputs: score_t = sum(v * tanh(W window_t + query)); softmax over t;
 *   4. the new attention is the score-weighted sum of the window;
 *   5. the output is a dense layer over [top layer's h, new attention]; it feeds
 *      fully_connected and is pushed into the window, the oldest output dropping out.
 * Everything starts at zero. The window's projections (W window_t) are kept beside the window,
 * so each step projects only the newest output. One difference from magenta.js: TensorFlow adds
 * the query's bias (attention/bias), which magenta.js leaves out; the two agree when it is zero.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import {
  ATTENTION_NAMES,
  ATTENTION_PREFIX,
  FC_BIASES_NAME,
  FC_WEIGHTS_NAME,
  lstmBiasName,
  lstmKernelName,
  RNN_PREFIX,
  type AttentionShape,
} from '../src-core/model/checkpoint-format.ts';
import { sparseProduct, type SparseRows } from '../src-core/model/event-encoding.ts';
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
  | 'concat'
  | 'reshape'
  | 'slice'
  | 'softmax'
  | 'sum'
>;
type T2 = TfCore.Tensor2D;
type T3 = TfCore.Tensor3D;

interface Layer {
  readonly units: number;
  /** Rows of the kernel for the input (one-hot rows for the first layer). */
  readonly wx: T2;
  readonly wh: T2;
  readonly bias: TfCore.Tensor1D;
}

/** The attention wrapper's weights, split where its inputs are concatenated. */
interface Attention {
  readonly shape: AttentionShape;
  /** Input projection: rows for the one-hot event (gathered), rows for the previous attention. */
  readonly inX: T2;
  readonly inAttention: T2;
  readonly inBias: TfCore.Tensor1D;
  /** attn_w as a matrix [size, vecSize] (a 1x1 convolution over the window): makes the keys. */
  readonly keyKernel: T2;
  readonly v: TfCore.Tensor1D;
  readonly query: T2;
  readonly queryBias: TfCore.Tensor1D;
  /** Output projection: rows for the top layer's h, rows for the new attention. */
  readonly outH: T2;
  readonly outAttention: T2;
  readonly outBias: TfCore.Tensor1D;
}

/** Attention state per sequence: the last attention read, the window of past outputs, and their keys (projections by attn_w). */
interface AttentionState {
  readonly read: T2;
  readonly window: T3;
  readonly keys: T3;
}

export const FORGET_BIAS = 1.0;

function splitRows(tf: Tf, values: Float32Array, rows: number, cols: number): [T2, T2] {
  const total = values.length / cols;
  return [
    tf.tensor2d(values.subarray(0, rows * cols), [rows, cols]),
    tf.tensor2d(values.subarray(rows * cols), [total - rows, cols]),
  ];
}

export function createLstmStepModel(tf: Tf, checkpoint: LoadedCheckpoint): StepModel {
  const { shape, weights, range, encoding } = checkpoint;
  const get = (name: string) => {
    const w = weights.get(name);
    if (!w) throw new Error(`checkpoint has no ${name}`);
    return w;
  };
  const a = shape.attention;
  const prefix = a ? ATTENTION_PREFIX : RNN_PREFIX;
  let below = a ? a.cellInput : shape.inputDepth;
  const layers: Layer[] = shape.units.map((units, l) => {
    const kernel = get(lstmKernelName(l, prefix));
    const bias = Float32Array.from(get(lstmBiasName(l, prefix)));
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
  const top = below;
  const attention: Attention | null = a ? attentionWeights(tf, a, get, shape.inputDepth, top) : null;
  const fcW = tf.tensor2d(get(FC_WEIGHTS_NAME), [a ? a.size : top, shape.classes]);
  const fcB = tf.tensor1d(get(FC_BIASES_NAME));
  let h: T2[] = [];
  let c: T2[] = [];
  // Plain-memory copies of input weights read row by row (lookback inputs), made on first use.
  const hostCopies = new Map<T2, Float32Array>();
  const hostRows = (weights: T2): Float32Array => {
    let copy = hostCopies.get(weights);
    if (!copy) {
      copy = weights.dataSync() as Float32Array;
      hostCopies.set(weights, copy);
    }
    return copy;
  };
  let att: AttentionState | null = null;

  const clearState = () => {
    tf.dispose([...h, ...c]);
    if (att) tf.dispose([att.read, att.window, att.keys]);
    h = [];
    c = [];
    att = null;
  };

  return {
    range,
    encoding,
    reset(batch) {
      clearState();
      h = layers.map((l) => tf.zeros([batch, l.units]) as T2);
      c = layers.map((l) => tf.zeros([batch, l.units]) as T2);
      if (attention) {
        const { length, size, vecSize } = attention.shape;
        att = {
          read: tf.zeros([batch, size]) as T2,
          window: tf.zeros([batch, length, size]) as T3,
          keys: tf.zeros([batch, length, vecSize]) as T3,
        };
      }
    },
    // Chosen once here, so the plain path runs exactly as it did before attention existed.
    step: attention ? attentionStep : plainStep,
    select(rows) {
      const index = tf.tensor1d(rows, 'int32');
      const pick = <T extends TfCore.Tensor>(x: T): T => tf.gather(x, index) as T;
      const next = {
        h: h.map(pick),
        c: c.map(pick),
        att: att ? { read: pick(att.read), window: pick(att.window), keys: pick(att.keys) } : null,
      };
      index.dispose();
      clearState();
      h = next.h;
      c = next.c;
      att = next.att;
    },
    dispose() {
      clearState();
      tf.dispose([...layers.flatMap((l) => [l.wx, l.wh, l.bias]), fcW, fcB]);
      if (attention) {
        const { shape: _, ...weights } = attention;
        tf.dispose(Object.values(weights));
      }
    },
  };

  /**
   * The product of the sparse input rows with `weights` (rows for each input index): a gather
   * of rows, weighted and summed when a row has several entries (the lookback encoding).
   * One-hot rows are a plain gather, as they always were.
   */
  function inputProduct(weights: T2, input: SparseRows): T2 {
    if (input.perRow === 1 && input.values.every((v) => v === 1))
      return tf.gather(weights, tf.tensor1d(input.indices, 'int32')) as T2;
    // Several entries a row (lookback): summed here from a copy of the weights in plain memory,
    // one upload instead of a gather, a product, a reshape and a sum per step.
    const width = weights.shape[1];
    const rows = input.indices.length / input.perRow;
    const out = sparseProduct(input, 0, rows, hostRows(weights), width);
    return tf.tensor2d(out, [rows, width]);
  }

  /** One step of the plain LSTM stack. */
  async function plainStep(input: SparseRows): Promise<Float32Array> {
    const result = tf.tidy(() => {
      const hs: T2[] = [];
      const cs: T2[] = [];
      let x: T2 | null = null;
      layers.forEach((layer, l) => {
        const fromBelow: T2 = x === null ? inputProduct(layer.wx, input) : tf.matMul(x, layer.wx);
        const z = tf.add(tf.add(fromBelow, tf.matMul(h[l]!, layer.wh)), layer.bias) as T2;
        const { cell, out } = lstmGates(z, c[l]!);
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
  }

  /** TensorFlow's BasicLSTMCell from its gate pre-activations z = [i, j, f, o] (forget bias folded into `bias`). */
  function lstmGates(z: T2, cPrev: T2): { cell: T2; out: T2 } {
    const [i, j, f, o] = tf.split(z, 4, 1) as [T2, T2, T2, T2];
    const cell = tf.add(tf.mul(cPrev, tf.sigmoid(f)), tf.mul(tf.sigmoid(i), tf.tanh(j))) as T2;
    return { cell, out: tf.mul(tf.sigmoid(o), tf.tanh(cell)) as T2 };
  }

  /** One step of the attention_rnn (see the top of the file); kept apart so the plain path stays as it was. */
  async function attentionStep(input: SparseRows): Promise<Float32Array> {
    const w = attention!;
    const state = att!;
    const batch = input.indices.length / input.perRow;
    const { length, size, vecSize } = w.shape;
    const result = tf.tidy(() => {
      const hs: T2[] = [];
      const cs: T2[] = [];
      let x = tf.add(
        tf.add(inputProduct(w.inX, input), tf.matMul(state.read, w.inAttention)),
        w.inBias,
      ) as T2;
      layers.forEach((layer, l) => {
        const z = tf.add(tf.add(tf.matMul(x, layer.wx), tf.matMul(h[l]!, layer.wh)), layer.bias) as T2;
        const { cell, out } = lstmGates(z, c[l]!);
        hs.push(out);
        cs.push(cell);
        x = out;
      });
      const states = tf.concat(
        cs.flatMap((cell, l) => [cell, hs[l]!]),
        1,
      );
      const query = tf.add(tf.matMul(states, w.query), w.queryBias);
      const scores = tf.sum(
        tf.mul(tf.tanh(tf.add(state.keys, tf.reshape(query, [batch, 1, vecSize]))), w.v),
        2,
      );
      const weights = tf.reshape(tf.softmax(scores), [batch, 1, length]) as T3;
      const read = tf.reshape(tf.matMul(weights, state.window), [batch, size]) as T2;
      const output = tf.add(tf.add(tf.matMul(x, w.outH), tf.matMul(read, w.outAttention)), w.outBias) as T2;
      // Drops the oldest of the window and appends the newest.
      const shift = (t: T3, width: number, newest: T2): T3 => {
        const last = tf.reshape(newest, [batch, 1, width]) as T3;
        return length === 1
          ? last
          : (tf.concat([tf.slice(t, [0, 1, 0], [batch, length - 1, width]), last], 1) as T3);
      };
      const window = shift(state.window, size, output);
      const keys = shift(state.keys, vecSize, tf.matMul(output, w.keyKernel));
      const logits = tf.add(tf.matMul(output, fcW), fcB) as T2;
      return { logits, hs, cs, att: { read, window, keys } };
    });
    clearState();
    h = result.hs;
    c = result.cs;
    att = result.att;
    const data = (await result.logits.data()) as Float32Array;
    result.logits.dispose();
    return data;
  }
}

function attentionWeights(
  tf: Tf,
  shape: AttentionShape,
  get: (name: string) => Float32Array,
  inputDepth: number,
  top: number,
): Attention {
  const n = ATTENTION_NAMES;
  const [inX, inAttention] = splitRows(tf, get(n.inputKernel), inputDepth, shape.cellInput);
  const [outH, outAttention] = splitRows(tf, get(n.outputKernel), top, shape.size);
  return {
    shape,
    inX,
    inAttention,
    inBias: tf.tensor1d(get(n.inputBias)),
    keyKernel: tf.tensor2d(get(n.scoreKernel), [shape.size, shape.vecSize]),
    v: tf.tensor1d(get(n.scoreVector)),
    query: tf.tensor2d(get(n.queryKernel), [get(n.queryKernel).length / shape.vecSize, shape.vecSize]),
    queryBias: tf.tensor1d(get(n.queryBias)),
    outH,
    outAttention,
    outBias: tf.tensor1d(get(n.outputBias)),
  };
}
