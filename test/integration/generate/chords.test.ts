/**
 * Chord models (improv_rnn's chord_pitches_improv layout) run through magenta.js's MusicRNN in
 * Node: a small random one continues a melody over "C G Am F", and `cantus generate --chords`
 * takes it; a model without chords refuses --chords, and a drum model is refused in words.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PITCH_CHORD_ENCODER } from '../../../src-core/model/checkpoint-format.ts';
import { readMidi } from '../../../src-core/midi/read.ts';
import { isMonophonic, makeMelody, parseNotes, stepsPerBar } from '../../../src-core/music/melody.ts';
import { loadChordModel } from '../../../src-engine/magenta-chords-node.ts';
import { readCheckpoint } from '../../../src-engine/read-checkpoint.ts';
import { randomCheckpoint, smallChordShape } from '../../unit/model/random-checkpoint.ts';

const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function writeModel(files: Map<string, Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cantus-chords-'));
  folders.push(dir);
  for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
  return dir;
}

const chordModelDir = writeModel(
  randomCheckpoint(smallChordShape(16, 2), { seed: 21, chordEncoder: PITCH_CHORD_ENCODER }).files,
);
const plainModelDir = writeModel(
  randomCheckpoint({ inputDepth: 38, units: [16], classes: 38 }, { seed: 22 }).files,
);

// High, so the primer must be moved down an octave into the model's range and the answer back up.
const primer = makeMelody({
  notes: parseNotes('G5 A5 B5 D6 C6/2 B5/2 A5/8', 90),
  meter: { numerator: 3, denominator: 4 },
  tempo: 100,
});

describe('a chord model through magenta.js', () => {
  it('continues a melody over chords: primer kept, monophonic notes in range for the bars asked', async () => {
    const checkpoint = await readCheckpoint(chordModelDir);
    if (!checkpoint.ok) throw new Error(checkpoint.error.message);
    expect(checkpoint.value.chords?.encoder).toBe('PitchChordEncoder');
    const model = await loadChordModel(chordModelDir, checkpoint.value);
    if (!model.ok) throw new Error(model.error.message);
    try {
      const bar = stepsPerBar(primer.meter);
      const progress: number[] = [];
      const result = await model.value.continue(primer, {
        steps: 4 * bar,
        temperature: 1,
        variations: 3,
        chords: ['C', 'G', 'Am', 'F'],
        onProgress: (done) => progress.push(done),
      });
      if (!result.ok) throw new Error(result.error.message);
      expect(progress).toEqual([1, 2, 3]);
      expect(result.value).toHaveLength(3);
      for (const melody of result.value) {
        expect(melody.length).toBe(primer.length + 4 * bar);
        expect(melody.notes.slice(0, primer.notes.length)).toEqual(primer.notes);
        expect(melody.meter).toEqual(primer.meter);
        expect(isMonophonic(melody.notes)).toBe(true);
        const added = melody.notes.slice(primer.notes.length);
        expect(added.length).toBeGreaterThan(0);
        for (const n of added) {
          expect(n.start).toBeGreaterThanOrEqual(primer.length);
          expect(n.end).toBeLessThanOrEqual(melody.length);
          // The model's range (MIDI 48-83), moved up the octave the primer was moved down.
          expect(n.pitch).toBeGreaterThanOrEqual(60);
          expect(n.pitch).toBeLessThanOrEqual(95);
        }
      }
    } finally {
      model.value.dispose();
    }
  }, 60_000);
});

const cantus = (args: string[]) =>
  spawnSync(process.execPath, [resolve(import.meta.dirname, '../../../bin/cantus.mjs'), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('cantus generate with chords', () => {
  it('writes over --chords with a chord model, and says that seeds do not apply', () => {
    const out = join(chordModelDir, 'out.mid');
    const run = cantus([
      'generate',
      '--model',
      chordModelDir,
      '--out',
      out,
      '--bars',
      '4',
      '--chords',
      'C G Am F',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Writing over C G Am F, one chord a bar');
    expect(run.stdout).toContain('takes no seed');
    const midi = readMidi(new Uint8Array(readFileSync(out)));
    expect(midi.ok).toBe(true);
  });

  it.each([
    [['--chords', 'C Xq F'], /--chords: "Xq" is not a chord symbol Cantus knows/],
    [[], /writes melodies over chords: give them with --chords, one a bar, e\.g\. --chords "C G Am F"/],
    [['--chords', 'C G', '--constrain', 'in-key'], /--constrain work with Cantus's own melody models/],
  ])('refuses a chord model with %j in words', (extra, message) => {
    const run = cantus([
      'generate',
      '--model',
      chordModelDir,
      '--out',
      join(chordModelDir, 'x.mid'),
      ...extra,
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses --chords for a model that takes no chords', () => {
    const run = cantus([
      'generate',
      '--model',
      plainModelDir,
      '--out',
      join(plainModelDir, 'x.mid'),
      '--chords',
      'C G',
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--chords is for chord models .* writes melodies without chords/);
  });

  it('refuses a drum model in words', () => {
    const drums = writeModel(
      new Map([
        [
          'config.json',
          new TextEncoder().encode(
            JSON.stringify({ type: 'MusicRNN', dataConverter: { type: 'DrumsConverter', args: {} } }),
          ),
        ],
      ]),
    );
    const out = join(drums, 'x.mid');
    const run = cantus(['generate', '--model', drums, '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/This is a drum model .*; Cantus writes melodies/);
    expect(existsSync(out)).toBe(false);
  });
});
