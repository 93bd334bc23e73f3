/**
 * Key signatures as MIDI stores them (a count of sharps or flats, -7..7, and major/minor)
 * converted to and from Cantus keys with spelled tonics.
 */
import type { Key, Mode } from '../music/melody.ts';

/** Major tonics from 7 flats (index 0) to 7 sharps (index 14). */
const MAJOR_TONICS = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#'] as const;
/** Minor tonics from 7 flats to 7 sharps. */
const MINOR_TONICS = ['Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#', 'G#', 'D#', 'A#'] as const;

const LETTER_PC: Readonly<Record<string, number>> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/** Pitch class (0-11) of a spelled tonic such as "F#" or "Bb"; null when it is not a note name. */
export function tonicPitchClass(tonic: string): number | null {
  const m = /^([A-Ga-g])([#b]*)$/.exec(tonic);
  if (!m) return null;
  const base = LETTER_PC[m[1]!.toUpperCase()]!;
  const shift = [...m[2]!].reduce((s, c) => s + (c === '#' ? 1 : -1), 0);
  return (((base + shift) % 12) + 12) % 12;
}

/** The key for a MIDI key signature; null when the values are out of range. */
export function keyFromSignature(sharps: number, minor: number): Key | null {
  if (!Number.isInteger(sharps) || sharps < -7 || sharps > 7 || (minor !== 0 && minor !== 1)) return null;
  const mode: Mode = minor === 1 ? 'minor' : 'major';
  const tonic = (minor === 1 ? MINOR_TONICS : MAJOR_TONICS)[sharps + 7]!;
  return { tonic, mode };
}

/**
 * Sharps (positive) or flats (negative) in the signature of `key`. A key with no signature
 * of its own (such as D# major) gets the signature of its simplest enharmonic equal (Eb major).
 * Throws on a tonic that is not a note name: that is a programmer error.
 */
export function signatureOfKey(key: Key): number {
  const list: readonly string[] = key.mode === 'minor' ? MINOR_TONICS : MAJOR_TONICS;
  const exact = list.indexOf(key.tonic);
  if (exact >= 0) return exact - 7;
  const pc = tonicPitchClass(key.tonic);
  if (pc === null) throw new RangeError(`Not a key tonic: "${key.tonic}"`);
  let best = 0;
  let bestDistance = Infinity;
  list.forEach((name, i) => {
    if (tonicPitchClass(name) === pc && Math.abs(i - 7) < bestDistance) {
      best = i - 7;
      bestDistance = Math.abs(i - 7);
    }
  });
  return best;
}

/** The conventional spelling of a key given only its tonic pitch class (fewest accidentals; F# major over Gb major). */
export function keyFromPitchClass(pc: number, mode: Mode): Key {
  const pcNorm = ((pc % 12) + 12) % 12;
  const list: readonly string[] = mode === 'minor' ? MINOR_TONICS : MAJOR_TONICS;
  let best = 'C';
  let bestDistance = Infinity;
  list.forEach((name, i) => {
    const distance = Math.abs(i - 7) - (i > 7 ? 0.5 : 0); // prefer sharps on a tie
    if (tonicPitchClass(name) === pcNorm && distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  });
  return { tonic: best, mode };
}

/** "D major", "F# minor". */
export function keyName(key: Key): string {
  return `${key.tonic} ${key.mode}`;
}
