/**
 * Keys: finding the key of a melody, and how many sharps or flats a key signature has.
 *
 * Key finding follows the Krumhansl-Schmuckler method: count how long each pitch class
 * sounds, then compare that histogram (Pearson correlation) with a template for every
 * major and minor key. The templates are the Krumhansl-Kessler probe-tone profiles
 * (C. L. Krumhansl & E. J. Kessler, "Tracing the dynamic changes in perceived tonal
 * organization in a spatial representation of musical keys", Psychological Review 89,
 * 1982; tabulated in C. L. Krumhansl, "Cognitive Foundations of Musical Pitch", 1990).
 */
import { Key as TonalKey, Note as TonalNote } from 'tonal';
import type { Key, Mode, Note } from './melody.ts';

/** Krumhansl-Kessler major-key profile, indexed by semitones above the tonic. */
export const MAJOR_PROFILE: readonly number[] = [
  6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88,
];
/** Krumhansl-Kessler minor-key profile, indexed by semitones above the tonic. */
export const MINOR_PROFILE: readonly number[] = [
  6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17,
];

/**
 * How each tonic pitch class is named in a key signature, choosing the spelling with
 * fewer accidentals (Db major, 5 flats, not C# major, 7 sharps). Where both have six
 * (F# / Gb major, D# / Eb minor) we follow the usual classroom choice: F# major, Eb minor.
 */
const MAJOR_TONICS = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;
const MINOR_TONICS = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'G#', 'A', 'Bb', 'B'] as const;

/** One key scored against a melody. `score` is a Pearson correlation, -1..1. */
export interface KeyCandidate {
  readonly key: Key;
  readonly score: number;
}

/** The key with conventional spelling whose tonic is pitch class `pc` (0 = C). */
export function keyFromPitchClass(pc: number, mode: Mode): Key {
  const i = ((Math.round(pc) % 12) + 12) % 12;
  return { tonic: (mode === 'major' ? MAJOR_TONICS : MINOR_TONICS)[i]!, mode };
}

/** Pitch class (0 = C) of a key's tonic. Throws for a tonic that is not a pitch-class name. */
export function tonicPitchClass(key: Key): number {
  return readTonic(key.tonic).chroma;
}

/**
 * Sharps (positive) or flats (negative) in the key signature.
 * @example keyFifths({ tonic: 'D', mode: 'major' }) // => 2
 * @example keyFifths({ tonic: 'D', mode: 'minor' }) // => -1
 */
export function keyFifths(key: Key): number {
  const tonic = readTonic(key.tonic).pc;
  return key.mode === 'major' ? TonalKey.majorKey(tonic).alteration : TonalKey.minorKey(tonic).alteration;
}

/**
 * The same key, respelled with its conventional tonic when its signature would need more
 * than seven sharps or flats (G# major becomes Ab major). Other keys come back unchanged.
 */
export function normalizeKey(key: Key): Key {
  const fifths = keyFifths(key);
  return Math.abs(fifths) <= 7 ? key : keyFromPitchClass(tonicPitchClass(key), key.mode);
}

/** A readable key name. @example keyName({ tonic: 'F#', mode: 'minor' }) // => "F# minor" */
export function keyName(key: Key): string {
  return `${key.tonic} ${key.mode}`;
}

/**
 * How long each pitch class sounds in `notes`, in steps, indexed by pitch class (0 = C).
 * @example pitchClassDurations(parseNotes("C4/8 E4 C5")) // => [12, 0, 0, 0, 4, 0, ...]
 */
export function pitchClassDurations(notes: readonly Note[]): number[] {
  const histogram = new Array<number>(12).fill(0);
  for (const n of notes) {
    const pc = ((n.pitch % 12) + 12) % 12;
    histogram[pc] = histogram[pc]! + Math.max(0, n.end - n.start);
  }
  return histogram;
}

/**
 * All 24 major and minor keys scored against the melody, best first.
 * Equal scores (compared to nine decimals) are ordered major before minor, then fewer
 * sharps or flats, then lower tonic pitch class, so the order is always the same.
 * For an empty melody every score is 0 and C major comes first.
 */
