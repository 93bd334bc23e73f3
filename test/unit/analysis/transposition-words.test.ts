import { describe, expect, it } from 'vitest';
import { analyzeMelody } from '../../../src-core/analysis/analyze.ts';
import { describeMotif, transpositionWords } from '../../../src-core/analysis/describe.ts';
import { displayNoteName } from '../../../src-core/music/describe.ts';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';

describe('transpositionWords', () => {
  it.each([
    [7, 'up a perfect fifth'],
    [-3, 'down a minor third'],
    [17, 'up an octave and a perfect fourth'],
    [12, 'up an octave'],
    [-24, 'down two octaves'],
    [6, 'up a tritone'],
    [-1, 'down a minor second'],
    [8, 'up a minor sixth'],
    [-19, 'down an octave and a perfect fifth'],
    [0, 'at the same pitch'],
  ])('%i semitones is "%s"', (semitones, words) => {
    expect(transpositionWords(semitones)).toBe(words);
  });

  it('never counts semitones, for any transposition a melody can have', () => {
    for (let n = -60; n <= 60; n++) expect(transpositionWords(n)).not.toMatch(/semitone|\d/);
  });
});

describe('one spelling of accidentals on screen', () => {
  it('shows note names with real signs, in the motif list as everywhere', () => {
    expect(['Bb4', 'F#5', 'Ebb3', 'C##2', 'G4'].map(displayNoteName)).toEqual([
      'B♭4',
      'F♯5',
      'E♭♭3',
      'C♯♯2',
      'G4',
    ]);
    const melody = makeMelody({
      notes: parseNotes('F4 A4 Bb4 C5 F4 A4 Bb4 C5 F#4 G4 A4 Bb4'),
      key: { tonic: 'F', mode: 'major' },
    });
    const a = analyzeMelody(melody);
    const words = a.motifs.map((m) => describeMotif(a, m)).join(' ');
    expect(words).toContain('B♭4');
    expect(words).not.toMatch(/[A-G][#b]\d/);
  });
});
