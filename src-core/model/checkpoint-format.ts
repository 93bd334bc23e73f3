/**
 * File formats of the melody model: the magenta.js MusicRNN checkpoint Cantus exports (and
 * that the app, or magenta's own basic_rnn, loads), and the training run's own state and log.
 *
 * MusicRNN checkpoint (a folder, read over HTTP by magenta.js `MusicRNN.initialize`):
 *   config.json            {"type":"MusicRNN","dataConverter":{"type":"MelodyConverter","args":{minPitch,maxPitch}}}
 *   weights_manifest.json  a tfjs weights manifest: groups of {paths, weights: [{name, shape, dtype}]}
 *   group1-shard1of1.bin   the float32 values, little-endian, in manifest order
 * Variable names and shapes, as magenta.js reads them (esm/music_rnn/model.js):
 *   rnn/multi_rnn_cell/cell_<l>/basic_lstm_cell/kernel  [inputs + units, 4 * units]  rows: inputs, then h
 *   rnn/multi_rnn_cell/cell_<l>/basic_lstm_cell/bias    [4 * units]
 *   fully_connected/weights                             [units of the last layer, classes]
 *   fully_connected/biases                              [classes]
 * The four gate blocks of kernel and bias are ordered i, j, f, o (input gate, new input,
 * forget gate, output gate), as TensorFlow's BasicLSTMCell; the forget bias of 1.0 is not
 * stored: tf.basicLSTMCell adds it at run time.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../result.ts';
import type { PitchRange } from './melody-events.ts';

export const musicRnnConfigSchema = z.object({
  type: z.literal('MusicRNN'),
  dataConverter: z.object({
    type: z.literal('MelodyConverter'),
    args: z.object({ minPitch: z.number().int(), maxPitch: z.number().int() }),
  }),
});
export type MusicRnnConfig = z.infer<typeof musicRnnConfigSchema>;

/** config.json for a melody model over `range`. */
export function musicRnnConfig(range: PitchRange): MusicRnnConfig {
  return {
    type: 'MusicRNN',
    dataConverter: { type: 'MelodyConverter', args: { minPitch: range.minPitch, maxPitch: range.maxPitch } },
  };
}

export const weightSpecSchema = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.literal('float32'),
});
export type WeightSpec = z.infer<typeof weightSpecSchema>;

export const weightsManifestSchema = z.array(
  z.object({ paths: z.array(z.string().min(1)).min(1), weights: z.array(weightSpecSchema) }),
);
export type WeightsManifest = z.infer<typeof weightsManifestSchema>;

/** The shape of a melody LSTM: input width, units of each layer, output classes. */
export interface LstmShape {
  /** Width of the one-hot input (38 for basic_rnn). */
  readonly inputDepth: number;
  /** Units of each LSTM layer, bottom first. */
  readonly units: readonly number[];
  /** Output classes (38 for basic_rnn). */
  readonly classes: number;
}

export const lstmKernelName = (layer: number): string =>
  `rnn/multi_rnn_cell/cell_${layer}/basic_lstm_cell/kernel`;
export const lstmBiasName = (layer: number): string =>
  `rnn/multi_rnn_cell/cell_${layer}/basic_lstm_cell/bias`;
export const FC_WEIGHTS_NAME = 'fully_connected/weights';
export const FC_BIASES_NAME = 'fully_connected/biases';

/** Every variable of the exported checkpoint, in the order Cantus writes them. */
export function musicRnnWeightSpecs(shape: LstmShape): WeightSpec[] {
  const specs: WeightSpec[] = [];
  let below = shape.inputDepth;
  shape.units.forEach((units, layer) => {
    specs.push({ name: lstmKernelName(layer), shape: [below + units, 4 * units], dtype: 'float32' });
    specs.push({ name: lstmBiasName(layer), shape: [4 * units], dtype: 'float32' });
    below = units;
  });
  specs.push({ name: FC_WEIGHTS_NAME, shape: [below, shape.classes], dtype: 'float32' });
  specs.push({ name: FC_BIASES_NAME, shape: [shape.classes], dtype: 'float32' });
  return specs;
}

/** Number of float values in a tensor of `shape`. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** tfjs's default shard size (4 MB), which its own savers use. */
export const SHARD_BYTES = 4 * 1024 * 1024;

/**
 * A manifest with one group whose values are cut into shards of at most `shardBytes`
 * (`group1-shard1of2.bin`, ...), the way tfjs names them. Returns the shard sizes too.
 */
export function planManifest(
  specs: readonly WeightSpec[],
  shardBytes: number = SHARD_BYTES,
): { manifest: WeightsManifest; shardSizes: number[] } {
  const total = specs.reduce((s, w) => s + 4 * sizeOf(w.shape), 0);
  const count = Math.max(1, Math.ceil(total / shardBytes));
  const shardSizes = Array.from({ length: count }, (_, i) => Math.min(shardBytes, total - i * shardBytes));
  return {
    manifest: [
      {
        paths: shardSizes.map((_, i) => `group1-shard${i + 1}of${count}.bin`),
        weights: specs.map((w) => ({ ...w, shape: [...w.shape] })),
      },
    ],
    shardSizes,
  };
}

/**
 * Reads a melody LSTM's shape back from a manifest, checking it holds every variable MusicRNN
 * needs with consistent shapes. A manifest for something else gives a problem, not an exception.
 */
