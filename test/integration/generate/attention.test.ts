/**
 * The engine runs attention_rnn checkpoints: a small random one in magenta.js's layout gives the
 * same next-event probabilities through our engine as through magenta.js's MusicRNN, and as a
 * plain float64 transcription of TensorFlow's AttentionCellWrapper written out below.
 */
import { oneHotRows } from '../../../src-core/model/event-encoding.ts';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ATTENTION_NAMES,
  ATTENTION_PREFIX,
  FC_BIASES_NAME,
  FC_WEIGHTS_NAME,
  lstmBiasName,
  lstmKernelName,
  type LstmShape,
} from '../../../src-core/model/checkpoint-format.ts';
import { continueMelody, type StepModel } from '../../../src-core/model/generate.ts';
import { decodeEvents, encodeMelody } from '../../../src-core/model/melody-events.ts';
import { melodyToNoteSequence } from '../../../src-core/model/note-sequence.ts';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';
import { musicRnnClass, serveFolder } from '../../../scripts/train/musicrnn-check.ts';
import { createLstmStepModel } from '../../../src-engine/lstm-step-model.ts';
import { wasmTf } from '../../../src-engine/node-tf.ts';
import { readCheckpoint } from '../../../src-engine/read-checkpoint.ts';
import { randomCheckpoint, smallAttentionShape } from '../../unit/model/random-checkpoint.ts';

const shape = smallAttentionShape(16, 4);
const folders: string[] = [];
let tf: Awaited<ReturnType<typeof wasmTf>>;

beforeAll(async () => {
  tf = await wasmTf();
});
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function writeModel(files: Map<string, Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cantus-attention-'));
  folders.push(dir);
  for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
  return dir;
}

async function loadModel(dir: string): Promise<StepModel> {
  const checkpoint = await readCheckpoint(dir);
  if (!checkpoint.ok) throw new Error(checkpoint.error.message);
  return createLstmStepModel(tf, checkpoint.value);
}

