/**
 * Keys: the modes and their signatures and scales, how a key's tonic is spelled, and the
 * classic way of finding a major or minor key from a melody's notes (key-finding.ts chooses
 * among the modes as well, for analysis).
 *
 * Modes: a key signature stands for one seven-note collection, and each of its seven notes can
 * be the tonic: the major (Ionian) mode on the signature's major tonic, Dorian on its 2nd,
 * Phrygian 3rd, Lydian 4th, Mixolydian 5th, minor (Aeolian) 6th, Locrian 7th. D Dorian has
 * C major's signature, A Mixolydian D major's.
 *
 * Key finding follows the Krumhansl-Schmuckler method: count how long each pitch class
 * sounds, then compare that histogram (Pearson correlation) with a template for every
 * major and minor key. The templates are the Krumhansl-Kessler probe-tone profiles
 * (C. L. Krumhansl & E. J. Kessler, "Tracing the dynamic changes in perceived tonal
 * organization in a spatial representation of musical keys", Psychological Review 89,
 * 1982; tabulated in C. L. Krumhansl, "Cognitive Foundations of Musical Pitch", 1990).
 */
import { Key as TonalKey, Note as TonalNote } from 'tonal';
import { MODES, type Key, type Mode, type Note } from './melody.ts';

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

/** Which degree of its signature's major scale each mode starts on, in semitones. */
const MODE_DEGREE: Readonly<Record<Mode, number>> = {
  major: 0,
  dorian: 2,
  phrygian: 4,
  lydian: 5,
  mixolydian: 7,
  minor: 9,
  locrian: 11,
};

/**
 * The scale of a mode, in semitones above its tonic (its signature's notes from the tonic).
 * @example modeScale('dorian') // => [0, 2, 3, 5, 7, 9, 10]
 */
export function modeScale(mode: Mode): readonly number[] {
  const d = MODE_DEGREE[mode];
  return MAJOR_STEPS.map((p) => (((p - d) % 12) + 12) % 12).sort((a, b) => a - b);
}

/** True for the modes whose third is major (major, Lydian, Mixolydian). */
export function hasMajorThird(mode: Mode): boolean {
  return modeScale(mode).includes(4);
}

/** One key scored against a melody. `score` is a Pearson correlation, -1..1. */
export interface KeyCandidate {
  readonly key: Key;
  readonly score: number;
}

/**
 * The key with conventional spelling whose tonic is pitch class `pc` (0 = C): for a church
 * mode, the spelling whose signature has fewer sharps or flats (F# Dorian, 4 sharps, not Gb
 * Dorian, 8 flats).
 */
export function keyFromPitchClass(pc: number, mode: Mode): Key {
  const i = ((Math.round(pc) % 12) + 12) % 12;
  if (mode === 'major' || mode === 'minor')
    return { tonic: (mode === 'major' ? MAJOR_TONICS : MINOR_TONICS)[i]!, mode };
  // The tonic spelled as the right degree of the major key whose signature this mode shares.
  const major = MAJOR_TONICS[(i - MODE_DEGREE[mode] + 12) % 12]!;
  const id = `${major} ${mode}`;
  const tonic =
    MODE_TONICS.get(id) ?? TonalKey.majorKey(major).scale[MAJOR_STEPS.indexOf(MODE_DEGREE[mode])]!;
  MODE_TONICS.set(id, tonic);
  return { tonic, mode };
}

const MODE_TONICS = new Map<string, string>();

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
  // Asked for every bar of a score: worked out once per key (tonal builds the whole key each time).
  const id = `${key.tonic} ${key.mode}`;
  const known = FIFTHS.get(id);
  if (known !== undefined) return known;
  const tonic = readTonic(key.tonic).pc;
  // The major key on the same tonic, less the fifths the mode lowers: minor 3, Dorian 2 ...
  const fifths = TonalKey.majorKey(tonic).alteration - MODE_FIFTHS[key.mode];
  FIFTHS.set(id, fifths);
  return fifths;
}

const FIFTHS = new Map<string, number>();

/** Fifths (flats) each mode has fewer than the major key on its tonic. */
const MODE_FIFTHS: Readonly<Record<Mode, number>> = {
  lydian: -1,
  major: 0,
  mixolydian: 1,
  dorian: 2,
  minor: 3,
  phrygian: 4,
  locrian: 5,
};

/**
 * The seven keys a signature (-7..7 fifths) stands for, in MODES order, spelled in that signature.
 * @example keysOfSignature(0).map(keyName) // => ['C major', 'A minor', 'D dorian', 'G mixolydian', ...]
 */
