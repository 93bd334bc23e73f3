/**
 * The melody LSTM (Magenta's basic_rnn: stacked BasicLSTMCells, dropout on each layer's output,
 * a dense layer to the event classes) written directly in tfjs ops, with its backward pass by
 * hand, for training on the wasm backend.
 *
 * Why by hand: tfjs's automatic gradient of matMul uses transposed matMuls, which the wasm
 * backend runs 10-20x slower than plain ones (see /work/shared/ENVIRONMENT.md). Here every
 * gradient matMul takes an explicitly transposed operand instead. The measured comparison with
 * tf.variableGrads is printed by scripts/train/bench-step.ts.
 *
 * Further savings, all exact:
 * - The bottom layer's input is sparse (one-hot events, and for the lookback encoding a few
 *   counter bits and flags: event-encoding.ts), so its input-to-gates product is a sum of a few
 *   rows of wx0 (looked up in plain memory) in the forward pass and a sparse^T matMul in the
 *   backward pass.
 * - The backward pass's gate derivative factors are computed in the forward step that has
 *   the gate values at hand, so the backward loop does only what depends on the recurrence.
 * - Weight gradients are one big matMul per weight over all time steps (explicit transposes).
 * - Big tensors are never sliced: the wasm backend's slice reads (copies) the whole source
 *   tensor, so cutting a [T*B, 4u] tensor into T steps costs T full copies. Per-step values
 *   stay per-step tensors, and big ones are only built by concat.
 * Measured on this machine (scripts/train/bench-step.ts, 2x256, batch 64 x 64 steps, one
 * wasm thread): about 1.1 s per step, against 7.2 s for tf.variableGrads over the plain
 * forward pass (reference-lstm.ts) and 2.3 s for this file before the no-slicing rule.
 *
 * Weights are kept as input rows (wx), recurrent rows (wh) and bias per layer; the exported
 * kernel is [wx; wh], the layout of tf.basicLSTMCell (gates i, j, f, o; forget bias 1.0 added
 * at run time, never stored).
 *
 * Layout: all [T*B, n] activations are time-major (row t*B + b is time t of batch row b).
 */
import type { LstmShape } from '../../src-core/model/checkpoint-format.ts';
import { sparseProduct, type SparseRows } from '../../src-core/model/event-encoding.ts';
import type { Rng } from '../../src-core/model/rng.ts';
import type { Tensor, Tensor1D, Tensor2D, TensorContainer, Tf } from '../../src-engine/node-tf.ts';

export const FORGET_BIAS = 1.0;

/**
 * tf.tidy for results that hold nulls next to tensors (tfjs walks past nulls at run time; its
 * TensorContainer type just does not say so). Tensors in the result are kept, the rest freed.
 */
export function tidy<T>(tf: Tf, fn: () => T): T {
  return tf.tidy(fn as () => TensorContainer) as T;
}

export interface LstmParams {
  readonly shape: LstmShape;
  /** Per layer: input-to-gates [inputs, 4u], recurrent [u, 4u], bias [4u]. */
  readonly wx: Tensor2D[];
  readonly wh: Tensor2D[];
  readonly b: Tensor1D[];
  readonly wfc: Tensor2D;
  readonly bfc: Tensor1D;
}

/** The parameters in a fixed order with stable names (checkpoints and Adam state use these). */
export function namedParams(p: LstmParams): { name: string; tensor: Tensor }[] {
  const tensors: Tensor[] = [];
  p.shape.units.forEach((_, l) => tensors.push(p.wx[l]!, p.wh[l]!, p.b[l]!));
  tensors.push(p.wfc, p.bfc);
  return paramNames(p.shape.units.length).map((name, k) => ({ name, tensor: tensors[k]! }));
}

/** The names `namedParams` gives a model of `layers` layers. */
export function paramNames(layers: number): string[] {
  const names: string[] = [];
  for (let l = 0; l < layers; l++) names.push(`wx${l}`, `wh${l}`, `b${l}`);
  return [...names, 'wfc', 'bfc'];
}

