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
 *
 * attention_rnn checkpoints (MelodyRNN's attention configuration, as magenta.js runs them) wrap
 * the whole LSTM stack in TensorFlow's AttentionCellWrapper: config.json adds
 * "attentionLength" (how many past outputs the attention looks back over), the LSTM variables
 * move under rnn/attention_cell_wrapper/multi_rnn_cell/..., and the wrapper adds, with
 * D the one-hot width, A the attention size and V its scoring width (A = V in Magenta's models):
 *   rnn/attention_cell_wrapper/kernel, bias                             [D + A, D'], [D']
 *       the bottom LSTM layer reads [one-hot, previous attention] projected to D' (D' = D)
 *   rnn/attention_cell_wrapper/attention/attn_w                         [1, 1, A, V]
 *   rnn/attention_cell_wrapper/attention/attn_v                         [V]
 *   rnn/attention_cell_wrapper/attention/kernel, bias                   [2 * sum(units), V], [V]
 *       the query, from every layer's new state in the order c0, h0, c1, h1, ...
 *   rnn/attention_cell_wrapper/attention_output_projection/kernel, bias [units of the last layer + A, A], [A]
 *   fully_connected/weights                                             [A, classes]
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../result.ts';
import { ENCODING_KINDS, type EncodingKind } from './event-encoding.ts';
import type { PitchRange } from './melody-events.ts';

/** Longest attention window Cantus accepts (Magenta's attention_rnn looks back 40 steps). */
export const MAX_ATTENTION_LENGTH = 1024;

export const musicRnnConfigSchema = z.object({
  type: z.literal('MusicRNN'),
  dataConverter: z.object({
    type: z.literal('MelodyConverter'),
    args: z.object({ minPitch: z.number().int(), maxPitch: z.number().int() }),
  }),
  /** attention_rnn checkpoints only: the attention window, in steps. */
  attentionLength: z.number().int().min(1).max(MAX_ATTENTION_LENGTH).optional(),
  /**
   * Cantus's own field: "lookback" for a lookback_rnn model (event-encoding.ts), which magenta.js
   * cannot run; absent for MusicRNN's one-hot models.
   */
  encoding: z.enum(ENCODING_KINDS as [EncodingKind, ...EncodingKind[]]).optional(),
  /**
   * Chord-conditioned models only (Magenta's improv_rnn, e.g. `chord_pitches_improv`): how the
   * chord at each step is written into the input, before the melody's one-hot. Any name is read
   * here so that `chordEncoderProblem` can say in words why another encoder is refused.
   */
  chordEncoder: z.string().optional(),
  /** Extra inputs (magenta.js's BinaryCounter); read so they can be refused in words. */
  auxInputs: z.array(z.unknown()).optional(),
});
export type MusicRnnConfig = z.infer<typeof musicRnnConfigSchema>;

/**
 * The chord encoder Cantus runs (through magenta.js): magenta.js's PitchChordEncoder, as in
 * Magenta's `chord_pitches_improv`. Each step's chord is written as 1 + 3 * 12 values before the
 * melody's one-hot: a "no chord" flag, the root's pitch class, the chord's pitch classes, and the
 * bass's pitch class (the root again). magenta.js also knows MajorMinorChordEncoder and
 * TriadChordEncoder; no published melody checkpoint uses them, and Cantus refuses them in words.
 */
export const PITCH_CHORD_ENCODER = 'PitchChordEncoder';
export const PITCH_CHORD_DEPTH = 1 + 3 * 12;

/** What makes a chord model's input wider than a melody model's. */
export interface ChordConditioning {
  readonly encoder: typeof PITCH_CHORD_ENCODER;
  /** Width of each step's chord encoding (37), written before the melody's one-hot. */
  readonly depth: number;
}

/**
 * Why a config that is not a melody model's cannot be used, in words a person can act on; null
 * when its data converter is a MelodyConverter (or it names none, which the schema then reports).
 */
export function converterProblem(config: unknown): string | null {
  const converter = (config as { dataConverter?: { type?: unknown } } | null)?.dataConverter?.type;
  if (typeof converter !== 'string' || converter === 'MelodyConverter') return null;
  if (/drum/i.test(converter))
    return `This is a drum model (its config.json names a ${converter}); Cantus writes melodies, one note at a time. Choose a melody model: a basic_rnn, melody_rnn, attention_rnn or chord_pitches_improv checkpoint, or one of Cantus's own.`;
  return `This is not a melody model: its config.json names a ${converter}, and Cantus writes single-line melodies (a MelodyConverter). Choose a basic_rnn, melody_rnn, attention_rnn or chord_pitches_improv checkpoint, or one of Cantus's own.`;
}

/** Why a config's chord encoder or extra inputs cannot be run; null when they can. */
export function chordEncoderProblem(config: MusicRnnConfig): string | null {
  if (config.auxInputs && config.auxInputs.length > 0)
    return 'its config.json asks for extra inputs ("auxInputs"), which Cantus does not give a model.';
  if (config.chordEncoder !== undefined && config.chordEncoder !== PITCH_CHORD_ENCODER)
    return `its chords are encoded with a ${config.chordEncoder}, and Cantus runs chord models with a ${PITCH_CHORD_ENCODER} only (Magenta's chord_pitches_improv).`;
  if (config.chordEncoder !== undefined && config.encoding !== undefined && config.encoding !== 'basic')
    return 'a chord model with a lookback encoding is not one magenta.js or Cantus can run.';
  return null;
}

/** config.json for a melody model over `range`. */
export function musicRnnConfig(range: PitchRange, encoding: EncodingKind = 'basic'): MusicRnnConfig {
  return {
    type: 'MusicRNN',
    dataConverter: { type: 'MelodyConverter', args: { minPitch: range.minPitch, maxPitch: range.maxPitch } },
    ...(encoding === 'basic' ? {} : { encoding }),
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

/** The attention around an attention_rnn's LSTM stack (TensorFlow's AttentionCellWrapper). */
export interface AttentionShape {
  /** How many past outputs the attention looks back over (attn_length; config.json's attentionLength). */
  readonly length: number;
  /** Width of each remembered output, of the attention vector and of the model's output (attn_size). */
  readonly size: number;
  /** Width of the attention's scoring layer (attn_vec_size). */
  readonly vecSize: number;
  /** Width of the projected input the bottom LSTM layer reads (the one-hot width in Magenta's models). */
  readonly cellInput: number;
}

/** The shape of a melody LSTM: input width, units of each layer, output classes. */
export interface LstmShape {
  /** Width of the one-hot input (38 for basic_rnn). */
  readonly inputDepth: number;
  /** Units of each LSTM layer, bottom first. */
  readonly units: readonly number[];
  /** Output classes (38 for basic_rnn). */
  readonly classes: number;
  /** Present for attention_rnn checkpoints only. */
  readonly attention?: AttentionShape;
}

/** Where the LSTM variables live: under rnn/, or inside the attention wrapper. */
export const RNN_PREFIX = 'rnn/';
export const ATTENTION_PREFIX = 'rnn/attention_cell_wrapper/';

export const lstmKernelName = (layer: number, prefix: string = RNN_PREFIX): string =>
  `${prefix}multi_rnn_cell/cell_${layer}/basic_lstm_cell/kernel`;
export const lstmBiasName = (layer: number, prefix: string = RNN_PREFIX): string =>
  `${prefix}multi_rnn_cell/cell_${layer}/basic_lstm_cell/bias`;
export const FC_WEIGHTS_NAME = 'fully_connected/weights';
export const FC_BIASES_NAME = 'fully_connected/biases';

/** The attention wrapper's own variables (names as magenta.js reads them). */
export const ATTENTION_NAMES = {
  inputKernel: `${ATTENTION_PREFIX}kernel`,
  inputBias: `${ATTENTION_PREFIX}bias`,
  scoreKernel: `${ATTENTION_PREFIX}attention/attn_w`,
  scoreVector: `${ATTENTION_PREFIX}attention/attn_v`,
  queryKernel: `${ATTENTION_PREFIX}attention/kernel`,
  queryBias: `${ATTENTION_PREFIX}attention/bias`,
  outputKernel: `${ATTENTION_PREFIX}attention_output_projection/kernel`,
  outputBias: `${ATTENTION_PREFIX}attention_output_projection/bias`,
} as const;

/** Every attention variable's shape for a model of `shape` (which must have attention). */
function attentionSpecs(shape: LstmShape, a: AttentionShape): [string, number[]][] {
  const n = ATTENTION_NAMES;
  const states = 2 * shape.units.reduce((s, u) => s + u, 0);
  const top = shape.units[shape.units.length - 1] ?? 0;
  return [
    [n.inputKernel, [shape.inputDepth + a.size, a.cellInput]],
    [n.inputBias, [a.cellInput]],
    [n.scoreKernel, [1, 1, a.size, a.vecSize]],
    [n.scoreVector, [a.vecSize]],
    [n.queryKernel, [states, a.vecSize]],
    [n.queryBias, [a.vecSize]],
    [n.outputKernel, [top + a.size, a.size]],
    [n.outputBias, [a.size]],
  ];
}

/** Every variable of the checkpoint, in the order Cantus writes them (attention ones, if any, first). */
export function musicRnnWeightSpecs(shape: LstmShape): WeightSpec[] {
  const specs: WeightSpec[] = [];
  const a = shape.attention;
  if (a) for (const [name, s] of attentionSpecs(shape, a)) specs.push({ name, shape: s, dtype: 'float32' });
  const prefix = a ? ATTENTION_PREFIX : RNN_PREFIX;
  let below = a ? a.cellInput : shape.inputDepth;
  shape.units.forEach((units, layer) => {
    specs.push({ name: lstmKernelName(layer, prefix), shape: [below + units, 4 * units], dtype: 'float32' });
    specs.push({ name: lstmBiasName(layer, prefix), shape: [4 * units], dtype: 'float32' });
    below = units;
  });
  specs.push({ name: FC_WEIGHTS_NAME, shape: [a ? a.size : below, shape.classes], dtype: 'float32' });
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

const showShape = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * Reads a melody LSTM's shape back from a manifest, checking it holds every variable MusicRNN
 * needs with consistent shapes. A manifest for something else gives a problem, not an exception.
 * `attentionLength` is config.json's, needed only when the manifest is an attention_rnn's.
 */
export function lstmShapeFromManifest(manifest: unknown, attentionLength?: number): Result<LstmShape> {
  const parsed = weightsManifestSchema.safeParse(manifest);
  if (!parsed.success) {
    return fail('model/bad-manifest', 'weights_manifest.json is not a tfjs weights manifest.');
  }
  const shapes = new Map<string, number[]>();
  for (const group of parsed.data) for (const w of group.weights) shapes.set(w.name, w.shape);
  const wrapped = shapes.has(ATTENTION_NAMES.inputKernel);
  if (!wrapped) {
    const stray = [...shapes.keys()].find((name) => /attention|attn/i.test(name));
    if (stray !== undefined)
      return fail(
        'model/attention-unsupported',
        `its attention weights (${stray}) are laid out in a way Cantus does not run: only an attention wrapper around the whole LSTM stack (${ATTENTION_NAMES.inputKernel}, as magenta.js runs it) is supported.`,
      );
  }
  const prefix = wrapped ? ATTENTION_PREFIX : RNN_PREFIX;
  const units: number[] = [];
  let inputDepth = 0;
  let below = -1;
  for (let layer = 0; shapes.has(lstmKernelName(layer, prefix)); layer++) {
    const kernel = shapes.get(lstmKernelName(layer, prefix))!;
    const bias = shapes.get(lstmBiasName(layer, prefix));
    const [rows, cols] = kernel;
    if (
      kernel.length !== 2 ||
      rows === undefined ||
      cols === undefined ||
      cols % 4 !== 0 ||
      rows <= cols / 4
    ) {
      return fail('model/bad-manifest', `${lstmKernelName(layer, prefix)} has shape ${showShape(kernel)}.`);
    }
    const n = cols / 4;
    if (!bias || bias.length !== 1 || bias[0] !== cols) {
      return fail(
        'model/bad-manifest',
        `${lstmBiasName(layer, prefix)} is missing or does not match its kernel.`,
      );
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
  let attention: AttentionShape | undefined;
  if (wrapped) {
    const found = attentionShapeFrom(shapes, units, inputDepth, attentionLength);
    if (!found.ok) return found;
    attention = found.value.attention;
    inputDepth = found.value.inputDepth;
    below = attention.size;
  }
  const fcw = shapes.get(FC_WEIGHTS_NAME);
  const fcb = shapes.get(FC_BIASES_NAME);
  if (!fcw || fcw.length !== 2 || fcw[0] !== below || !fcb || fcb.length !== 1 || fcb[0] !== fcw[1]) {
    return fail('model/bad-manifest', 'The output layer (fully_connected) is missing or does not fit.');
  }
  const shape = { inputDepth, units, classes: fcw[1]! };
  return ok(attention ? { ...shape, attention } : shape);
}

/** The attention wrapper's sizes, read from its variables and checked against each other. */
function attentionShapeFrom(
  shapes: ReadonlyMap<string, number[]>,
  units: readonly number[],
  cellInput: number,
  length: number | undefined,
): Result<{ inputDepth: number; attention: AttentionShape }> {
  if (length === undefined)
    return fail(
      'model/bad-config',
      'it is an attention_rnn checkpoint, but its config.json gives no "attentionLength" (the number of past steps the attention looks back over; 40 in Magenta\'s attention_rnn).',
    );
  const score = shapes.get(ATTENTION_NAMES.scoreKernel);
  const input = shapes.get(ATTENTION_NAMES.inputKernel)!;
  if (!score)
    return fail('model/bad-manifest', `the attention weight ${ATTENTION_NAMES.scoreKernel} is missing.`);
  const [one, alsoOne, size, vecSize] = score;
  if (score.length !== 4 || one !== 1 || alsoOne !== 1 || !size || !vecSize)
    return fail(
      'model/bad-manifest',
      `the attention weight ${ATTENTION_NAMES.scoreKernel} has shape ${showShape(score)}, not [1, 1, size, size].`,
    );
  const [inputRows] = input;
  if (input.length !== 2 || inputRows === undefined || inputRows <= size)
    return fail(
      'model/bad-manifest',
      `the attention weight ${ATTENTION_NAMES.inputKernel} has shape ${showShape(input)}, which does not fit attention of size ${size}.`,
    );
  const shape: LstmShape = { inputDepth: inputRows - size, units, classes: 0 };
  const attention: AttentionShape = { length, size, vecSize, cellInput };
  for (const [name, expected] of attentionSpecs(shape, attention)) {
    const actual = shapes.get(name);
    if (!actual) return fail('model/bad-manifest', `the attention weight ${name} is missing.`);
    if (actual.join() !== expected.join())
      return fail(
        'model/bad-manifest',
        `the attention weight ${name} has shape ${showShape(actual)}, not the ${showShape(expected)} the rest of the model needs.`,
      );
  }
  return ok({ inputDepth: shape.inputDepth, attention });
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
  /** What the model reads and predicts (event-encoding.ts); runs from before it existed are basic. */
  encoding: z.enum(ENCODING_KINDS as [EncodingKind, ...EncodingKind[]]).default('basic'),
  /** A new run may start from another run's best weights in the same folder (scripts/train/warm-start.ts). */
  warmStart: z
    .object({
      runId: z.string().regex(/^[\w.-]+$/),
      step: z.number().int().min(0),
      /** For this many first steps only the new weights learn (the source's stay as they were). */
      freezeSteps: z.number().int().min(0).default(0),
    })
    .nullable()
    .default(null),
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
