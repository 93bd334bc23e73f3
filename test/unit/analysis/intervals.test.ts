import { describe, expect, it } from 'vitest';
import { analyzeMelody } from '../../../src-core/analysis/analyze.ts';
import { makeContext } from '../../../src-core/analysis/context.ts';
import { intervalBetween, motionOf, nameInterval } from '../../../src-core/analysis/intervals.ts';
import { makeMelody, parseNotes, type Key } from '../../../src-core/music/melody.ts';
import { written } from './helpers.ts';
import { MINOR_WALTZ } from './melodies.ts';

const melody = (text: string, key: Key | null = null) => makeMelody({ notes: parseNotes(text), key });

describe('nameInterval: quality and number from the written notes', () => {
  it.each([
    // from, to, name, full name, simple name, consonance
    ['C4', 'C4', 'P1', 'perfect unison', 'P1', 'perfect'],
    ['C4', 'C#4', 'A1', 'augmented unison', 'A1', 'dissonant'],
    ['C4', 'Db4', 'm2', 'minor second', 'm2', 'dissonant'],
    ['C4', 'D4', 'M2', 'major second', 'M2', 'dissonant'],
    ['F4', 'G#4', 'A2', 'augmented second', 'A2', 'dissonant'],
    ['C4', 'Eb4', 'm3', 'minor third', 'm3', 'imperfect'],
    ['C4', 'E4', 'M3', 'major third', 'M3', 'imperfect'],
    ['C#4', 'F4', 'd4', 'diminished fourth', 'd4', 'dissonant'],
    ['C4', 'F4', 'P4', 'perfect fourth', 'P4', 'perfect'],
    ['F4', 'B4', 'A4', 'augmented fourth', 'A4', 'dissonant'],
    ['B4', 'F5', 'd5', 'diminished fifth', 'd5', 'dissonant'],
    ['C4', 'G4', 'P5', 'perfect fifth', 'P5', 'perfect'],
    ['E4', 'C5', 'm6', 'minor sixth', 'm6', 'imperfect'],
    ['C4', 'A4', 'M6', 'major sixth', 'M6', 'imperfect'],
    ['E4', 'Db5', 'd7', 'diminished seventh', 'd7', 'dissonant'],
    ['C4', 'Bb4', 'm7', 'minor seventh', 'm7', 'dissonant'],
    ['D4', 'C#5', 'M7', 'major seventh', 'M7', 'dissonant'],
    ['C4', 'C5', 'P8', 'perfect octave', 'P8', 'perfect'],
    ['C4', 'Db5', 'm9', 'minor ninth', 'm2', 'dissonant'],
    ['C4', 'D5', 'M9', 'major ninth', 'M2', 'dissonant'],
    ['C4', 'E5', 'M10', 'major tenth', 'M3', 'imperfect'],
    ['C4', 'F5', 'P11', 'perfect eleventh', 'P4', 'perfect'],
    ['C4', 'G5', 'P12', 'perfect twelfth', 'P5', 'perfect'],
    ['C4', 'C6', 'P15', 'perfect double octave', 'P8', 'perfect'],
    ['C4', 'D6', 'M16', 'major 16th', 'M2', 'dissonant'],
  ])('%s to %s is %s', (from, to, name, fullName, simpleName, consonance) => {
    const up = nameInterval(written(from), written(to));
    expect(up).toMatchObject({ name, fullName, simpleName, consonance });
    expect(up.consonant).toBe(consonance !== 'dissonant');
    expect(up.compound).toBe(up.number > 8);
    // The name does not depend on the direction.
    expect(nameInterval(written(to), written(from)).name).toBe(name);
  });
});

describe('motion: step, skip or leap by the size on the staff', () => {
  it.each([
    [1, 0, 'repeat'],
    [1, 1, 'step'], // C to C#: a chromatic half step
    [2, 1, 'step'],
    [2, 2, 'step'],
    [2, 3, 'step'], // the augmented second moves to the next letter
    [3, 2, 'skip'], // diminished third
    [3, 4, 'skip'],
    [4, 5, 'leap'],
    [4, 4, 'leap'], // diminished fourth
    [8, 12, 'leap'],
    [10, 16, 'leap'], // a compound third is a leap
  ])('number %i, %i semitones -> %s', (number, semitones, motion) => {
    expect(motionOf(number, semitones)).toBe(motion);
  });
});