/** Rebuilds parameters from tensors in `namedParams` order. */
export function paramsFromList(shape: LstmShape, tensors: readonly Tensor[]): LstmParams {
  const L = shape.units.length;
  if (tensors.length !== 3 * L + 2) throw new Error(`Expected ${3 * L + 2} parameter tensors`);
  const at = (i: number): Tensor => tensors[i]!;
  return {
    shape,
    wx: shape.units.map((_, l) => at(3 * l) as Tensor2D),
    wh: shape.units.map((_, l) => at(3 * l + 1) as Tensor2D),
    b: shape.units.map((_, l) => at(3 * l + 2) as Tensor1D),
    wfc: at(3 * L) as Tensor2D,
    bfc: at(3 * L + 1) as Tensor1D,
  };
}

/** Glorot-uniform kernels (TensorFlow's default for BasicLSTMCell and dense layers), zero biases. */
export function initParams(tf: Tf, shape: LstmShape, rng: Rng): LstmParams {
  const glorot = (rows: number, cols: number, fanIn: number, fanOut: number): Float32Array => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const v = new Float32Array(rows * cols);
    for (let i = 0; i < v.length; i++) v[i] = (rng.next() * 2 - 1) * limit;
    return v;
  };
  const wx: Tensor2D[] = [];
  const wh: Tensor2D[] = [];
  const b: Tensor1D[] = [];
  let below = shape.inputDepth;
  for (const u of shape.units) {
    // The kernel [below + u, 4u] is one matrix in TensorFlow: one fan-in for both parts.
    wx.push(tf.tensor2d(glorot(below, 4 * u, below + u, 4 * u), [below, 4 * u]));
    wh.push(tf.tensor2d(glorot(u, 4 * u, below + u, 4 * u), [u, 4 * u]));
    b.push(tf.zeros([4 * u]) as Tensor1D);
    below = u;
  }
  const wfc = tf.tensor2d(glorot(below, shape.classes, below, shape.classes), [below, shape.classes]);
  const bfc = tf.zeros([shape.classes]) as Tensor1D;
  return { shape, wx, wh, b, wfc, bfc };
}

/** The recurrent state of every layer: c and h, each [B, u]. */
export interface LstmState {
  readonly c: Tensor2D[];
  readonly h: Tensor2D[];
}

export function zeroState(tf: Tf, shape: LstmShape, batch: number): LstmState {
  return {
    c: shape.units.map((u) => tf.zeros([batch, u]) as Tensor2D),
    h: shape.units.map((u) => tf.zeros([batch, u]) as Tensor2D),
  };
}

/** A window of training data, time-major: entry t*B + b. */
export interface Batch {
  readonly batch: number;
  readonly steps: number;
  readonly inputs: SparseRows;
  readonly targets: Int32Array;
  /** 1 where the target counts, 0 for padding. */
  readonly mask: Float32Array;
}

/** What the backward pass needs from the forward pass of one layer, one entry per time step. */
interface LayerCache {
  /** h before each step (the first is a copy of the initial state). */
  readonly hPrev: Tensor2D[];
  /** Derivative factors: [B, 4u] gate factors and the [B, u] factor of dc from dh. */
  readonly gate: Tensor2D[];
  readonly cf: Tensor2D[];
  /** The forget gate's activation, [B, u]. */
  readonly f: Tensor2D[];
  /** Dropout mask of this layer's output, scaled (empty without dropout). */
  readonly keep: Tensor2D[];
  /** This layer's output after dropout: the next layer's input, or the dense layer's. */
  readonly out: Tensor2D[];
}

export interface ForwardResult {
  /** [T*B, classes] */
  readonly logits: Tensor2D;
  readonly state: LstmState;
  /** Present when training. */
  readonly caches: LayerCache[] | null;
  /** The top layer's output after dropout, [T*B, u] (training only). */
  readonly top: Tensor2D | null;
}

