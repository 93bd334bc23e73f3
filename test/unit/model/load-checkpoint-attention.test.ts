/** attention_rnn checkpoints: the loader takes them in magenta.js's layout and refuses broken ones plainly. */
import { describe, expect, it } from 'vitest';
import { ATTENTION_NAMES, lstmKernelName } from '../../../src-core/model/checkpoint-format.ts';
import { loadCheckpoint, type ReadModelFile } from '../../../src-core/model/load-checkpoint.ts';
import { fail, ok } from '../../../src-core/result.ts';
import { randomCheckpoint, smallAttentionShape } from './random-checkpoint.ts';

const shape = smallAttentionShape();
const { files, weights } = randomCheckpoint(shape, { seed: 3 });
const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const decoded = (name: string): unknown => JSON.parse(new TextDecoder().decode(files.get(name)!));

interface Spec {
  name: string;
  shape: number[];
  dtype: string;
}
type Manifest = { paths: string[]; weights: Spec[] }[];
const manifest = decoded('weights_manifest.json') as Manifest;
const config = decoded('config.json') as Record<string, unknown>;
const withWeights = (change: (w: Spec[]) => Spec[]) =>
  text([{ ...manifest[0]!, weights: change(manifest[0]!.weights.map((w) => ({ ...w }))) }]);
const shardName = manifest[0]!.paths[0]!;

function reader(changes: Record<string, Uint8Array | null> = {}): ReadModelFile {
  return async (name) => {
    const file = name in changes ? changes[name] : files.get(name);
    return file ? ok(file) : fail('model/read', `${name} is not there`);
  };
}

describe('loadCheckpoint with an attention_rnn checkpoint', () => {
  it('reads the shape, attention included, and every weight', async () => {
    const loaded = await loadCheckpoint(reader(), 'here');
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(loaded.value.shape).toEqual({
      inputDepth: 38,
      units: [16, 16, 16],
      classes: 38,
      attention: { length: 4, size: 16, vecSize: 16, cellInput: 38 },
    });
    expect([...loaded.value.weights.keys()].sort()).toEqual([...weights.keys()].sort());
    expect(loaded.value.weights.get(ATTENTION_NAMES.scoreVector)).toEqual(
      weights.get(ATTENTION_NAMES.scoreVector),
    );
  });

  it.each([
    [
      'a missing attention weight',
      {
        'weights_manifest.json': withWeights((w) => w.filter((s) => s.name !== ATTENTION_NAMES.scoreVector)),
      },
      'model/bad-manifest',
      /attention weight rnn\/attention_cell_wrapper\/attention\/attn_v is missing/,
    ],
    [
      'a missing score kernel',
      {
        'weights_manifest.json': withWeights((w) => w.filter((s) => s.name !== ATTENTION_NAMES.scoreKernel)),
      },
      'model/bad-manifest',
      /attention\/attn_w is missing/,
    ],
    [
      'an output projection of the wrong shape',
      {
        'weights_manifest.json': withWeights((w) =>
          w.map((s) => (s.name === ATTENTION_NAMES.outputKernel ? { ...s, shape: [31, 16] } : s)),
        ),
      },
      'model/bad-manifest',
      /attention_output_projection\/kernel has shape \[31, 16\], not the \[32, 16\]/,
    ],
    [
      'a query that does not read every layer',
      {
        'weights_manifest.json': withWeights((w) =>
          w.map((s) => (s.name === ATTENTION_NAMES.queryKernel ? { ...s, shape: [64, 16] } : s)),
        ),
      },
      'model/bad-manifest',
      /attention\/kernel has shape \[64, 16\], not the \[96, 16\]/,
    ],
    [
      'an output layer that does not read the attention output',
      {
        'weights_manifest.json': withWeights((w) =>
          w.map((s) => (s.name === 'fully_connected/weights' ? { ...s, shape: [12, 38] } : s)),
        ),
      },
      'model/bad-manifest',
      /fully_connected/,
    ],
    [
      'no attentionLength in config.json',
      { 'config.json': text({ ...config, attentionLength: undefined }) },
      'model/bad-config',
      /no "attentionLength"/,
    ],
    [
      'an attentionLength that is not a count of steps',
      { 'config.json': text({ ...config, attentionLength: 2.5 }) },
      'model/bad-config',
      /"attentionLength" in its config\.json must be a whole number/,
    ],
    [
      'attention around the first layer only (a newer Magenta layout)',
      {
        'weights_manifest.json': withWeights((w) =>
          w.map((s) => ({
            ...s,
            name: s.name.replace(
              'rnn/attention_cell_wrapper/',
              'rnn/multi_rnn_cell/cell_0/attention_cell_wrapper/',
            ),
          })),
        ),
      },
      'model/attention-unsupported',
      /laid out in a way Cantus does not run/,
    ],
    [
      'a truncated weight file',
      { [shardName]: files.get(shardName)!.subarray(0, 400) },
      'model/damaged',
      /may be incomplete/,
    ],
    [
      'an attention weight that is not a number',
      {
        [shardName]: (() => {
          const bytes = files.get(shardName)!.slice();
          new Float32Array(bytes.buffer)[0] = NaN; // the first variable written: the input projection
          return bytes;
        })(),
      },
      'model/damaged',
      /not numbers in rnn\/attention_cell_wrapper\/kernel/,
    ],
  ] as const)('refuses %s', async (_label, changes, code, message) => {
    const loaded = await loadCheckpoint(reader(changes as Record<string, Uint8Array | null>), 'the folder');
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.error.code).toBe(code);
    expect(loaded.error.message).toMatch(message);
    expect(loaded.error.message).toMatch(/^The .*the folder.*\.$/);
    expect(loaded.error.message).not.toMatch(/undefined|Error:|at \w+ \(/);
  });

  it('reads a plain checkpoint whose config.json also names an attentionLength as a plain model', async () => {
    const plain = randomCheckpoint({ inputDepth: 38, units: [8, 8], classes: 38 }, { seed: 1 });
    const read: ReadModelFile = async (name) =>
      name === 'config.json'
        ? ok(text({ ...config, attentionLength: 40 }))
        : plain.files.has(name)
          ? ok(plain.files.get(name)!)
          : fail('model/read', 'not there');
    const loaded = await loadCheckpoint(read, 'here');
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(loaded.value.shape).toEqual({ inputDepth: 38, units: [8, 8], classes: 38 });
    expect(loaded.value.weights.has(lstmKernelName(1))).toBe(true);
  });
});
