import { describe, expect, it } from 'vitest';
import { transpositionWords } from '../../../src-core/analysis/describe.ts';

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
