/** The checkpoint loader refuses every kind of missing or damaged model with a plain message. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, type ReadModelFile } from '../../../src-core/model/load-checkpoint.ts';
import { fail, ok } from '../../../src-core/result.ts';

const dir = resolve(import.meta.dirname, '../../../resources/models/folk-rnn-2x256');
const real = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** The shipped model's files, with some replaced or removed. */
function reader(changes: Record<string, Uint8Array | null> = {}): ReadModelFile {
  return async (name) => {
    if (name in changes) {
      const changed = changes[name];
      return changed ? ok(changed) : fail('model/read', `${name} is not there`);
    }
    try {
      return ok(real(name));
    } catch {
      return fail('model/read', `${name} is not there`);
    }
  };
}

describe('loadCheckpoint', () => {
  it('reads the shipped model', async () => {
    const loaded = await loadCheckpoint(reader(), 'here');
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.value.shape).toEqual({ inputDepth: 38, units: [256, 256], classes: 38 });
    expect(loaded.value.range).toEqual({ minPitch: 48, maxPitch: 83 });
  });

  const manifest = JSON.parse(new TextDecoder().decode(real('weights_manifest.json')));
  const shard = real('group1-shard1of1.bin');
  it.each([
    ['no config.json', { 'config.json': null }, 'model/missing'],
    ['config.json is not JSON', { 'config.json': new TextEncoder().encode('{oops') }, 'model/not-melody-rnn'],
    [
      'a drum model',
      { 'config.json': text({ type: 'MusicRNN', dataConverter: { type: 'DrumsConverter', args: {} } }) },
      'model/not-melody-rnn',
    ],
    [
      'a tiny pitch range',
      {
        'config.json': text({
          type: 'MusicRNN',
          dataConverter: { type: 'MelodyConverter', args: { minPitch: 60, maxPitch: 64 } },
        }),
      },
      'model/bad-range',
    ],
    ['no manifest', { 'weights_manifest.json': null }, 'model/missing'],
    [
      'a manifest of something else',
      {
        'weights_manifest.json': text([
          { paths: ['a.bin'], weights: [{ name: 'dense/kernel', shape: [2, 2], dtype: 'float32' }] },
        ]),
      },
      'model/bad-manifest',
    ],
    [
      'an attention_rnn checkpoint',
      {
        'weights_manifest.json': text([
          {
            ...manifest[0],
            weights: [...manifest[0].weights, { name: 'rnn/attention_w', shape: [1], dtype: 'float32' }],
          },
        ]),
      },
      'model/attention-unsupported',
    ],
    [
      'a weight file outside the folder',
      { 'weights_manifest.json': text([{ ...manifest[0], paths: ['../secret.bin'] }]) },
      'model/bad-manifest',
    ],
    ['a missing weight file', { 'group1-shard1of1.bin': null }, 'model/missing'],
    [
      'a truncated weight file',
      { 'group1-shard1of1.bin': shard.subarray(0, shard.length - 4) },
      'model/damaged',
    ],
    [
      'weights that are not numbers',
      {
        'group1-shard1of1.bin': (() => {
          const b = shard.slice();
          new Float32Array(b.buffer)[5] = NaN;
          return b;
        })(),
      },
      'model/damaged',
    ],
  ] as const)('refuses %s', async (_label, changes, code) => {
    const loaded = await loadCheckpoint(reader(changes as Record<string, Uint8Array | null>), 'the folder');
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.error.code).toBe(code);
    expect(loaded.error.message).toMatch(/^[A-Z].*\.$/);
    expect(loaded.error.message).not.toMatch(/undefined|Error:|at \w+ \(/);
  });
});
