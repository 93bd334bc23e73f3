import { describe, expect, it } from 'vitest';
import { keyFifths, keyFromPitchClass } from '../../../src-core/music/key.ts';
import type { Key, Mode } from '../../../src-core/music/melody.ts';
import { signatureAlter, spelledName, spelledToMidi, spellPitch } from '../../../src-core/music/spelling.ts';

const key = (text: string): Key => {
  const [tonic, mode] = text.split(' ');
  return { tonic: tonic!, mode: mode as Mode };
};
const spell = (pitch: number, k: string): string => spelledName(spellPitch(pitch, key(k)));

describe('spellPitch', () => {
  it.each([
    // Notes of the key use the key's letters.
    [66, 'D major', 'F#4'],
    [73, 'D major', 'C#5'],
    [70, 'F major', 'Bb4'],
    [63, 'Eb major', 'Eb4'],
    [68, 'E major', 'G#4'],
    [66, 'Gb major', 'Gb4'],
    // Minor keys own their raised 6th and 7th.
    [61, 'D minor', 'C#4'],
    [70, 'D minor', 'Bb4'],
    [71, 'D minor', 'B4'],
    [68, 'A minor', 'G#4'],
    [66, 'A minor', 'F#4'],
    [62, 'E minor', 'D4'],
    [63, 'E minor', 'D#4'],
    [71, 'C minor', 'B4'],
    [68, 'C minor', 'Ab4'],
    // Chromatic notes in major: raised 1st, lowered 3rd, raised 4th, lowered 6th, lowered 7th.
    [61, 'C major', 'C#4'],
    [63, 'C major', 'Eb4'],
    [66, 'C major', 'F#4'],
    [68, 'C major', 'Ab4'],
    [70, 'C major', 'Bb4'],
    [63, 'D major', 'D#4'],
    [65, 'D major', 'F4'],
    [72, 'D major', 'C5'],
    [71, 'F major', 'B4'],
    [61, 'F major', 'Db4'],
    [65, 'G major', 'F4'],
    [70, 'G major', 'Bb4'],
    // Chromatic notes in minor: lowered 2nd, major 3rd, raised 4th.
    [70, 'A minor', 'Bb4'],
    [61, 'A minor', 'C#4'],
    [63, 'A minor', 'D#4'],
    [63, 'D minor', 'Eb4'],
    // Awkward chromatic spellings move to the neighbouring letter...
    [65, 'E major', 'F4'],
    [72, 'B major', 'C5'],
    [71, 'Eb major', 'B4'],
    [69, 'Db major', 'A4'],
    [67, 'F# major', 'G4'],
    // ...but notes of the key keep their letters, with the octave following the letter.
    [60, 'C# major', 'B#3'],
    [59, 'Gb major', 'Cb4'],
    [71, 'Gb major', 'Cb5'],
    [72, 'C# major', 'B#4'],
    [65, 'F# major', 'E#4'],
    [64, 'Cb major', 'Fb4'],
    [67, 'G# minor', 'F##4'],
    [60, 'C# minor', 'B#3'],
    // Extremes of the MIDI range.
    [0, 'C major', 'C-1'],
    [127, 'C major', 'G9'],
    [0, 'C# major', 'B#-2'],
  ])('%i in %s is %s', (pitch, k, expected) => {
    expect(spell(pitch, k)).toBe(expected);
  });

  it('gives back the same MIDI pitch for every pitch in every key, as a natural, single or double accidental', () => {
    const keys: Key[] = [];
    for (let pc = 0; pc < 12; pc++) keys.push(keyFromPitchClass(pc, 'major'), keyFromPitchClass(pc, 'minor'));
    keys.push(
      key('C# major'),
      key('Cb major'),
      key('Gb major'),
      key('A# minor'),
      key('D# minor'),
      key('Ab minor'),
    );
    for (const k of keys) {
      const names = new Set<string>();
      for (let pitch = 0; pitch < 128; pitch++) {
        const p = spellPitch(pitch, k);
        expect(spelledToMidi(p)).toBe(pitch);
        expect(Math.abs(p.alter)).toBeLessThanOrEqual(2);
        names.add(spelledName(p));
      }
      expect(names.size).toBe(128);
    }
  });

  it('uses only single accidentals in conventionally named keys', () => {
    for (let pc = 0; pc < 12; pc++) {
      for (const mode of ['major', 'minor'] as const) {
        const k = keyFromPitchClass(pc, mode);
        if (keyName(k) === 'G# minor') continue; // its leading note is F##
        for (let pitch = 60; pitch < 72; pitch++) {
          expect(Math.abs(spellPitch(pitch, k).alter), `${pitch} in ${keyName(k)}`).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('rejects a pitch off the semitone grid and an unknown tonic', () => {
    expect(() => spellPitch(60.5, key('C major'))).toThrow();
    expect(() => spellPitch(60, key('X major'))).toThrow(/not a key tonic/);
  });
});

describe('signatureAlter', () => {
  it('agrees with the spelling of the key scale', () => {
    expect(signatureAlter(2, 'F')).toBe(1);
    expect(signatureAlter(2, 'C')).toBe(1);
    expect(signatureAlter(2, 'G')).toBe(0);
    expect(signatureAlter(-1, 'B')).toBe(-1);
    expect(signatureAlter(-1, 'E')).toBe(0);
    expect(signatureAlter(0, 'F')).toBe(0);
    for (let pc = 0; pc < 12; pc++) {
      const k = keyFromPitchClass(pc, 'major');
      // The seven notes of the major scale from the tonic carry exactly the signature's alterations.
      for (const step of [0, 2, 4, 5, 7, 9, 11]) {
        const p = spellPitch(60 + pc + step, k);
        expect(p.alter).toBe(signatureAlter(keyFifths(k), p.letter));
      }
    }
  });
});

function keyName(k: Key): string {
  return `${k.tonic} ${k.mode}`;
}
