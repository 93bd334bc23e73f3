/**
 * Pitch spelling: which letter and accidental to write for a MIDI pitch in a given key.
 * The answer depends on the pitch and the key only, never on neighbouring notes.
 *
 * Rules, for a key with tonic T:
 * - Notes of the key use the key's letters: F# in D major, Bb in F major.
 * - Minor keys also own their raised 6th and 7th (melodic and harmonic minor), spelled as
 *   raised letters: A minor has F# and G#; D minor has B natural and C#, never Db.
 * - The remaining chromatic notes follow the "harmonic chromatic scale" habit, counted
 *   from the tonic:
 *     major: raised 1st, lowered 3rd, raised 4th, lowered 6th, lowered 7th
 *            (C major: C# Eb F# Ab Bb; D major: D# F G# Bb C; F major: F# Ab B Db Eb)
 *     minor: lowered 2nd, major 3rd, raised 4th
 *            (A minor: Bb C# D#; D minor: Eb F# G#)
 *   These are the notes those degrees usually are: the leading note into the 2nd, the
 *   flat 7th of a secondary dominant, the Picardy third, the leading note into the 5th.
 * - Church modes use their signature's letters (D Dorian: B natural; A Mixolydian: G natural),
 *   and own the raised 6th and 7th of the minor key with their signature (F#, G# for D Dorian)
 *   and, in Dorian and Mixolydian, their own raised 7th (C# in D Dorian). Other chromatic notes
 *   are written as in the parallel major (Lydian, Mixolydian) or minor key.
 * - A chromatic spelling that would need a double sharp or flat, or be E#, B#, Cb or Fb,
 *   is written on the neighbouring letter instead (E major writes F natural, not E#),
 *   because beginners read it more easily. Notes of the key itself keep their letters,
 *   so F# major still has E# and Gb major still has Cb.
 * - The octave follows the letter: B#3 and C4 are both MIDI 60; Cb4 and B3 are both 59.
 */
import { Key as TonalKey, Note as TonalNote } from 'tonal';
import { hasMajorThird, keyFifths, keysOfSignature } from './key.ts';
import { PITCH_NAMES_SHARP, type Key, type MidiPitch } from './melody.ts';
import type { SpelledPitch } from '../score/types.ts';

export type Letter = SpelledPitch['letter'];

/** Pitch class of each natural letter. */
export const LETTER_PITCH_CLASS: Readonly<Record<Letter, number>> = {
  C: 0,
  D: 2,
  E: 4,
  F: 5,
  G: 7,
  A: 9,
  B: 11,
};
const LETTERS: readonly Letter[] = ['C', 'D', 'E', 'F', 'G', 'A', 'B'];
const SHARP_ORDER: readonly Letter[] = ['F', 'C', 'G', 'D', 'A', 'E', 'B'];
const FLAT_ORDER: readonly Letter[] = ['B', 'E', 'A', 'D', 'G', 'C', 'F'];

/** Intervals above the tonic for the chromatic notes (see the rules above). */
const MAJOR_CHROMATIC = ['1A', '3m', '4A', '6m', '7m'] as const;
const MINOR_CHROMATIC = ['2m', '3M', '4A'] as const;

interface PitchClassSpelling {
  readonly letter: Letter;
  readonly alter: number;
}

const tables = new Map<string, readonly PitchClassSpelling[]>();

/**
 * How to write `pitch` in `key`.
 * @example spellPitch(66, { tonic: 'D', mode: 'major' }) // => { letter: 'F', alter: 1, octave: 4 }
 * @example spellPitch(61, { tonic: 'D', mode: 'minor' }) // => { letter: 'C', alter: 1, octave: 4 }
 */
export function spellPitch(pitch: MidiPitch, key: Key): SpelledPitch {
  if (!Number.isInteger(pitch)) throw new Error(`MIDI pitch must be a whole number, got ${pitch}`);
  const { letter, alter } = spellingTable(key)[mod12(pitch)]!;
  const natural = pitch - alter;
  const octave = Math.floor((natural - LETTER_PITCH_CLASS[letter]) / 12) - 1;
  return { letter, alter, octave };
}

/** The MIDI pitch a written pitch sounds. @example spelledToMidi({ letter: 'B', alter: 1, octave: 3 }) // => 60 */
export function spelledToMidi(p: SpelledPitch): MidiPitch {
  return (p.octave + 1) * 12 + LETTER_PITCH_CLASS[p.letter] + p.alter;
}

/** Scientific name of a written pitch. @example spelledName({ letter: 'C', alter: -1, octave: 4 }) // => "Cb4" */
export function spelledName(p: SpelledPitch): string {
  const accidental = p.alter >= 0 ? '#'.repeat(p.alter) : 'b'.repeat(-p.alter);
  return `${p.letter}${accidental}${p.octave}`;
}

