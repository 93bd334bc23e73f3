/**
 * Chord-conditioned checkpoints (improv_rnn's chord_pitches_improv, in magenta.js's layout) load
 * and are reported as chord models; drum and other non-melody models are refused in words.
 */
import { describe, expect, it } from 'vitest';
import { PITCH_CHORD_DEPTH, PITCH_CHORD_ENCODER } from '../../../src-core/model/checkpoint-format.ts';
import { loadCheckpoint, type ReadModelFile } from '../../../src-core/model/load-checkpoint.ts';
import { fail, ok } from '../../../src-core/result.ts';
import { randomCheckpoint, smallChordShape } from './random-checkpoint.ts';

const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const chordModel = randomCheckpoint(smallChordShape(), { seed: 4, chordEncoder: PITCH_CHORD_ENCODER });
const config = JSON.parse(new TextDecoder().decode(chordModel.files.get('config.json')!)) as Record<
  string,
  unknown
>;

function reader(files: Map<string, Uint8Array>, changes: Record<string, Uint8Array> = {}): ReadModelFile {
  return async (name) => {
    const file = changes[name] ?? files.get(name);
    return file ? ok(file) : fail('model/read', `${name} is not there`);
  };
}

describe('loadCheckpoint with a chord model', () => {
  it('reads a chord_pitches_improv checkpoint as a chord-conditioned melody model', async () => {
    const loaded = await loadCheckpoint(reader(chordModel.files), 'here');
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(loaded.value.chords).toEqual({ encoder: 'PitchChordEncoder', depth: 37 });
    expect(loaded.value.shape.inputDepth).toBe(PITCH_CHORD_DEPTH + 38);
    expect(loaded.value.encoding.kind).toBe('basic');
    expect(loaded.value.encoding.inputDepth).toBe(38);
    expect(loaded.value.range).toEqual({ minPitch: 48, maxPitch: 83 });
  });

  it('leaves melody models without chords', async () => {
    const plain = randomCheckpoint({ inputDepth: 38, units: [8], classes: 38 }, { seed: 5 });
    const loaded = await loadCheckpoint(reader(plain.files), 'here');
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(loaded.value.chords).toBeUndefined();
  });

  it.each([
    [
      'a drum model',
      { type: 'MusicRNN', dataConverter: { type: 'DrumsConverter', args: { numSteps: 32 } } },
      /This is a drum model \(its config.json names a DrumsConverter\); Cantus writes melodies/,
    ],
    [
      'a drum roll model',
      { type: 'MusicRNN', dataConverter: { type: 'DrumRollConverter', args: {} } },
      /This is a drum model/,
    ],
    [
      'a trio model',
      { type: 'MusicRNN', dataConverter: { type: 'TrioConverter', args: {} } },
      /This is not a melody model: its config.json names a TrioConverter/,
    ],
    [
      'another chord encoder',
      { ...config, chordEncoder: 'TriadChordEncoder' },
      /encoded with a TriadChordEncoder, and Cantus runs chord models with a PitchChordEncoder only/,
    ],
    [
      'extra inputs',
      { ...config, auxInputs: [{ type: 'BinaryCounter', args: { numBits: 5 } }] },
      /extra inputs \("auxInputs"\)/,
    ],
    [
      'a chord model that does not name its encoder',
      { ...config, chordEncoder: undefined },
      /names no "chordEncoder".*add "chordEncoder": "PitchChordEncoder"/,
    ],
  ])('refuses %s in words', async (_, changed, message) => {
    const loaded = await loadCheckpoint(reader(chordModel.files, { 'config.json': text(changed) }), 'here');
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) {
      expect(loaded.error.message).toMatch(message);
      expect(loaded.error.message).not.toMatch(/does not match/);
    }
  });

  it('says a chord model whose manifest is a plain melody model does not fit', async () => {
    const plain = randomCheckpoint({ inputDepth: 38, units: [8], classes: 38 }, { seed: 6 });
    const loaded = await loadCheckpoint(
      reader(plain.files, { 'config.json': chordModel.files.get('config.json')! }),
      'here',
    );
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.error.message).toContain('38 inputs plus 37 for the chords');
  });
});
