/**
 * A MIDI file exported by Cantus, rendered to sound by FluidSynth offline with a General MIDI
 * soundfont: the recording has one onset per note, at the written times, at the written pitches.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeMelodyMidi } from '../../../src-core/midi/write.ts';
import { makeMelody, parseNotes, secondsPerStep } from '../../../src-core/music/melody.ts';
import { frequency, onsets, pitchOf, readWav, semitonesBetween } from '../../support/audio-analysis.ts';

const SOUNDFONT = '/usr/share/sounds/sf2/TimGM6mb.sf2';
const missing = spawnSync('fluidsynth', ['--version']).error
  ? 'fluidsynth is not installed'
  : existsSync(SOUNDFONT)
    ? null
    : `the soundfont ${SOUNDFONT} is not installed (timgm6mb-soundfont)`;
if (missing && process.env['CI'] === 'true') throw new Error(`FluidSynth test cannot run in CI: ${missing}`);
if (missing) console.log(`Skipping the FluidSynth test: ${missing}`);

describe.skipIf(missing !== null)('an exported MIDI file rendered by FluidSynth', () => {
  it('sounds every note at its time and pitch', () => {
    // Notes with rests between them, over two octaves, at 100 BPM (150 ms a step).
    const melody = makeMelody({
      notes: parseNotes(
        'C4/4 r/4 E4/4 r/4 G4/2 r/2 C5/4 r/4 A4/2 r/2 F4/4 r/4 D5/4 r/4 B3/4 r/4 G4/2 r/2 E5/4 r/4 C4/8',
        100,
      ),
      tempo: 100,
      meter: { numerator: 4, denominator: 4 },
    });
    const dir = mkdtempSync(join(tmpdir(), 'cantus-fluid-'));
    writeFileSync(join(dir, 'melody.mid'), writeMelodyMidi(melody));
    const render = spawnSync(
      'fluidsynth',
      ['-ni', '-g', '1.0', '-r', '44100', '-F', join(dir, 'out.wav'), SOUNDFONT, join(dir, 'melody.mid')],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(render.status).toBe(0);
    const { samples, rate } = readWav(new Uint8Array(readFileSync(join(dir, 'out.wav'))));
    const step = secondsPerStep(melody.tempo);

    const heard = onsets(samples, rate);
    expect(heard).toHaveLength(melody.notes.length);
    // FluidSynth starts the first note at time 0 of the file; every later onset keeps its distance.
    const offset = heard[0]! - melody.notes[0]!.start * step;
    heard.forEach((t, i) => expect(Math.abs(t - offset - melody.notes[i]!.start * step)).toBeLessThan(0.015));

    for (const note of melody.notes) {
      const from = Math.round((offset + note.start * step + 0.04) * rate);
      const f = pitchOf(samples, from, 2048, rate);
      expect(
        semitonesBetween(f, frequency(note.pitch)),
        `note ${note.pitch} at step ${note.start}`,
      ).toBeLessThan(0.5);
    }
  });
});