/**
 * Runs the LSTM over a window. With `train`, `keep` may give each layer's dropout mask,
 * time-major [T*B*u] and already scaled by 1/keep-probability, and everything the backward
 * pass needs is kept. The caller disposes the result (`disposeForward`) and its state.
 *
 * Big tensors are never sliced here: the wasm backend copies a whole tensor for every slice
 * of it, so per-step values stay per-step tensors and big ones are only ever built by concat.
 */
export function forward(
  tf: Tf,
  p: LstmParams,
  inputs: SparseRows,
  batch: number,
  steps: number,
  initial: LstmState,
  options: { readonly keep: readonly Float32Array[] | null; readonly train: boolean },
): ForwardResult {
  const train = options.train;
  const caches: LayerCache[] = [];
  const finalC: Tensor2D[] = [];
  const finalH: Tensor2D[] = [];
  let below: Tensor2D[] = []; // the layer's input per step, for layers above the first
  p.shape.units.forEach((u, l) => {
    const forget = new Float32Array(4 * u);
    forget.fill(FORGET_BIAS, 2 * u, 3 * u);
    const bias = tf.tidy(() => tf.add(p.b[l]!, tf.tensor1d(forget)));
    // The bottom layer's input is sparse: its input-to-gates product is the bias plus a few
    // rows of wx0 times their values, summed here in plain memory.
    let table: Float32Array | null = null;
    let biasValues: Float32Array | null = null;
    if (l === 0) {
      table = p.wx[0]!.dataSync() as Float32Array;
      biasValues = bias.dataSync() as Float32Array;
    }
    const keepArray = train ? (options.keep?.[l] ?? null) : null;

    const cache: LayerCache = { hPrev: [], gate: [], cf: [], f: [], keep: [], out: [] };
    let c = tf.clone(initial.c[l]!);
    let h = tf.clone(initial.h[l]!);
    const outs: Tensor2D[] = [];
    for (let t = 0; t < steps; t++) {
      let xw: Tensor2D;
      if (table && biasValues) {
        xw = tf.tensor2d(sparseProduct(inputs, t * batch, batch, table, 4 * u, biasValues), [batch, 4 * u]);
      } else {
        xw = tf.tidy(() => tf.add(tf.matMul(below[t]!, p.wx[l]!), bias) as Tensor2D);
      }
      const cPrev = c;
      const hPrev = h;
      const next = tidy(tf, () => {
        const z = tf.add(xw, tf.matMul(hPrev, p.wh[l]!));
        const [zi, zj, zf, zo] = tf.split(z, 4, 1) as [Tensor2D, Tensor2D, Tensor2D, Tensor2D];
        const i = tf.sigmoid(zi);
        const j = tf.tanh(zj);
        const f = tf.sigmoid(zf) as Tensor2D;
        const o = tf.sigmoid(zo);
        const cNew = tf.add(tf.mul(f, cPrev), tf.mul(i, j)) as Tensor2D;
        const tc = tf.tanh(cNew);
        const hNew = tf.mul(o, tc) as Tensor2D;
        if (!train) return { c: cNew, h: hNew, gate: null, cf: null, f: null };
        const one = tf.scalar(1);
        const dsig = (s: Tensor): Tensor => tf.mul(s, tf.sub(one, s));
        // dz = [dc * j * i(1-i), dc * i * (1-j^2), dc * cPrev * f(1-f), dh * tc * o(1-o)]
        const gate = tf.concat(
          [
            tf.mul(j, dsig(i)),
            tf.mul(i, tf.sub(one, tf.square(j))),
            tf.mul(cPrev, dsig(f)),
            tf.mul(tc, dsig(o)),
          ],
          1,
        ) as Tensor2D;
        // this step's dh reaches c through h = o * tanh(c): dc += dh * o * (1 - tanh(c)^2)
        const cf = tf.mul(o, tf.sub(one, tf.square(tc))) as Tensor2D;
        return { c: cNew, h: hNew, gate, cf, f };
      });
      xw.dispose();
      cPrev.dispose();
      if (train) {
        cache.hPrev.push(hPrev);
        cache.gate.push(next.gate!);
        cache.cf.push(next.cf!);
        cache.f.push(next.f!);
      } else if (t === 0) {
        hPrev.dispose(); // later ones are outputs, disposed with `outs`
      }
      outs.push(next.h);
      c = next.c;
      h = next.h;
    }
    bias.dispose();
    finalC.push(c);
    finalH.push(tf.clone(h));
    if (!train) {
      tf.dispose(below);
      below = outs;
      return;
    }
    // The last h is needed by nobody but the output; earlier ones are hPrev of the next step.
    if (keepArray) {
      for (let t = 0; t < steps; t++) {
        const mask = tf.tensor2d(keepArray.subarray(t * batch * u, (t + 1) * batch * u), [batch, u]);
        cache.keep.push(mask);
        cache.out.push(tf.mul(outs[t]!, mask) as Tensor2D);
      }
      outs[steps - 1]!.dispose();
    } else {
      cache.out.push(...outs.slice(0, steps - 1).map((x) => tf.clone(x)), outs[steps - 1]!);
    }
    caches.push(cache);
    below = cache.out;
  });
  const top = tf.concat(below, 0) as Tensor2D;
  if (!train) tf.dispose(below);
  const logits = tf.tidy(() => tf.add(tf.matMul(top, p.wfc), p.bfc) as Tensor2D);
  if (!train) top.dispose();
  return {
    logits,
    state: { c: finalC, h: finalH },
    caches: train ? caches : null,
    top: train ? top : null,
  };
}

