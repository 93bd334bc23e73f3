/** Generating with the shipped model through the tfjs engine: seeds, shape of the output, memory, the CLI. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  continuationKey,
  continueMelody,
  melodyLogLikelihood,
  preparePrimer,
  type StepModel,
} from '../../../src-core/model/generate.ts';
import { isMonophonic, makeMelody, parseNotes, stepsPerBar } from '../../../src-core/music/melody.ts';
import { loadStepModel } from '../../../src-engine/node-model.ts';
import { extractMelody } from '../../../src-core/midi/extract.ts';
import { readMidi } from '../../../src-core/midi/read.ts';
import { wasmTf } from '../../../src-engine/node-tf.ts';

const root = resolve(import.meta.dirname, '../../..');
const primer = makeMelody({
  notes: parseNotes('D4 F#4 A4 D5 C#5/2 B4/2 A4/8', 90),
  meter: { numerator: 4, denominator: 4 },
  tempo: 110,
});
let model: StepModel;

beforeAll(async () => {
  const loaded = await loadStepModel();
  if (!loaded.ok) throw new Error(loaded.error.message);
  model = loaded.value;
});
afterAll(() => model.dispose());

describe('continueMelody with the shipped model', () => {
  it('replays exactly from a seed, and another seed gives another melody', async () => {
    const options = { steps: 64, temperature: 1, variations: 2, seed: 42 };
    const a = await continueMelody(model, primer, options);
    const b = await continueMelody(model, primer, options);
    const c = await continueMelody(model, primer, { ...options, seed: 43 });
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (!a.ok || !b.ok || !c.ok) return;
    expect(b.value).toEqual(a.value);
    expect(c.value).not.toEqual(a.value);
    expect(a.value[0]).not.toEqual(a.value[1]);
  });

  it('writes variations that differ: after a whole strain, four variations are not four copies of its opening', async () => {
    // A march's whole strain: the model is sure its opening comes back, and would write it four
    // times over; the copies are written again.
    const read = readMidi(new Uint8Array(readFileSync(join(root, 'test/fixtures/midi/march-2-4.mid'))));
    if (!read.ok) throw new Error(read.error.message);
    const march = extractMelody(read.value);
    if (!march.ok) throw new Error(march.error.message);
    const steps = 4 * stepsPerBar(march.value.meter);
    const result = await continueMelody(model, march.value, {
      steps,
      temperature: 1,
      variations: 4,
      seed: 11,
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(new Set(result.value.map((m) => JSON.stringify(m.notes))).size).toBe(4);
  });

  it('keeps the primer, adds the requested length, one note at a time, in the primer’s register', async () => {
    const steps = 4 * stepsPerBar(primer.meter);
    const result = await continueMelody(model, primer, { steps, temperature: 1.2, variations: 4, seed: 7 });
    if (!result.ok) throw new Error(result.error.message);
    const prepared = preparePrimer(primer, model.range);
    if (!prepared.ok) throw new Error(prepared.error.message);
    const { shift } = prepared.value;
    for (const melody of result.value) {
      expect(melody.length).toBe(primer.length + steps);
      expect(melody.notes.slice(0, primer.notes.length - 1)).toEqual(primer.notes.slice(0, -1));
      expect(isMonophonic(melody.notes)).toBe(true);
      expect(melody.notes.every((n) => n.end <= melody.length)).toBe(true);
      for (const n of melody.notes.slice(primer.notes.length)) {
        expect(n.pitch).toBeGreaterThanOrEqual(model.range.minPitch - shift);
        expect(n.pitch).toBeLessThanOrEqual(model.range.maxPitch - shift);
      }
      expect(melody.notes.length).toBeGreaterThan(primer.notes.length);
    }
  });

  it('starts from middle C without a primer', async () => {
    const result = await continueMelody(model, makeMelody({ notes: [] }), {
      steps: 32,
      temperature: 1,
      variations: 1,
      seed: 1,
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value[0]!.notes[0]).toMatchObject({ pitch: 60, start: 0 });
    expect(result.value[0]!.length).toBe(33);
  });

  it('does not grow tfjs memory over 20 generations', async () => {
    const tf = await wasmTf();
    await continueMelody(model, primer, { steps: 16, temperature: 1, variations: 2, seed: 0 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++)
      await continueMelody(model, primer, { steps: 16, temperature: 1, variations: 2, seed: i });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('scores a folk-like melody as more expected than random notes', async () => {
    const folk = await melodyLogLikelihood(model, primer);
    const noise = await melodyLogLikelihood(
      model,
      makeMelody({ notes: parseNotes('C4/1 B5/3 F#4/1 C#5/5 G#3/1 D5/2 A#4/3 E4/1', 90) }),
    );
    if (!folk.ok || !noise.ok) throw new Error('scoring failed');
    expect(folk.value.steps).toBe(primer.length - 1);
    expect(folk.value.meanLogLikelihood).toBeGreaterThan(noise.value.meanLogLikelihood);
  });
});

describe('steering and the key with the shipped model', () => {
  it('continues in the key the file declares, read by the notes', async () => {
    // A minor notes under C major's signature: continued in A minor's scale, never in another.
    const minor = makeMelody({
      notes: parseNotes('A3/4 C4/4 E4/4 A4/4 G#4/4 B4/4 A4/8 E4/4 C4/4 A3/8'),
      key: { tonic: 'C', mode: 'major' },
    });
    expect(continuationKey(minor)).toEqual({ key: { tonic: 'A', mode: 'minor' }, source: 'declared' });
    const given = continuationKey(minor, { tonic: 'E', mode: 'minor' });
    expect(given.source).toBe('given');
  });

  it('meets in-key, steps and thirds, a range and the home note at the end, with the real model', async () => {
    const steer = [
      { kind: 'in-key' },
      { kind: 'steps-and-thirds' },
      { kind: 'range', low: 62, high: 79 },
      { kind: 'ends-on-tonic' },
    ] as const;
    const result = await continueMelody(model, primer, {
      steps: 64,
      temperature: 1,
      variations: 4,
      seed: 11,
      steer,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const dMajor = new Set([2, 4, 6, 7, 9, 11, 1]);
    for (const m of result.value) {
      const fresh = m.notes.filter((n) => n.start >= primer.length);
      expect(fresh.length).toBeGreaterThan(8);
      expect(fresh.every((n) => dMajor.has(n.pitch % 12) && n.pitch >= 62 && n.pitch <= 79)).toBe(true);
      m.notes.forEach((n, i) => {
        if (n.start >= primer.length)
          expect(Math.abs(n.pitch - m.notes[i - 1]!.pitch)).toBeLessThanOrEqual(4);
      });
      expect(m.notes.at(-1)!.pitch % 12).toBe(2);
      const downbeat = Math.floor((m.length - 1) / 16) * 16;
      expect(m.notes.some((n) => n.start === downbeat && n.pitch % 12 === 2)).toBe(true);
    }
  });
});

describe('cantus generate', () => {
  const cantus = (...args: string[]) =>
    spawnSync(process.execPath, [join(root, 'bin/cantus.mjs'), ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('writes the variations as OUT-1.mid, OUT-2.mid, ..., and the same seed writes the same files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cantus-gen-'));
    const primerFile = join(root, 'test/fixtures/midi/march-2-4.mid');
    const run = (out: string) =>
      cantus(
        'generate',
        '--primer',
        primerFile,
        '--out',
        join(dir, out),
        '--variations',
        '4',
        '--bars',
        '2',
        '--seed',
        '9',
      );
    const first = run('a.mid');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const names = [1, 2, 3, 4].map((k) => `-${k}.mid`);
    expect(names.every((n) => existsSync(join(dir, `a${n}`)))).toBe(true);
    expect(run('b.mid').status).toBe(0);
    for (const n of names) expect(readFileSync(join(dir, `b${n}`))).toEqual(readFileSync(join(dir, `a${n}`)));
    // Each variation is its own draw. Two may still agree: two bars after a march's whole strain
    // the default model is all but sure its opening comes back, and a copy written again up to
    // DUPLICATE_ROUNDS times can come out the same.
    const distinct = new Set(names.map((n) => readFileSync(join(dir, `a${n}`)).toString('base64')));
    expect(distinct.size).toBeGreaterThan(1);
  });

  it.each([
    [['--model', '/no/such/folder'], /^cantus: There is no model folder at \/no\/such\/folder\./],
    [['--model', join(root, 'test/fixtures')], /^cantus: There is no melody model at /],
    [['--primer', '/no/such.mid'], /^cantus: cannot read \/no\/such\.mid: /],
  ])('%j fails with one line', (extra, message) => {
    const run = cantus('generate', '--out', join(tmpdir(), 'never.mid'), ...extra);
    expect(run.status).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});
