/**
 * Key signatures as MIDI stores them (a count of sharps or flats, -7..7, and major/minor)
 * converted to and from Cantus keys with spelled tonics. Key spelling rules live in
 * music/key.ts; this file only knows the MIDI side.
 */
import { keyFifths, normalizeKey } from '../music/key.ts';
import type { Key, Mode } from '../music/melody.ts';

/** Major tonics from 7 flats (index 0) to 7 sharps (index 14). */
const MAJOR_TONICS = [
  'Cb',
  'Gb',
  'Db',
  'Ab',
  'Eb',
  'Bb',
  'F',
  'C',
  'G',
  'D',
  'A',
  'E',
  'B',
  'F#',
  'C#',
] as const;
/** Minor tonics from 7 flats to 7 sharps. */
const MINOR_TONICS = [
  'Ab',
  'Eb',
  'Bb',
  'F',
  'C',
  'G',
  'D',
  'A',
  'E',
  'B',
  'F#',
  'C#',
  'G#',
  'D#',
  'A#',
] as const;

/**
 * The key a MIDI key signature names: `sharps` is -7..7 (negative for flats), `minor` is
 * 0 (major) or 1 (minor). Null when the values are out of range.
 * @example keyFromSignature(2, 0) // => { tonic: 'D', mode: 'major' }
 */
export function keyFromSignature(sharps: number, minor: number): Key | null {
  if (!Number.isInteger(sharps) || sharps < -7 || sharps > 7 || (minor !== 0 && minor !== 1)) return null;
  const mode: Mode = minor === 1 ? 'minor' : 'major';
  const tonic = (minor === 1 ? MINOR_TONICS : MAJOR_TONICS)[sharps + 7]!;
  return { tonic, mode };
}

/**
 * Sharps (positive) or flats (negative) to write for `key`. A key whose own signature would
 * need more than seven (G# major) gets the signature of its conventional spelling (Ab major).
 * Throws on a tonic that is not a note name: that is a programmer error.
 * @example signatureOfKey({ tonic: 'F', mode: 'major' }) // => -1
 */
export function signatureOfKey(key: Key): number {
  return keyFifths(normalizeKey(key));
}