/** Masked mean cross-entropy (nats), number of correct argmax guesses, and d(loss)/d(logits). */
export function softmaxCrossEntropy(
  tf: Tf,
  logits: Tensor2D,
  targets: Int32Array,
  mask: Float32Array,
  withGradient: boolean,
): { lossSum: number; correct: number; count: number; dlogits: Tensor2D | null } {
  const count = mask.reduce((s, m) => s + m, 0);
  const [lossSumT, correctT, dlogits] = tidy(tf, () => {
    const classes = logits.shape[1];
    const t = tf.tensor1d(targets, 'int32');
    const m = tf.tensor1d(mask);
    const oneHot = tf.oneHot(t, classes).toFloat();
    const logp = tf.logSoftmax(logits);
    const nll = tf.neg(tf.sum(tf.mul(logp, oneHot), 1));
    const lossSum = tf.sum(tf.mul(nll, m));
    const hit = tf.cast(tf.equal(tf.argMax(logits, 1), t), 'float32');
    const correct = tf.sum(tf.mul(hit, m));
    const grad = withGradient
      ? (tf.mul(tf.sub(tf.exp(logp), oneHot), tf.reshape(tf.div(m, Math.max(count, 1)), [-1, 1])) as Tensor2D)
      : null;
    return [lossSum, correct, grad] as const;
  });
  const lossSum = lossSumT.dataSync()[0]!;
  const correct = correctT.dataSync()[0]!;
  tf.dispose([lossSumT, correctT]);
  return { lossSum, correct, count, dlogits };
}

/** Gradients in `namedParams` order. */
export type Gradients = Tensor[];

/**
 * Backward pass through the dense layer and every LSTM layer (truncated at the window: no
 * gradient flows into the initial state). Disposes nothing it was given.
 */