export function keysOfSignature(fifths: number): Key[] {
  const f = Math.max(-7, Math.min(7, Math.round(fifths)));
  let keys = SIGNATURE_KEYS.get(f);
  if (!keys) {
    const scale = TonalKey.majorKey(SIGNATURE_MAJORS[f + 7]!).scale;
    keys = MODES.map((mode) => ({ tonic: scale[MAJOR_STEPS.indexOf(MODE_DEGREE[mode])]!, mode }));
    SIGNATURE_KEYS.set(f, keys);
  }
  return [...keys];
}

const SIGNATURE_KEYS = new Map<number, readonly Key[]>();

/** The major key of each signature from 7 flats (index 0) to 7 sharps. */
const SIGNATURE_MAJORS = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#'];
/** The major scale in semitones above its tonic. */
const MAJOR_STEPS = [0, 2, 4, 5, 7, 9, 11];

/**
 * Pitch class of the major tonic of a key's signature: 0 for C major, A minor and D Dorian.
 * @example signatureHome({ tonic: 'E', mode: 'minor' }) // => 7 (G)
 */
export function signatureHome(key: Key): number {
  return (((tonicPitchClass(key) - MODE_DEGREE[key.mode]) % 12) + 12) % 12;
}

/**
 * The same key, respelled with its conventional tonic when its signature would need more
 * than seven sharps or flats (G# major becomes Ab major). Other keys come back unchanged.
 */
export function normalizeKey(key: Key): Key {
  const fifths = keyFifths(key);
  return Math.abs(fifths) <= 7 ? key : keyFromPitchClass(tonicPitchClass(key), key.mode);
}

/** True for the same key however spelled: the same tonic pitch class and mode (A# minor is Bb minor). */
export function sameKey(a: Key, b: Key): boolean {
  return a.mode === b.mode && tonicPitchClass(a) === tonicPitchClass(b);
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

/**
 * True when `pitch` belongs to `key`: its mode's scale, and in minor also the raised 6th and
 * 7th of the melodic and harmonic forms.
 * @example isInKey(68, { tonic: 'A', mode: 'minor' }) // => true (G#)
 */
export function isInKey(pitch: number, key: Key): boolean {
  const degree = (((pitch - tonicPitchClass(key)) % 12) + 12) % 12;
  return modeScale(key.mode).includes(degree) || (key.mode === 'minor' && (degree === 9 || degree === 11));
}

/**
 * The relative key: the minor key with a major key's signature, and the major key with any
 * other key's signature (A minor and D Dorian both give C major).
 */
export function relativeKey(key: Key): Key {
  return keysOfSignature(keyFifths(key))[key.mode === 'major' ? 1 : 0]!;
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

/** Words for the modes, which may be cut short to three letters or more; "ionian" and "aeolian" too. */
const MODE_WORDS: readonly (readonly [string, Mode])[] = [
  ['major', 'major'],
  ['ionian', 'major'],
  ['minor', 'minor'],
  ['aeolian', 'minor'],
  ['dorian', 'dorian'],
  ['phrygian', 'phrygian'],
  ['lydian', 'lydian'],
  ['mixolydian', 'mixolydian'],
  ['locrian', 'locrian'],
];

/**
 * Reads a key as people write it: "D", "F# minor", "Bb major", "c#m", "A Dorian", "Dmix"
 * (any case; mode words by their first three letters; "m" alone is minor). Null when it is not one.
 * @example parseKey('F# minor') // => { tonic: 'F#', mode: 'minor' }
 * @example parseKey('A dor') // => { tonic: 'A', mode: 'dorian' }
 */
export function parseKey(text: string): Key | null {
  const m = /^\s*([A-Ga-g])([#b]?)\s*([A-Za-z]*)\s*$/.exec(text);
  if (!m) return null;
  const tonic = `${m[1]!.toUpperCase()}${m[2] ?? ''}`;
  const word = m[3]!;
  if (word === '') return { tonic, mode: 'major' };
  if (word === 'm') return { tonic, mode: 'minor' };
  const lower = word.toLowerCase();
  const found = MODE_WORDS.find(([full]) => lower.length >= 3 && full.startsWith(lower));
  return found ? { tonic, mode: found[1] } : null;
}

function modeOrder(mode: Mode): number {
  return MODES.indexOf(mode);
}

/** Pearson correlation of two equal-length series; 0 when either has no spread. */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
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
