/**
 * Hand-written melodies for the analysis tests, each with what a teacher would answer.
 * One string per bar; durations in steps (4 = quarter note, see parseNotes).
 */
import { makeMelody, parseNotes, type Key, type Melody, type Meter } from '../../../src-core/music/melody.ts';

export const FOUR_FOUR: Meter = { numerator: 4, denominator: 4 };
export const THREE_FOUR: Meter = { numerator: 3, denominator: 4 };
export const SIX_EIGHT: Meter = { numerator: 6, denominator: 8 };

/** A melody from bars of notes; the length is the bars' total. `key` null means "estimate it". */
export function tune(bars: readonly string[], meter: Meter = FOUR_FOUR, key: Key | null = null): Melody {
  const notes = parseNotes(bars.join(' '));
  const barSteps = (meter.numerator * 16) / meter.denominator;
  return makeMelody({ notes, meter, key, length: bars.length * barSteps });
}

const ROUND_1 = ['G4 B4 A4 G4', 'D5/8 B4 r'];
const ROUND_2 = ['C5 C5 B4 A4', 'B4/2 A4/2 G4 D4 r'];
const ROUND_3 = ['G4/2 A4/2 B4/2 C5/2 D5 D4', 'G4/12 r'];

/** A round in G major, 4/4: three 2-bar phrases, each sung twice. Form AABBCC. */
export const ROUND = tune([...ROUND_1, ...ROUND_1, ...ROUND_2, ...ROUND_2, ...ROUND_3, ...ROUND_3]);

/**
 * An exact (real) sequence in C major, 4/4: a one-bar motif (up a tone, up a tone, down a
 * major third) three times, each a perfect fourth higher, then a cadence.
 */
export const REAL_SEQUENCE = tune([
  'G4/2 A4/2 B4 G4/8',
  'C5/2 D5/2 E5 C5/8',
  'F5/2 G5/2 A5 F5/8',
  'E5 D5 C5/8',
]);

/**
 * A tonal sequence in C major, 4/4: the motif steps down the scale, so its intervals
 * change quality (m2 M2 m3, then M2 m2 m3, then M2 M2 M3) while its scale steps stay.
 */
export const TONAL_SEQUENCE = tune([
  'E5/2 F5/2 G5 E5/8',
  'D5/2 E5/2 F5 D5/8',
  'C5/2 D5/2 E5 C5/8',
  'B4 D5 C5/8',
]);

const AABA_A = ['D4 E4 F#4 D4', 'A4/8 F#4/8', 'G4 F#4 E4 G4', 'E4/8 r/8'];
const AABA_A2 = ['D4 E4 F#4 D4', 'A4/8 F#4/8', 'G4 B4 A4 C#5', 'D5/8 r/8'];
const AABA_B = ['A4 B4 A4 G4', 'F#4/8 D5/8', 'C#5 B4 A4 G4', 'A4/12 r'];

/** A 16-bar tune in D major, 4/4: A, A' (new ending), B, A. */
export const AABA = tune([...AABA_A, ...AABA_A2, ...AABA_B, ...AABA_A]);

/**
 * A waltz in D minor, 3/4, with the leading note C#: C# to Bb is an augmented second
 * (down), E to Bb a diminished fifth.
 */
export const MINOR_WALTZ = tune(
  ['D4 F4 A4', 'D5/8 C#5', 'Bb4 A4 G4', 'A4/12', 'E4 G4 Bb4', 'C#5/8 Bb4', 'A4 E4 C#4', 'D4/8 r'],
  THREE_FOUR,
);

/** A jig in E minor, 6/8, with D# leading notes; bars 1-2 come back as bars 5-6. */
export const MINOR_JIG = tune(
  [
    'E4/2 G4/2 B4/2 E5/4 B4/2',
    'C5/2 B4/2 A4/2 G4/4 F#4/2',
    'G4/2 A4/2 B4/2 A4/2 G4/2 F#4/2',
    'E4/4 D#4/2 E4/6',
    'E4/2 G4/2 B4/2 E5/4 B4/2',
    'C5/2 B4/2 A4/2 G4/4 F#4/2',
    'E4/2 F#4/2 G4/2 F#4/2 E4/2 D#4/2',
    'E4/6 r/6',
  ],
  SIX_EIGHT,
);

/** A motif and, in bar 3, its inversion (C major, 4/4). */
export const INVERSION = tune(['C5/2 D5/2 E5 C5 G4', 'A4/8 G4/8', 'G4/2 F4/2 E4 G4 C5', 'B4/8 C5/8']);

/** The rhythm of bar 1 (dotted quarter, eighth, half) comes back in bar 3 on other notes. */
export const RHYTHM_ONLY = tune(['C4/6 D4/2 E4/8', 'G4 F4 E4 D4', 'A4/6 F4/2 G4/8', 'E4 D4 C4/8']);
