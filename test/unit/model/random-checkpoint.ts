/**
 * Random MusicRNN checkpoints in magenta.js's layout, for tests: the files of the model folder
 * in memory, plus the values by name. Plain and attention_rnn layouts alike.
 */
import {
  ATTENTION_NAMES,
  musicRnnConfig,
  musicRnnWeightSpecs,
  planManifest,
  PITCH_CHORD_DEPTH,
  sizeOf,
  type LstmShape,
} from '../../../src-core/model/checkpoint-format.ts';
import { MODEL_PITCH_RANGE } from '../../../src-core/model/melody-events.ts';
import { createRng } from '../../../src-core/model/rng.ts';

export interface RandomCheckpoint {
  /** config.json, weights_manifest.json and the shards, by file name. */
  readonly files: Map<string, Uint8Array>;
  readonly weights: Map<string, Float32Array>;
}

export interface RandomCheckpointOptions {
  readonly seed: number;
  /** Values are uniform in [-scale, scale). */
  readonly scale?: number;
  /** Set attention/bias (the query's bias) to zero, as magenta.js ignores it. */
  readonly zeroQueryBias?: boolean;
  /** config.json names this chord encoder (a chord_pitches_improv checkpoint; see smallChordShape). */
  readonly chordEncoder?: string;
}

export function randomCheckpoint(shape: LstmShape, options: RandomCheckpointOptions): RandomCheckpoint {
  const rng = createRng(options.seed);
  const scale = options.scale ?? 0.5;
  const specs = musicRnnWeightSpecs(shape);
  const weights = new Map<string, Float32Array>();
  for (const spec of specs) {
    const values = Float32Array.from({ length: sizeOf(spec.shape) }, () => (2 * rng.next() - 1) * scale);
    if (options.zeroQueryBias && spec.name === ATTENTION_NAMES.queryBias) values.fill(0);
    weights.set(spec.name, values);
  }
  const { manifest, shardSizes } = planManifest(specs);
  const all = new Uint8Array(shardSizes.reduce((a, b) => a + b, 0));
  let at = 0;
  for (const spec of specs) {
    const values = weights.get(spec.name)!;
    all.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), at);
    at += values.byteLength;
  }
  const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  const config = {
    ...musicRnnConfig(MODEL_PITCH_RANGE),
    ...(shape.attention ? { attentionLength: shape.attention.length } : {}),
    ...(options.chordEncoder ? { chordEncoder: options.chordEncoder } : {}),
  };
  const files = new Map<string, Uint8Array>([
    ['config.json', text(config)],
    ['weights_manifest.json', text(manifest)],
  ]);
  let offset = 0;
  manifest[0]!.paths.forEach((path, i) => {
    files.set(path, all.slice(offset, offset + shardSizes[i]!));
    offset += shardSizes[i]!;
  });
  return { files, weights };
}

/**
 * A small chord_pitches_improv in magenta.js's layout: the bottom layer reads the chord's
 * PitchChordEncoder values (37) before the melody's one-hot (38).
 */
export function smallChordShape(units = 16, layers = 2): LstmShape {
  return {
    inputDepth: PITCH_CHORD_DEPTH + 38,
    units: Array.from({ length: layers }, () => units),
    classes: 38,
  };
}

/** A small attention_rnn in the layout magenta.js runs: 3 equal layers, attention size = units. */
export function smallAttentionShape(units = 16, length = 4): LstmShape {
  return {
    inputDepth: 38,
    units: [units, units, units],
    classes: 38,
    attention: { length, size: units, vecSize: units, cellInput: 38 },
  };
}