export function lstmShapeFromManifest(manifest: unknown): Result<LstmShape> {
  const parsed = weightsManifestSchema.safeParse(manifest);
  if (!parsed.success) {
    return fail('model/bad-manifest', 'weights_manifest.json is not a tfjs weights manifest.');
  }
  const shapes = new Map<string, number[]>();
  for (const group of parsed.data) for (const w of group.weights) shapes.set(w.name, w.shape);
  const units: number[] = [];
  let inputDepth = 0;
  let below = -1;
  for (let layer = 0; shapes.has(lstmKernelName(layer)); layer++) {
    const kernel = shapes.get(lstmKernelName(layer))!;
    const bias = shapes.get(lstmBiasName(layer));
    const [rows, cols] = kernel;
    if (kernel.length !== 2 || rows === undefined || cols === undefined || cols % 4 !== 0) {
      return fail('model/bad-manifest', `${lstmKernelName(layer)} has shape [${kernel.join(', ')}].`);
    }
    const n = cols / 4;
    if (!bias || bias.length !== 1 || bias[0] !== cols) {
      return fail('model/bad-manifest', `${lstmBiasName(layer)} is missing or does not match its kernel.`);
    }
    if (layer === 0) inputDepth = rows - n;
    else if (rows - n !== below) {
      return fail(
        'model/bad-manifest',
        `Layer ${layer} does not take the ${below} outputs of the layer below.`,
      );
    }
    units.push(n);
    below = n;
  }
  if (units.length === 0) return fail('model/bad-manifest', 'The manifest has no LSTM layers.');
  const fcw = shapes.get(FC_WEIGHTS_NAME);
  const fcb = shapes.get(FC_BIASES_NAME);
  if (!fcw || fcw.length !== 2 || fcw[0] !== below || !fcb || fcb.length !== 1 || fcb[0] !== fcw[1]) {
    return fail('model/bad-manifest', 'The output layer (fully_connected) is missing or does not fit.');
  }
  return ok({ inputDepth, units, classes: fcw[1]! });
}

// ---------------------------------------------------------------------------------------------
// The training run's own files (training/<run-id>/).

/** Hyperparameters of a run; saved with every checkpoint. */
export const trainConfigSchema = z.object({
  layers: z.number().int().min(1),
  units: z.number().int().min(1),
  batch: z.number().int().min(1),
  seq: z.number().int().min(2),
  lr: z.number().positive(),
  /** The learning rate falls along a half cosine to lr * lrFloor at `steps`. */
  lrFloor: z.number().min(0).max(1),
  /** Probability of dropping each LSTM output during training. */
  dropout: z.number().min(0).max(0.95),
  /** Global gradient norm is clipped to this. */
  clip: z.number().positive(),
  steps: z.number().int().min(1),
  evalEvery: z.number().int().min(1),
  /** Seconds between checkpoints. */
  saveEverySeconds: z.number().positive(),
  seed: z.number().int(),
  /** Use only the first N tunes of the corpus (by sorted path); null for all. */
  maxTunes: z.number().int().min(1).nullable(),
});
export type TrainConfig = z.infer<typeof trainConfigSchema>;

const uint32 = z.number().int().min(0).max(0xffffffff);

export const tensorEntrySchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  /** Offset in floats into the checkpoint's tensors.bin. */
  offset: z.number().int().nonnegative(),
});

export const evalRecordSchema = z.object({
  step: z.number().int().nonnegative(),
  natsPerStep: z.number(),
  accuracy: z.number(),
  steps: z.number().int().nonnegative(),
  wallSeconds: z.number(),
});
export type EvalRecord = z.infer<typeof evalRecordSchema>;

/** state.json of one checkpoint: everything but the tensors, which live in tensors.bin. */
export const trainingStateSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  step: z.number().int().nonnegative(),
  /** Passes over the training melodies begun so far (the current one included). */
  epoch: z.number().int().nonnegative(),
  /** Index into the current epoch's melody order of the next melody a stream will take. */
  cursor: z.number().int().nonnegative(),
  /** For each batch row: the training melody it is in (-1: none yet) and the next event to feed. */
  streams: z.array(z.object({ melody: z.number().int().min(-1), offset: z.number().int().nonnegative() })),
  rng: z.tuple([uint32, uint32, uint32, uint32]),
  config: trainConfigSchema,
  /** Identifies the training data, so a resume on other data is refused. */
  dataFingerprint: z.string(),
  /** Training wall time so far, summed over sessions, in seconds. */
  wallSeconds: z.number().nonnegative(),
  best: evalRecordSchema.nullable(),
  tensors: z.array(tensorEntrySchema),
});
export type TrainingState = z.infer<typeof trainingStateSchema>;

/** One line of training/<run-id>/log.jsonl. */
export const logEntrySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('session'),
    event: z.enum(['start', 'resume', 'stop']),
    step: z.number().int().nonnegative(),
    time: z.string(),
    note: z.string().optional(),
  }),
  z.object({
    kind: z.literal('train'),
    step: z.number().int().nonnegative(),
    loss: z.number(),
    accuracy: z.number(),
    lr: z.number(),
    gradNorm: z.number(),
    secondsPerStep: z.number(),
    wallSeconds: z.number(),
    time: z.string(),
  }),
  z.object({
    kind: z.literal('eval'),
    step: z.number().int().nonnegative(),
    natsPerStep: z.number(),
    accuracy: z.number(),
    steps: z.number().int().nonnegative(),
    /** Mean training loss since the previous eval line. */
    trainLoss: z.number().nullable(),
    wallSeconds: z.number(),
    best: z.boolean(),
    time: z.string(),
  }),
]);
export type LogEntry = z.infer<typeof logEntrySchema>;

/** baseline.json: the Markov chain scored on the same eval split. */
export const baselineSchema = z.object({
  order: z.number().int().nonnegative(),
  smoothing: z.string(),
  train: z.object({ melodies: z.number().int(), steps: z.number().int() }),
  eval: z.object({
    melodies: z.number().int(),
    steps: z.number().int(),
    natsPerStep: z.number(),
    accuracy: z.number(),
  }),
});
export type Baseline = z.infer<typeof baselineSchema>;
