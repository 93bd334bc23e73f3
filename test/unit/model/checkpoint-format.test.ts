import { describe, expect, it } from 'vitest';
import {
  lstmShapeFromManifest,
  musicRnnConfig,
  musicRnnConfigSchema,
  musicRnnWeightSpecs,
  planManifest,
  SHARD_BYTES,
  trainConfigSchema,
} from '../../../src-core/model/checkpoint-format.ts';
import { MODEL_PITCH_RANGE } from '../../../src-core/model/melody-events.ts';

const BASIC_RNN = { inputDepth: 38, units: [256, 256], classes: 38 };

describe('the MusicRNN checkpoint layout', () => {
  it('has the config.json magenta.js expects for a melody model', () => {
    const config = musicRnnConfig(MODEL_PITCH_RANGE);
    expect(config).toEqual({
      type: 'MusicRNN',
      dataConverter: { type: 'MelodyConverter', args: { minPitch: 48, maxPitch: 83 } },
    });
    expect(musicRnnConfigSchema.parse(config)).toEqual(config);
  });

  it('names and shapes the variables as magenta.js reads them', () => {
    expect(musicRnnWeightSpecs(BASIC_RNN).map((w) => [w.name, w.shape])).toEqual([
      ['rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel', [38 + 256, 1024]],
      ['rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias', [1024]],
      ['rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel', [256 + 256, 1024]],
      ['rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias', [1024]],
      ['fully_connected/weights', [256, 38]],
      ['fully_connected/biases', [38]],
    ]);
  });

  it('cuts the weights into 4 MB shards named as tfjs names them', () => {
    const small = planManifest(musicRnnWeightSpecs(BASIC_RNN));
    expect(small.manifest[0]!.paths).toEqual(['group1-shard1of1.bin']);
    // The size of Magenta's own basic_rnn (2 x 512, about 13 MB).
    const big = planManifest(musicRnnWeightSpecs({ inputDepth: 38, units: [512, 512], classes: 38 }));
    const total = big.shardSizes.reduce((a, b) => a + b, 0);
    expect(total).toBe(4 * (550 * 2048 + 2048 + (1024 * 2048 + 2048) + 512 * 38 + 38));
    expect(big.manifest[0]!.paths).toEqual([1, 2, 3, 4].map((i) => `group1-shard${i}of4.bin`));
    expect(big.shardSizes.slice(0, -1).every((s) => s === SHARD_BYTES)).toBe(true);
  });

  it('reads the shape back from a manifest', () => {
    const { manifest } = planManifest(musicRnnWeightSpecs(BASIC_RNN));
    expect(lstmShapeFromManifest(manifest)).toEqual({ ok: true, value: BASIC_RNN });
  });

  it('turns a manifest for something else into a problem', () => {
    expect(lstmShapeFromManifest({ not: 'a manifest' })).toMatchObject({
      ok: false,
      error: { code: 'model/bad-manifest' },
    });
    const { manifest } = planManifest(musicRnnWeightSpecs(BASIC_RNN));
    const noOutput = [
      { ...manifest[0]!, weights: manifest[0]!.weights.filter((w) => !w.name.startsWith('fully')) },
    ];
    expect(lstmShapeFromManifest(noOutput).ok).toBe(false);
    const mismatched = [
      {
        ...manifest[0]!,
        weights: manifest[0]!.weights.map((w) =>
          w.name.endsWith('cell_1/basic_lstm_cell/kernel') ? { ...w, shape: [300, 1024] } : w,
        ),
      },
    ];
    expect(lstmShapeFromManifest(mismatched).ok).toBe(false);
  });
});

describe('the training config', () => {
  it('rejects impossible values', () => {
    const good = {
      layers: 2,
      units: 256,
      batch: 64,
      seq: 64,
      lr: 0.001,
      lrFloor: 0.05,
      dropout: 0.3,
      clip: 5,
      steps: 100,
      evalEvery: 10,
      saveEverySeconds: 300,
      seed: 1,
      maxTunes: null,
    };
    expect(trainConfigSchema.safeParse(good).success).toBe(true);
    expect(trainConfigSchema.safeParse({ ...good, dropout: 1 }).success).toBe(false);
    expect(trainConfigSchema.safeParse({ ...good, layers: 0 }).success).toBe(false);
    expect(trainConfigSchema.safeParse({ ...good, lr: 0 }).success).toBe(false);
  });
});