export function keyCandidates(notes: readonly Note[]): KeyCandidate[] {
  const histogram = pitchClassDurations(notes);
  const scored: { candidate: KeyCandidate; rank: number; pc: number; accidentals: number }[] = [];
  for (const mode of ['major', 'minor'] as const) {
    const profile = mode === 'major' ? MAJOR_PROFILE : MINOR_PROFILE;
    for (let pc = 0; pc < 12; pc++) {
      // Rotate the profile so its tonic lands on pitch class `pc`.
      const rotated = histogram.map((_, i) => profile[(i - pc + 12) % 12]!);
      const key = keyFromPitchClass(pc, mode);
      const score = pearson(histogram, rotated);
      scored.push({
        candidate: { key, score },
        rank: Math.round(score * 1e9),
        pc,
        accidentals: Math.abs(keyFifths(key)),
      });
    }
  }
  scored.sort(
    (a, b) =>
      b.rank - a.rank ||
      modeOrder(a.candidate.key.mode) - modeOrder(b.candidate.key.mode) ||
      a.accidentals - b.accidentals ||
      a.pc - b.pc,
  );
  return scored.map((s) => s.candidate);
}

/**
 * The most likely key of a melody (Krumhansl-Schmuckler); C major for an empty melody.
 * @example estimateKey(parseNotes("D4 E4 F#4 G4 A4 B4 C#5 D5")) // => { tonic: 'D', mode: 'major' }
 */
export function estimateKey(notes: readonly Note[]): Key {
  return keyCandidates(notes)[0]?.key ?? { tonic: 'C', mode: 'major' };
}

/** Pitch classes that belong to a key, in semitones above its tonic. */
const MAJOR_DEGREES = new Set([0, 2, 4, 5, 7, 9, 11]);
const MINOR_DEGREES = new Set([0, 2, 3, 5, 7, 8, 9, 10, 11]);

/**
 * True when `pitch` belongs to `key`: its major scale, or in minor the natural minor with the
 * raised 6th and 7th of the melodic and harmonic forms.
 * @example isInKey(68, { tonic: 'A', mode: 'minor' }) // => true (G#)
 */
export function isInKey(pitch: number, key: Key): boolean {
  const degree = (((pitch - tonicPitchClass(key)) % 12) + 12) % 12;
  return (key.mode === 'major' ? MAJOR_DEGREES : MINOR_DEGREES).has(degree);
}

/** The other key with the same signature: the relative minor of a major key, or the relative major. */
export function relativeKey(key: Key): Key {
  const tonic = readTonic(key.tonic).pc;
  return key.mode === 'major'
    ? { tonic: TonalKey.majorKey(tonic).minorRelative, mode: 'minor' }
    : { tonic: TonalKey.minorKey(tonic).relativeMajor, mode: 'major' };
}

/**
 * A declared key signature read with the mode the notes suggest: of the declared key and its
 * relative (the two keys a signature can stand for), the one whose Krumhansl-Schmuckler score
 * over `notes` is higher; the declared one on a tie or with no notes. MIDI files often store a
 * minor tune with its relative major's signature and a wrong or missing mode flag.
 * @example keyInSignature({ tonic: 'C', mode: 'major' }, parseNotes('A3 C4 E4 A4 G#4 A4')) // => A minor
 */
export function keyInSignature(declared: Key, notes: readonly Note[]): Key {
  if (notes.length === 0) return declared;
  const other = relativeKey(declared);
  const scores = new Map(
    keyCandidates(notes).map((c) => [`${tonicPitchClass(c.key)}${c.key.mode}`, Math.round(c.score * 1e9)]),
  );
  const score = (k: Key): number => scores.get(`${tonicPitchClass(k)}${k.mode}`) ?? -Infinity;
  return score(other) > score(declared) ? other : declared;
}

/**
 * Reads a key as people write it: "D", "F# minor", "Bb major", "c#m". Null when it is not one.
 * @example parseKey('F# minor') // => { tonic: 'F#', mode: 'minor' }
 */
export function parseKey(text: string): Key | null {
  const m = /^\s*([A-Ga-g])([#b]?)\s*(major|maj|minor|min|m)?\s*$/.exec(text);
  if (!m) return null;
  const tonic = `${m[1]!.toUpperCase()}${m[2] ?? ''}`;
  const mode = m[3] === undefined || m[3].startsWith('maj') ? 'major' : 'minor';
  return { tonic, mode };
}

function modeOrder(mode: Mode): number {
  return mode === 'major' ? 0 : 1;
}

/** Pearson correlation of two equal-length series; 0 when either has no spread. */
function pearson(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const denominator = Math.sqrt(sxx * syy);
  return denominator === 0 ? 0 : sxy / denominator;
}

/** Reads a tonic such as "F#" or "bb"; a name with an octave or an unknown name is a programmer error. */
function readTonic(tonic: string): { pc: string; chroma: number } {
  const note = TonalNote.get(tonic);
  if (note.empty || note.oct !== undefined) {
    throw new Error(`"${tonic}" is not a key tonic; expected a pitch-class name such as "D" or "Bb"`);
  }
  return { pc: note.pc, chroma: note.chroma };
}