describe('intervals in a key', () => {
  it('names C# to F in A major a diminished fourth, as the score writes them', () => {
    const ctx = makeContext(melody('C#5 F5', { tonic: 'A', mode: 'major' }));
    expect(ctx.names).toEqual(['C#5', 'F5']);
    expect(intervalBetween(ctx, 0, 1)).toMatchObject({
      name: 'd4',
      semitones: 4,
      motion: 'leap',
      consonant: false,
    });
  });

  it('names F to G# in A minor an augmented second (a step), not a minor third', () => {
    const ctx = makeContext(melody('A4 F4 G#4 A4', { tonic: 'A', mode: 'minor' }));
    expect(intervalBetween(ctx, 1, 2)).toMatchObject({
      name: 'A2',
      fullName: 'augmented second',
      semitones: 3,
      direction: 'up',
      motion: 'step',
      stepOrLeap: 'step',
      consonance: 'dissonant',
    });
  });

  it('names the tritones of C major: F up to B is A4, B up to F is d5', () => {
    const ctx = makeContext(melody('F4 B4 F5', { tonic: 'C', mode: 'major' }));
    expect(intervalBetween(ctx, 0, 1).name).toBe('A4');
    expect(intervalBetween(ctx, 1, 2).name).toBe('d5');
    expect(intervalBetween(ctx, 0, 2)).toMatchObject({ name: 'P8', semitones: 12 });
  });

  it('measures between any two notes, in either order, with direction and rests', () => {
    const ctx = makeContext(melody('G4 r C5 E5', { tonic: 'C', mode: 'major' }));
    expect(intervalBetween(ctx, 0, 1)).toMatchObject({ name: 'P4', direction: 'up', acrossRest: true });
    expect(intervalBetween(ctx, 2, 0)).toMatchObject({ name: 'M6', semitones: -9, direction: 'down' });
    expect(intervalBetween(ctx, 1, 2).acrossRest).toBe(false);
    expect(() => intervalBetween(ctx, 0, 3)).toThrow(RangeError);
  });

  it('reads the D minor waltz with its leading note: C# down to Bb is an augmented second', () => {
    const a = analyzeMelody(MINOR_WALTZ);
    expect(a.key.name).toBe('D minor');
    // D4 F4 A4 | D5 C#5 | Bb4 A4 G4 | A4 | E4 G4 Bb4 | C#5 Bb4 | A4 E4 C#4 | D4
    expect(a.intervals.map((i) => `${i.direction === 'down' ? '-' : ''}${i.name}`)).toEqual([
      'm3',
      'M3',
      'P4',
      '-m2',
      '-A2',
      '-m2',
      '-M2',
      'M2',
      '-P4',
      'm3',
      'm3',
      'A2',
      '-A2',
      '-m2',
      '-P4',
      '-m3',
      'm2',
    ]);
  });
});

describe('summarizeIntervals', () => {
  it('counts motion, finds the range, the commonest intervals and the largest leap', () => {
    // C D E C G G E C: M2 M2 -M3 P5 P1 -m3 -M3
    const s = analyzeMelody(melody('C4 D4 E4 C4 G4 G4 E4 C4', { tonic: 'C', mode: 'major' })).summary;
    expect(s.count).toBe(7);
    expect(s.motion).toEqual({ repeat: 1, step: 2, skip: 3, leap: 1 });
    expect(s.stepShare).toBeCloseTo(2 / 7);
    expect(s.leapShare).toBeCloseTo(4 / 7);
    expect(s.directions).toEqual({ up: 3, down: 3, same: 1 });
    expect(s.range).toEqual({ lowest: 0, highest: 4, semitones: 7, name: 'P5', fullName: 'perfect fifth' });
    expect(s.commonest.map((c) => [c.name, c.count])).toEqual([
      ['M2', 2],
      ['M3', 2],
      ['P1', 1],
      ['m3', 1],
      ['P5', 1],
    ]);
    expect(s.largestLeap).toMatchObject({ from: 3, to: 4, name: 'P5' });
    // Consonant: M3 P5 P1 m3 M3 (5 of 7); the seconds are not.
    expect(s.consonantShare).toBeCloseTo(5 / 7);
  });

  it('reports no largest leap for a melody that only steps, and nothing for one note', () => {
    expect(analyzeMelody(melody('C4 D4 E4 D4 C4')).summary.largestLeap).toBeNull();
    const one = analyzeMelody(melody('C4')).summary;
    expect(one.count).toBe(0);
    expect(one.range).toMatchObject({ lowest: 0, highest: 0, semitones: 0, name: 'P1' });
    expect(one.commonest).toEqual([]);
  });
});
