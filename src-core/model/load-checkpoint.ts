/**
 * Reading a MusicRNN melody checkpoint (magenta.js layout: config.json, weights_manifest.json
 * and weight shards) from wherever it lives: a folder, a URL, the app's own resources. Reading
 * goes through a port; everything that can be wrong with the files becomes a plain message.
 * Takes Cantus's own models and Magenta's basic_rnn, melody_rnn and attention_rnn checkpoints alike,
 * and chord-conditioned ones (improv_rnn's chord_pitches_improv), which are reported as such
 * (`chords`): Cantus's engine does not run those, magenta.js's MusicRNN does. Drum models and
 * other non-melody models are refused in words.
 */
import { fail, ok, type Result } from '../result.ts';
import {
  chordEncoderProblem,
  converterProblem,
  lstmShapeFromManifest,
  MAX_ATTENTION_LENGTH,
  musicRnnConfigSchema,
  sizeOf,
  weightsManifestSchema,
  PITCH_CHORD_DEPTH,
  PITCH_CHORD_ENCODER,
  type ChordConditioning,
  type LstmShape,
} from './checkpoint-format.ts';
import { encodingForShape, eventEncoding, type EventEncoding } from './event-encoding.ts';
import type { PitchRange } from './melody-events.ts';

/** Reads one file of the model by its name in the model's folder. */
export type ReadModelFile = (name: string) => Promise<Result<Uint8Array>>;

export interface LoadedCheckpoint {
  readonly range: PitchRange;
  /** The LSTM's shape; for a chord model, `inputDepth` is the whole input, chord encoding included. */
  readonly shape: LstmShape;
  /** What the model reads and predicts of the melody: basic (MusicRNN's one-hot) or lookback. */
  readonly encoding: EventEncoding;
  /**
   * Present for a chord-conditioned melody model, which writes over a chord progression and runs
   * through magenta.js (src-engine/magenta-chords.ts), not Cantus's engine.
   */
  readonly chords?: ChordConditioning;
  /** Every variable's values, by name (row-major, as tfjs stores them). */
  readonly weights: ReadonlyMap<string, Float32Array>;
}

/** A model this big is not a melody model (Magenta's largest melody checkpoints are about 30 MB). */
export const MAX_MODEL_BYTES = 256 * 1024 * 1024;

