import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  estimateKey,
  keyCandidates,
  keyFifths,
  keyFromPitchClass,
  keyInSignature,
  keyName,
  normalizeKey,
  parseKey,
  pitchClassDurations,
  relativeKey,
  tonicPitchClass,
} from '../../../src-core/music/key.ts';
import { parseNotes, type Key, type Note } from '../../../src-core/music/melody.ts';

const major = (tonic: string): Key => ({ tonic, mode: 'major' });
const minor = (tonic: string): Key => ({ tonic, mode: 'minor' });

describe('estimateKey', () => {
  it.each([
    ['C major scale', 'C4 D4 E4 F4 G4 A4 B4 C5', 'C major'],
    ['G major scale', 'G4 A4 B4 C5 D5 E5 F#5 G5', 'G major'],
    ['D major scale', 'D4 E4 F#4 G4 A4 B4 C#5 D5', 'D major'],
    ['E major scale', 'E4 F#4 G#4 A4 B4 C#5 D#5 E5', 'E major'],
    ['Bb major scale', 'Bb3 C4 D4 Eb4 F4 G4 A4 Bb4', 'Bb major'],
    ['Ab major scale', 'Ab3 Bb3 C4 Db4 Eb4 F4 G4 Ab4', 'Ab major'],
    ['Db major scale (not C#)', 'Db4 Eb4 F4 Gb4 Ab4 Bb4 C5 Db5', 'Db major'],
    ['F# major scale (not Gb)', 'F#4 G#4 A#4 B4 C#5 D#5 E#5 F#5', 'F# major'],
    ['A harmonic minor scale', 'A4 B4 C5 D5 E5 F5 G#5 A5', 'A minor'],
    ['C harmonic minor scale', 'C4 D4 Eb4 F4 G4 Ab4 B4 C5', 'C minor'],
    ['G# harmonic minor scale (not Ab)', 'G#4 A#4 B4 C#5 D#5 E5 G5 G#5', 'G# minor'],
    ['Eb harmonic minor scale (not D#)', 'Eb4 F4 Gb4 Ab4 Bb4 Cb5 D5 Eb5', 'Eb minor'],
    [
      'D major tune with F# and C#',
      'D4 F#4 A4 F#4 G4 E4 C#4 D4/8 A3 D4 E4 F#4 E4/2 D4/2 C#4 D4/8',
      'D major',
    ],
    ['F major tune with Bb', 'F4 A4 C5 A4 Bb4 G4 E4 F4/8 C4 F4 G4 A4 Bb4/8 A4 G4 E4 F4/8', 'F major'],
    ['A minor tune with G#', 'A4 C5 E5 C5 B4 G#4 A4/8 E4 A4 B4 C5 D5 C5 B4 G#4 A4/8', 'A minor'],
    ['E minor tune with D#', 'E4 G4 B4 G4 A4 F#4 D#4 E4/8 B3 E4 F#4 G4 F#4 E4 D#4 E4/8', 'E minor'],
    ['D minor tune with C# and Bb', 'D4 F4 A4 F4 G4 E4 C#4 D4/8 A4 Bb4 A4 G4 F4 E4 D4/8', 'D minor'],
  ])('%s -> %s', (_, text, expected) => {
    expect(keyName(estimateKey(parseNotes(text)))).toBe(expected);
  });

  it('weights pitch classes by duration', () => {
    // The same notes; holding A and E long tips C major over to A minor.
    expect(keyName(estimateKey(parseNotes('A3/16 C4/2 E4/8 G#4/2 A4/8')))).toBe('A minor');
    expect(pitchClassDurations(parseNotes('C4/8 E4 C5'))).toEqual([12, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('gives C major for an empty melody and for a melody using all 12 pitch classes equally', () => {
    expect(estimateKey([])).toEqual(major('C'));
    expect(estimateKey(parseNotes('C4 C#4 D4 D#4 E4 F4 F#4 G4 G#4 A4 A#4 B4'))).toEqual(major('C'));
  });
});

describe('keyCandidates', () => {
  it('scores all 24 keys once each, best first', () => {
    const candidates = keyCandidates(parseNotes('D4 E4 F#4 G4 A4 B4 C#5 D5'));
    expect(candidates).toHaveLength(24);
    expect(new Set(candidates.map((c) => keyName(c.key))).size).toBe(24);
    for (let i = 1; i < candidates.length; i++) {
      expect(candidates[i - 1]!.score).toBeGreaterThanOrEqual(candidates[i]!.score - 1e-9);
    }
    expect(candidates.slice(0, 2).map((c) => keyName(c.key))).toEqual(['D major', 'B minor']);
  });

  it('breaks ties by major first, then fewer accidentals, then tonic pitch class', () => {
    expect(
      keyCandidates([])
        .slice(0, 4)
        .map((c) => keyName(c.key)),
    ).toEqual(['C major', 'F major', 'G major', 'D major']);
  });

  it('follows transposition: moving every note by k semitones moves the tonic by k', () => {
    const note = fc.record({
      pitch: fc.integer({ min: 36, max: 84 }),
      length: fc.integer({ min: 1, max: 8 }),
    });
    fc.assert(
      fc.property(
        fc.array(note, { minLength: 1, maxLength: 24 }),
        fc.integer({ min: 1, max: 11 }),
        (raw, k) => {
          const notes = toNotes(raw);
          const before = keyCandidates(notes);
          // Only meaningful when the winner is clear (an exact tie is broken by spelling).
          fc.pre(before[0]!.score - before[1]!.score > 1e-6);
          const after = estimateKey(notes.map((n) => ({ ...n, pitch: n.pitch + k })));
          expect(after.mode).toBe(before[0]!.key.mode);
          expect(tonicPitchClass(after)).toBe((tonicPitchClass(before[0]!.key) + k) % 12);
        },
      ),
    );
  });
});

describe('keyFifths', () => {
  it.each([
    [major('C'), 0],
    [major('G'), 1],
    [major('D'), 2],
    [major('F'), -1],
    [major('Bb'), -2],
    [major('F#'), 6],
    [major('Db'), -5],
    [major('C#'), 7],
    [major('Cb'), -7],
    [minor('A'), 0],
    [minor('E'), 1],
    [minor('D'), -1],
    [minor('F#'), 3],
    [minor('G#'), 5],
    [minor('Eb'), -6],
    [minor('Bb'), -5],
  ])('%o has %i', (key, fifths) => {
    expect(keyFifths(key)).toBe(fifths);
  });

  it('rejects a tonic that is not a pitch-class name', () => {
    expect(() => keyFifths(major('H'))).toThrow(/not a key tonic/);
    expect(() => keyFifths(major('C4'))).toThrow(/not a key tonic/);
  });
});

describe('keyFromPitchClass and normalizeKey', () => {
  it('names every tonic with the conventional signature spelling', () => {
    const majors = Array.from({ length: 12 }, (_, pc) => keyFromPitchClass(pc, 'major').tonic);
    const minors = Array.from({ length: 12 }, (_, pc) => keyFromPitchClass(pc, 'minor').tonic);
    expect(majors).toEqual(['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B']);
    expect(minors).toEqual(['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'G#', 'A', 'Bb', 'B']);
    for (let pc = 0; pc < 12; pc++) {
      expect(Math.abs(keyFifths(keyFromPitchClass(pc, 'major')))).toBeLessThanOrEqual(6);
      expect(Math.abs(keyFifths(keyFromPitchClass(pc, 'minor')))).toBeLessThanOrEqual(6);
    }
  });

  it('respells keys beyond seven sharps or flats and leaves others alone', () => {
    expect(normalizeKey(major('G#'))).toEqual(major('Ab'));
    expect(normalizeKey(minor('Fb'))).toEqual(minor('E'));
    expect(normalizeKey(major('C#'))).toEqual(major('C#'));
    expect(normalizeKey(minor('D'))).toEqual(minor('D'));
  });
});

function toNotes(raw: readonly { pitch: number; length: number }[]): Note[] {
  let at = 0;
  return raw.map(({ pitch, length }) => {
    const n = { pitch, start: at, end: at + length, velocity: 80 };
    at += length;
    return n;
  });
}

describe('reading a declared key signature', () => {
  it.each([
    [
      { tonic: 'C', mode: 'major' },
      { tonic: 'A', mode: 'minor' },
    ],
    [
      { tonic: 'F#', mode: 'major' },
      { tonic: 'D#', mode: 'minor' },
    ],
    [
      { tonic: 'D', mode: 'minor' },
      { tonic: 'F', mode: 'major' },
    ],
    [
      { tonic: 'Eb', mode: 'minor' },
      { tonic: 'Gb', mode: 'major' },
    ],
  ] as const)('%o shares its signature with %o', (key, relative) => {
    expect(relativeKey(key)).toEqual(relative);
    expect(keyFifths(relativeKey(key))).toBe(keyFifths(key));
  });

  it('chooses the relative minor when the notes are minor', () => {
    const aMinor = parseNotes('A3/4 C4/4 E4/4 A4/8 G#4/4 B4/4 A4/8 E4/4 C4/4 A3/8');
    expect(keyInSignature({ tonic: 'C', mode: 'major' }, aMinor)).toEqual({ tonic: 'A', mode: 'minor' });
    const cMajor = parseNotes('C4/4 E4/4 G4/4 C5/8 B4/4 D5/4 C5/8 G4/4 E4/4 C4/8');
    expect(keyInSignature({ tonic: 'C', mode: 'major' }, cMajor)).toEqual({ tonic: 'C', mode: 'major' });
    expect(keyInSignature({ tonic: 'A', mode: 'minor' }, cMajor)).toEqual({ tonic: 'C', mode: 'major' });
  });

  it('keeps the declared key with no notes, and never leaves the signature', () => {
    expect(keyInSignature({ tonic: 'E', mode: 'major' }, [])).toEqual({ tonic: 'E', mode: 'major' });
    // D major notes under an F major signature: still F major or D minor, never D major.
    const dMajor = parseNotes('D4/4 F#4/4 A4/4 D5/8 C#5/4 E5/4 D5/8');
    expect(['F major', 'D minor']).toContain(keyName(keyInSignature({ tonic: 'F', mode: 'major' }, dMajor)));
  });

  it.each([
    ['F# minor', { tonic: 'F#', mode: 'minor' }],
    ['Bb major', { tonic: 'Bb', mode: 'major' }],
    ['c#m', { tonic: 'C#', mode: 'minor' }],
    ['D', { tonic: 'D', mode: 'major' }],
    ['H', null],
  ] as const)('parseKey(%j)', (text, key) => {
    expect(parseKey(text)).toEqual(key);
  });
});