function softmax(logits: ArrayLike<number>, from: number, count: number): number[] {
  let max = -Infinity;
  for (let k = 0; k < count; k++) max = Math.max(max, logits[from + k]!);
  const e = Array.from({ length: count }, (_, k) => Math.exp(logits[from + k]! - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

/**
 * Next-event probabilities after each event of each row, through our engine with the rows in
 * one batch (rows of equal length).
 */
async function engineProbabilities(model: StepModel, rows: readonly number[][]): Promise<number[][][]> {
  const classes = shape.classes;
  model.reset(rows.length);
  const out: number[][][] = rows.map(() => []);
  for (let t = 0; t < rows[0]!.length; t++) {
    const logits = await model.step(oneHotRows(rows.map((r) => r[t]!)));
    rows.forEach((_, b) => out[b]!.push(softmax(logits, b * classes, classes)));
  }
  return out;
}

const maxDifference = (a: readonly number[][], b: readonly number[][]) =>
  Math.max(...a.flatMap((row, t) => row.map((p, k) => Math.abs(p - b[t]![k]!))));

/** TensorFlow's AttentionCellWrapper around a BasicLSTMCell stack, one sequence, in float64. */
function referenceProbabilities(
  s: LstmShape,
  weights: ReadonlyMap<string, Float32Array>,
  events: readonly number[],
): number[][] {
  const a = s.attention!;
  const w = (name: string) => weights.get(name)!;
  /** x (length n) times a row-major [n, cols] matrix, plus bias. */
  const dense = (x: readonly number[], m: Float32Array, cols: number, bias?: Float32Array) =>
    Array.from({ length: cols }, (_, j) => {
      let sum = bias ? bias[j]! : 0;
      x.forEach((xi, i) => (sum += xi * m[i * cols + j]!));
      return sum;
    });
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  let h = s.units.map((u) => new Array<number>(u).fill(0));
  let c = s.units.map((u) => new Array<number>(u).fill(0));
  let read = new Array<number>(a.size).fill(0);
  let window = Array.from({ length: a.length }, () => new Array<number>(a.size).fill(0));
  const probabilities: number[][] = [];
  for (const event of events) {
    const oneHot = Array.from({ length: s.inputDepth }, (_, k) => (k === event ? 1 : 0));
    let x = dense(
      [...oneHot, ...read],
      w(ATTENTION_NAMES.inputKernel),
      a.cellInput,
      w(ATTENTION_NAMES.inputBias),
    );
    const newH: number[][] = [];
    const newC: number[][] = [];
    s.units.forEach((u, l) => {
      const z = dense(
        [...x, ...h[l]!],
        w(lstmKernelName(l, ATTENTION_PREFIX)),
        4 * u,
        w(lstmBiasName(l, ATTENTION_PREFIX)),
      );
      const cell = Array.from(
        { length: u },
        (_, k) => c[l]![k]! * sigmoid(z[2 * u + k]! + 1) + sigmoid(z[k]!) * Math.tanh(z[u + k]!),
      );
      const out = cell.map((ck, k) => sigmoid(z[3 * u + k]!) * Math.tanh(ck));
      newC.push(cell);
      newH.push(out);
      x = out;
    });
    h = newH;
    c = newC;
    const query = dense(
      c.flatMap((cl, l) => [...cl, ...h[l]!]),
      w(ATTENTION_NAMES.queryKernel),
      a.vecSize,
      w(ATTENTION_NAMES.queryBias),
    );
    const v = w(ATTENTION_NAMES.scoreVector);
    const scores = window.map((past) => {
      const features = dense(past, w(ATTENTION_NAMES.scoreKernel), a.vecSize);
      return features.reduce((sum, f, k) => sum + v[k]! * Math.tanh(f + query[k]!), 0);
    });
    const attention = softmax(scores, 0, scores.length);
    read = Array.from({ length: a.size }, (_, k) =>
      window.reduce((sum, past, t) => sum + attention[t]! * past[k]!, 0),
    );
    const output = dense(
      [...x, ...read],
      w(ATTENTION_NAMES.outputKernel),
      a.size,
      w(ATTENTION_NAMES.outputBias),
    );
    window = [...window.slice(1), output];
    probabilities.push(
      softmax(dense(output, w(FC_WEIGHTS_NAME), s.classes, w(FC_BIASES_NAME)), 0, s.classes),
    );
  }
  return probabilities;
}

const melody = makeMelody({
  notes: parseNotes('D4 F#4 A4 D5 C#5/2 B4/2 A4/4 G4 B4 A4 F#4 E4/4', 90),
  meter: { numerator: 4, denominator: 4 },
  tempo: 110,
});
const encoded = encodeMelody(melody);
if (!encoded.ok) throw new Error(encoded.error.message);
const primer = encoded.value;

describe('an attention_rnn checkpoint', () => {
  it('gives the same probabilities through the engine as through magenta.js MusicRNN (within 1e-5)', async () => {
    // magenta.js leaves out the query's bias (attention/bias); with it at zero the two must agree.
    const checkpoint = randomCheckpoint(shape, { seed: 11, zeroQueryBias: true });
    const dir = writeModel(checkpoint.files);
    const served = await serveFolder(dir);
    const MusicRNN = await musicRnnClass();
    const rnn = new MusicRNN(served.url);
    const model = await loadModel(dir);
    try {
      await rnn.initialize();
      const steps = 24; // several times the attention window, so old outputs drop out of it
      const theirs = await rnn.continueSequenceAndReturnProbabilities(
        melodyToNoteSequence(decodeEvents(primer)),
        steps,
      );
      await theirs.sequence;
      expect(theirs.probs).toHaveLength(steps);
      const continuation = theirs.probs.map((p) => p.indexOf(Math.max(...p)));
      const sequence = [...primer, ...continuation.slice(0, -1)];
      // A second, different sequence in the same batch must not disturb the first.
      const other = sequence.map((e, t) => (t % 3 === 0 ? 2 + ((e + 5) % 36) : e));
      const [ours, oursOther] = await engineProbabilities(model, [sequence, other]);
      const mine = ours!.slice(primer.length - 1);
      expect(mine).toHaveLength(steps);
      const theirRows = theirs.probs.map((p) => [...p]);
      expect(maxDifference(mine, theirRows)).toBeLessThan(1e-5);
      const [alone] = await engineProbabilities(model, [sequence]);
      expect(maxDifference(ours!, alone!)).toBeLessThan(1e-6);
      expect(maxDifference(oursOther!, ours!)).toBeGreaterThan(1e-3);
      expect(maxDifference(ours!, referenceProbabilities(shape, checkpoint.weights, sequence))).toBeLessThan(
        1e-5,
      );
    } finally {
      model.dispose();
      rnn.dispose();
      await served.close();
    }
  }, 60_000);

  it('adds the query bias as TensorFlow does (a float64 transcription agrees within 1e-5)', async () => {
    const checkpoint = randomCheckpoint(shape, { seed: 12 });
    const model = await loadModel(writeModel(checkpoint.files));
    try {
      const sequence = [...primer, ...primer];
      const [ours] = await engineProbabilities(model, [sequence]);
      const reference = referenceProbabilities(shape, checkpoint.weights, sequence);
      expect(maxDifference(ours!, reference)).toBeLessThan(1e-5);
      const withoutBias = new Map(checkpoint.weights);
      withoutBias.set(ATTENTION_NAMES.queryBias, new Float32Array(shape.attention!.vecSize));
      expect(maxDifference(ours!, referenceProbabilities(shape, withoutBias, sequence))).toBeGreaterThan(
        1e-4,
      );
    } finally {
      model.dispose();
    }
  });

  it('runs other stack shapes too: 2 layers of different sizes, attention sized to the top layer, a window of one step', async () => {
    const odd: LstmShape = {
      inputDepth: 38,
      units: [12, 20],
      classes: 38,
      attention: { length: 1, size: 20, vecSize: 20, cellInput: 38 },
    };
    const checkpoint = randomCheckpoint(odd, { seed: 13 });
    const model = await loadModel(writeModel(checkpoint.files));
    try {
      const [ours] = await engineProbabilities(model, [primer]);
      expect(maxDifference(ours!, referenceProbabilities(odd, checkpoint.weights, primer))).toBeLessThan(
        1e-5,
      );
    } finally {
      model.dispose();
    }
  });

  it('continues melodies, replays from a seed, and frees its tensors', async () => {
    const model = await loadModel(writeModel(randomCheckpoint(shape, { seed: 14 }).files));
    try {
      const options = { steps: 32, temperature: 1, variations: 3, seed: 5 };
      await continueMelody(model, melody, options);
      const before = tf.memory().numTensors;
      const a = await continueMelody(model, melody, options);
      const b = await continueMelody(model, melody, options);
      expect(tf.memory().numTensors).toBe(before);
      if (!a.ok || !b.ok) throw new Error('generation failed');
      expect(b.value).toEqual(a.value);
      expect(a.value).toHaveLength(3);
      for (const m of a.value) expect(m.length).toBe(melody.length + 32);
    } finally {
      model.dispose();
    }
  });

  it('is taken by cantus generate --model', () => {
    const dir = writeModel(randomCheckpoint(shape, { seed: 15 }).files);
    const out = join(dir, 'out.mid');
    const run = spawnSync(
      process.execPath,
      [
        resolve(import.meta.dirname, '../../../bin/cantus.mjs'),
        'generate',
        '--model',
        dir,
        '--out',
        out,
        '--bars',
        '1',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(existsSync(out)).toBe(true);
  });
});