function json(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

export async function loadCheckpoint(read: ReadModelFile, where: string): Promise<Result<LoadedCheckpoint>> {
  const configBytes = await read('config.json');
  if (!configBytes.ok)
    return fail(
      'model/missing',
      `There is no melody model at ${where} (config.json could not be read: ${configBytes.error.message}). Give the folder or URL of a melody model.`,
    );
  const configJson = json(configBytes.value);
  const notMelody = converterProblem(configJson);
  if (notMelody) return fail('model/not-melody-rnn', `The model at ${where} cannot be used. ${notMelody}`);
  const config = musicRnnConfigSchema.safeParse(configJson);
  if (!config.success && config.error.issues.every((issue) => issue.path[0] === 'attentionLength'))
    return fail(
      'model/bad-config',
      `The model at ${where} cannot be run: the "attentionLength" in its config.json must be a whole number of steps from 1 to ${MAX_ATTENTION_LENGTH}.`,
    );
  if (!config.success)
    return fail(
      'model/not-melody-rnn',
      `The model at ${where} is not a MelodyRNN melody model (its config.json must say "MusicRNN" with a "MelodyConverter"). Choose a basic_rnn or melody_rnn checkpoint, or Cantus's own model.`,
    );
  const chordProblem = chordEncoderProblem(config.data);
  if (chordProblem) return fail('model/bad-config', `The model at ${where} cannot be run: ${chordProblem}`);
  const { minPitch, maxPitch } = config.data.dataConverter.args;
  if (maxPitch - minPitch < 11 || minPitch < 0 || maxPitch > 127)
    return fail(
      'model/bad-range',
      `The model at ${where} covers MIDI ${minPitch}-${maxPitch}, which is not a usable melody range.`,
    );

  const manifestBytes = await read('weights_manifest.json');
  if (!manifestBytes.ok) return fail('model/missing', `The model at ${where} has no weights_manifest.json.`);
  const manifestJson = json(manifestBytes.value);
  const shape = lstmShapeFromManifest(manifestJson, config.data.attentionLength);
  if (!shape.ok) {
    const { code, message } = shape.error;
    if (code === 'model/attention-unsupported')
      return fail(
        code,
        `The model at ${where} cannot be run: ${message} Use a basic_rnn, melody_rnn or attention_rnn checkpoint in magenta.js's layout, or Cantus's own model.`,
      );
    if (code === 'model/bad-config') return fail(code, `The model at ${where} cannot be run: ${message}`);
    return fail(code, `The model at ${where} is damaged: ${message}`);
  }
  const range = { minPitch, maxPitch };
  const declared = config.data.encoding ?? 'basic';
  const chords: ChordConditioning | undefined =
    config.data.chordEncoder === undefined
      ? undefined
      : { encoder: PITCH_CHORD_ENCODER, depth: PITCH_CHORD_DEPTH };
  const melodyDepth = shape.value.inputDepth - (chords?.depth ?? 0);
  const encoding = encodingForShape(range, melodyDepth, shape.value.classes, declared);
  if (!encoding && !chords && melodyDepth - PITCH_CHORD_DEPTH === eventEncoding(declared, range).inputDepth)
    return fail(
      'model/bad-config',
      `The model at ${where} reads ${PITCH_CHORD_DEPTH} more inputs than a melody model, as a chord model does, but its config.json names no "chordEncoder". If it is a chord_pitches_improv checkpoint, add "chordEncoder": "${PITCH_CHORD_ENCODER}" to its config.json.`,
    );
  if (!encoding) {
    const expected = eventEncoding(declared, range);
    const chordWords = chords ? ` plus ${chords.depth} for the chords` : '';
    return fail(
      'model/bad-manifest',
      `The model at ${where} does not match its own pitch range and encoding (${declared}: ${expected.inputDepth} inputs${chordWords} and ${expected.classes} classes expected, found ${shape.value.inputDepth} and ${shape.value.classes}).`,
    );
  }
  if (encoding.kind !== 'basic' && shape.value.attention)
    return fail(
      'model/bad-config',
      `The model at ${where} cannot be run: Cantus runs attention models with the basic encoding only.`,
    );
  const manifest = weightsManifestSchema.parse(manifestJson);

  const weights = new Map<string, Float32Array>();
  let total = 0;
  for (const group of manifest) {
    const shards: Uint8Array[] = [];
    for (const path of group.paths) {
      if (path.includes('/') || path.includes('\\') || path.startsWith('.'))
        return fail(
          'model/bad-manifest',
          `The model at ${where} names a weight file outside its folder (${path}).`,
        );
      const shard = await read(path);
      if (!shard.ok)
        return fail('model/missing', `The model at ${where} is missing its weight file ${path}.`);
      total += shard.value.byteLength;
      if (total > MAX_MODEL_BYTES)
        return fail('model/too-large', `The model at ${where} is too large to be a melody model.`);
      shards.push(shard.value);
    }
    const bytes = new Uint8Array(shards.reduce((n, s) => n + s.byteLength, 0));
    let at = 0;
    for (const s of shards) {
      bytes.set(s, at);
      at += s.byteLength;
    }
    const needed = group.weights.reduce((n, w) => n + 4 * sizeOf(w.shape), 0);
    if (bytes.byteLength !== needed)
      return fail(
        'model/damaged',
        `The weight files of the model at ${where} are ${bytes.byteLength} bytes, not the ${needed} its manifest describes: the download may be incomplete.`,
      );
    let offset = 0;
    for (const w of group.weights) {
      const n = sizeOf(w.shape);
      const values = new Float32Array(n);
      new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + 4 * n));
      if (!values.every(Number.isFinite))
        return fail('model/damaged', `The model at ${where} has values that are not numbers in ${w.name}.`);
      weights.set(w.name, values);
      offset += 4 * n;
    }
  }
  return ok({ range, shape: shape.value, encoding, weights, ...(chords ? { chords } : {}) });
}