/**
 * The alteration a key signature with `fifths` sharps (positive) or flats (negative)
 * gives a letter. @example signatureAlter(2, 'C') // => 1 (D major has C#)
 */
export function signatureAlter(fifths: number, letter: Letter): number {
  if (fifths > 0) return SHARP_ORDER.indexOf(letter) < fifths ? 1 : 0;
  if (fifths < 0) return FLAT_ORDER.indexOf(letter) < -fifths ? -1 : 0;
  return 0;
}

/** The spelling of each pitch class (index 0 = C) in `key`, built once per key. */
function spellingTable(key: Key): readonly PitchClassSpelling[] {
  const id = `${key.tonic} ${key.mode}`;
  const cached = tables.get(id);
  if (cached) return cached;

  const tonicNote = TonalNote.get(key.tonic);
  if (tonicNote.empty || tonicNote.oct !== undefined) {
    throw new Error(`"${key.tonic}" is not a key tonic; expected a pitch-class name such as "D" or "Bb"`);
  }
  const tonic = tonicNote.pc;
  let diatonic: string[];
  let chromatic: readonly string[];
  let parallel: readonly PitchClassSpelling[] = [];
  if (key.mode === 'major') {
    diatonic = [...TonalKey.majorKey(tonic).scale];
    chromatic = MAJOR_CHROMATIC;
  } else if (key.mode === 'minor') {
    const minor = TonalKey.minorKey(tonic);
    // Natural minor plus the raised 6th and 7th of melodic minor.
    diatonic = [...minor.natural.scale, minor.melodic.scale[5]!, minor.melodic.scale[6]!];
    chromatic = MINOR_CHROMATIC;
  } else {
    // A church mode: its signature's notes, the raised 6th and 7th of the signature's minor key
    // (F# and G# with C major's signature), the raised 7th of Dorian and Mixolydian (C# in
    // D Dorian), then the rest as in the parallel major or minor key.
    const [signature, relativeMinor] = keysOfSignature(keyFifths(key));
    const minor = TonalKey.minorKey(relativeMinor!.tonic);
    diatonic = [
      ...TonalKey.majorKey(signature!.tonic).scale,
      minor.melodic.scale[5]!,
      minor.melodic.scale[6]!,
    ];
    if (key.mode === 'dorian' || key.mode === 'mixolydian') diatonic.push(TonalNote.transpose(tonic, '7M'));
    chromatic = [];
    parallel = spellingTable({ tonic, mode: hasMajorThird(key.mode) ? 'major' : 'minor' });
  }

  const table: (PitchClassSpelling | undefined)[] = new Array(12).fill(undefined);
  for (const name of diatonic) {
    const s = readName(name);
    table[pitchClassOf(s)] = s;
  }
  for (const interval of chromatic) {
    const s = plainer(readName(TonalNote.transpose(tonic, interval)));
    table[pitchClassOf(s)] ??= s;
  }
  // Every pitch class is covered by the lists above; this guards unusual tonics.
  const complete = table.map((s, pc) => s ?? parallel[pc] ?? readName(PITCH_NAMES_SHARP[pc]!));
  tables.set(id, complete);
  return complete;
}

/** Respells an awkward chromatic spelling (double accidental, E#, B#, Cb, Fb) on the next letter. */
function plainer(s: PitchClassSpelling): PitchClassSpelling {
  if (!isAwkward(s) || s.alter === 0) return s;
  const step = s.alter > 0 ? 1 : -1;
  const letter = LETTERS[(LETTERS.indexOf(s.letter) + step + 7) % 7]!;
  const pc = pitchClassOf(s);
  let alter = pc - LETTER_PITCH_CLASS[letter];
  if (alter > 6) alter -= 12;
  if (alter < -6) alter += 12;
  const other = { letter, alter };
  return isAwkward(other) ? s : other;
}

function isAwkward(s: PitchClassSpelling): boolean {
  if (Math.abs(s.alter) >= 2) return true;
  if (s.alter === 1) return s.letter === 'E' || s.letter === 'B';
  if (s.alter === -1) return s.letter === 'C' || s.letter === 'F';
  return false;
}

function readName(name: string): PitchClassSpelling {
  const n = TonalNote.get(name);
  if (n.empty) throw new Error(`Cannot read note name "${name}"`);
  return { letter: n.letter as Letter, alter: n.alt };
}

function pitchClassOf(s: PitchClassSpelling): number {
  return mod12(LETTER_PITCH_CLASS[s.letter] + s.alter);
}

function mod12(n: number): number {
  return ((n % 12) + 12) % 12;
}