export function backward(
  tf: Tf,
  p: LstmParams,
  fwd: ForwardResult,
  dlogits: Tensor2D,
  inputs: SparseRows,
  batch: number,
  steps: number,
): Gradients {
  const caches = fwd.caches!;
  const L = p.shape.units.length;
  const grads: Tensor[] = new Array<Tensor>(3 * L + 2);

  const [dwfc, dbfc] = tf.tidy(() => [tf.matMul(tf.transpose(fwd.top!), dlogits), tf.sum(dlogits, 0)]);
  grads[3 * L] = dwfc!;
  grads[3 * L + 1] = dbfc!;
  // d(loss)/d(top output) per step; small slices of the [T*B, classes] gradient are cheap.
  let dOut: Tensor2D[] = tf.tidy(() => {
    const wfcT = tf.transpose(p.wfc);
    return (tf.split(dlogits, steps, 0) as Tensor2D[]).map((d) => tf.matMul(d, wfcT) as Tensor2D);
  });

  for (let l = L - 1; l >= 0; l--) {
    const cache = caches[l]!;
    const whT = tf.transpose(p.wh[l]!);
    const wxT = l > 0 ? tf.transpose(p.wx[l]!) : null;
    const dz: Tensor2D[] = new Array<Tensor2D>(steps);
    const dIn: Tensor2D[] = new Array<Tensor2D>(steps);
    let dhNext: Tensor2D | null = null;
    let dcNext: Tensor2D | null = null;
    for (let t = steps - 1; t >= 0; t--) {
      const prevH: Tensor2D | null = dhNext;
      const prevC: Tensor2D | null = dcNext;
      const r = tidy(tf, () => {
        let dh: Tensor2D = cache.keep.length ? (tf.mul(dOut[t]!, cache.keep[t]!) as Tensor2D) : dOut[t]!;
        if (prevH) dh = tf.add(dh, prevH);
        let dc = tf.mul(dh, cache.cf[t]!) as Tensor2D;
        if (prevC) dc = tf.add(dc, prevC);
        const dzt = tf.mul(tf.concat([dc, dc, dc, dh], 1), cache.gate[t]!) as Tensor2D;
        return {
          dz: dzt,
          dh: tf.matMul(dzt, whT) as Tensor2D,
          dc: tf.mul(dc, cache.f[t]!) as Tensor2D,
          dIn: wxT ? (tf.matMul(dzt, wxT) as Tensor2D) : null,
        };
      });
      tf.dispose([prevH, prevC].filter((x): x is Tensor2D => x !== null));
      dz[t] = r.dz;
      if (r.dIn) dIn[t] = r.dIn;
      dhNext = r.dh;
      dcNext = r.dc;
    }
    tf.dispose([dhNext!, dcNext!, whT, ...dOut]);
    if (wxT) wxT.dispose();

    const [dwx, dwh, db] = tidy(tf, () => {
      const dZ = tf.concat(dz, 0) as Tensor2D;
      const dwh = tf.matMul(tf.transpose(tf.concat(cache.hPrev, 0)), dZ);
      const db = tf.sum(dZ, 0);
      if (l > 0) return [tf.matMul(tf.transpose(tf.concat(caches[l - 1]!.out, 0)), dZ), dwh, db];
      // the sparse inputs^T built densely: [inputDepth, T*B]
      const depth = p.shape.inputDepth;
      const n = batch * steps;
      const xT = new Float32Array(depth * n);
      const { perRow, indices, values } = inputs;
      for (let k = 0; k < n; k++)
        for (let e = 0; e < perRow; e++) xT[indices[k * perRow + e]! * n + k]! += values[k * perRow + e]!;
      return [tf.matMul(tf.tensor2d(xT, [depth, n]), dZ), dwh, db];
    });
    tf.dispose(dz);
    grads[3 * l] = dwx!;
    grads[3 * l + 1] = dwh!;
    grads[3 * l + 2] = db!;
    dOut = dIn;
  }
  return grads;
}

/** Frees what `forward` kept for the backward pass, and its logits. */
export function disposeForward(tf: Tf, fwd: ForwardResult): void {
  tf.dispose(fwd.logits);
  if (fwd.top) tf.dispose(fwd.top);
  for (const c of fwd.caches ?? []) tf.dispose([...c.hPrev, ...c.gate, ...c.cf, ...c.f, ...c.keep, ...c.out]);
}
