/**
 * The melody model every part of Cantus shares: monophonic notes on a grid of
 * sixteenth-note steps (4 steps per quarter note), with meter, tempo and key.
 */
import type { TempoChange } from './tempo.ts';
import type { Tuplet } from './tuplets.ts';

/** A position or duration on the 16th-note grid. */
export type Steps = number;
/** A MIDI note number, 0-127 (60 is middle C). */
export type MidiPitch = number;
/** Wall-clock time. */
export type Seconds = number;
/** Quarter notes per minute. */
export type Bpm = number;

export const STEPS_PER_QUARTER = 4;

/** A note on the 16th-note grid; `end` is exclusive. */
export interface Note {
  readonly pitch: MidiPitch;
  readonly start: Steps;
  readonly end: Steps;
  /** 1-127 */
  readonly velocity: number;
}

/** A time signature. Cantus draws 2/4, 3/4, 4/4 and 6/8; others are kept as read. */
export interface Meter {
  readonly numerator: number;
  /** A power of two: 2, 4, 8 or 16. */
  readonly denominator: number;
}

/** A time signature that takes effect at a barline, `at` steps into the melody. */
export interface MeterChange {
  readonly at: Steps;
  readonly meter: Meter;
}

/** A key signature a file declares from step `at` on (the melody's first is `Melody.key`). */
export interface KeyChange {
  readonly at: Steps;
  readonly key: Key;
}

/**
 * A key's mode. "major" and "minor" are the Ionian and Aeolian modes; the church modes are the
 * other rotations of the same seven-note collection, which folk tunes use (Dorian, Mixolydian
 * above all). Major and minor first. Mode properties (signature, scale) live in music/key.ts.
 */
export const MODES = ['major', 'minor', 'dorian', 'mixolydian', 'phrygian', 'lydian', 'locrian'] as const;
export type Mode = (typeof MODES)[number];

/** A key such as D major or F# minor. `tonic` is a pitch-class name with its spelling ("F#", "Bb"). */
export interface Key {
  readonly tonic: string;
  readonly mode: Mode;
}

/**
 * A monophonic melody: notes sorted by start, never overlapping.
 * `length` is the melody's length in steps (at least the end of its last note).
 */
export interface Melody {
  readonly notes: readonly Note[];
  /** The time signature of the first full bar (and of every bar when there are no `meterChanges`). */
  readonly meter: Meter;
  /**
   * Steps before the first barline when the melody opens with an incomplete bar (an upbeat,
   * less than one bar of `meter`). Absent or 0: the first bar starts at step 0. See music/bars.ts.
   */
  readonly pickup?: Steps;
  /** Later time signatures, sorted, each after the pickup; absent or empty when the meter never changes. */
  readonly meterChanges?: readonly MeterChange[];
  readonly tempo: Bpm;
  /** The key the melody is written in, if known (declared in its file, or estimated). */
  readonly key: Key | null;
  /** Later key signatures its file declares, sorted by `at`; absent or empty when there are none. */
  readonly keyChanges?: readonly KeyChange[];
  /** Spans written as triplets (music/tuplets.ts); absent or empty when there are none. */
  readonly tuplets?: readonly Tuplet[];
  /** Later tempos its file sets (music/tempo.ts), sorted; absent or empty when there are none. */
  readonly tempoChanges?: readonly TempoChange[];
  readonly length: Steps;
  readonly title?: string;
}

export const DEFAULT_METER: Meter = { numerator: 4, denominator: 4 };
export const DEFAULT_TEMPO: Bpm = 120;
export const DEFAULT_VELOCITY = 80;

/** Steps in one bar of `meter`. @example stepsPerBar({numerator: 6, denominator: 8}) // => 12 */
export function stepsPerBar(meter: Meter): Steps {
  return (meter.numerator * STEPS_PER_QUARTER * 4) / meter.denominator;
}

/** Seconds one step lasts at `tempo`. */
export function secondsPerStep(tempo: Bpm): Seconds {
  return 60 / tempo / STEPS_PER_QUARTER;
}

/** Number of bars needed to hold `length` steps (at least one). */
export function barCount(length: Steps, meter: Meter): number {
  return Math.max(1, Math.ceil(length / stepsPerBar(meter)));
}

export interface MelodyInit {
  readonly notes: readonly Note[];
  readonly meter?: Meter;
  readonly pickup?: Steps;
  readonly meterChanges?: readonly MeterChange[];
  readonly tempo?: Bpm;
  readonly key?: Key | null;
  readonly keyChanges?: readonly KeyChange[];
  readonly tuplets?: readonly Tuplet[];
  readonly tempoChanges?: readonly TempoChange[];
  readonly length?: Steps;
  readonly title?: string;
}

/** Builds a melody, sorting its notes and taking the length from the last note when none is given. */
export function makeMelody(init: MelodyInit): Melody {
  const notes = [...init.notes].sort((a, b) => a.start - b.start || b.pitch - a.pitch);
  const lastEnd = notes.reduce((m, n) => Math.max(m, n.end), 0);
  const melody: Melody = {
    notes,
    meter: init.meter ?? DEFAULT_METER,
    ...(init.pickup ? { pickup: init.pickup } : {}),
    ...(init.meterChanges && init.meterChanges.length > 0 ? { meterChanges: init.meterChanges } : {}),
    tempo: init.tempo ?? DEFAULT_TEMPO,
    key: init.key ?? null,
    ...(init.keyChanges && init.keyChanges.length > 0 ? { keyChanges: init.keyChanges } : {}),
    ...(init.tuplets && init.tuplets.length > 0 ? { tuplets: init.tuplets } : {}),
    ...(init.tempoChanges && init.tempoChanges.length > 0 ? { tempoChanges: init.tempoChanges } : {}),
    length: Math.max(init.length ?? 0, lastEnd),
    ...(init.title !== undefined ? { title: init.title } : {}),
  };
  return melody;
}

/** True when no two notes sound at once and every note has a positive length on the grid. */
export function isMonophonic(notes: readonly Note[]): boolean {
  for (let i = 0; i < notes.length; i++) {
    const n = notes[i]!;
    if (!Number.isInteger(n.start) || !Number.isInteger(n.end) || n.end <= n.start || n.start < 0)
      return false;
    const next = notes[i + 1];
    if (next && next.start < n.end) return false;
  }
  return true;
}

/** Pitch-class names spelled with sharps, indexed by pitch class. */
export const PITCH_NAMES_SHARP = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'] as const;

/** Scientific pitch name with sharps, e.g. 61 -> "C#4". */
export function pitchName(pitch: MidiPitch): string {
  return `${PITCH_NAMES_SHARP[((pitch % 12) + 12) % 12]}${Math.floor(pitch / 12) - 1}`;
}

/**
 * Writes notes in the `parseNotes` form, rests included, so a melody can be kept as text
 * (in a lesson pack). Pitches are spelled with sharps; the key signature is kept separately.
 * @example formatNotes(parseNotes("C4 D4/2 r/2 E4/8")) // "C4 D4/2 r/2 E4/8"
 */
export function formatNotes(notes: readonly Note[]): string {
  const tokens: string[] = [];
  const length = (steps: number) => (steps === 4 ? '' : `/${steps}`);
  let at = 0;
  for (const n of notes) {
    if (n.start > at) tokens.push(`r${length(n.start - at)}`);
    tokens.push(`${pitchName(n.pitch)}${length(n.end - n.start)}`);
    at = n.end;
  }
  return tokens.join(' ');
}

/**
 * Parses a compact melody for tests, fixtures and lesson packs:
 * space-separated `PITCH[/DUR]` tokens where PITCH is like C4, F#5, Bb3 or `r` (a rest),
 * and DUR is in steps (default 4, a quarter note).
 * @example parseNotes("C4 D4/2 r/2 E4/8") // C4 0-4, D4 4-6, E4 8-16
 */
export function parseNotes(text: string, velocity = DEFAULT_VELOCITY): Note[] {
  const notes: Note[] = [];
  let at = 0;
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const m = /^([A-Ga-g])([#b]*)(-?\d+)?(?:\/(\d+))?$|^r(?:\/(\d+))?$/.exec(token);
    if (!m) throw new Error(`Cannot read note "${token}"`);
    if (token.startsWith('r')) {
      at += Number(m[5] ?? 4);
      continue;
    }
    const letter = m[1]!.toUpperCase();
    const base = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 }[letter]!;
    const accidental = [...(m[2] ?? '')].reduce((s, c) => s + (c === '#' ? 1 : -1), 0);
    const octave = Number(m[3] ?? 4);
    const dur = Number(m[4] ?? 4);
    if (dur <= 0) throw new Error(`Note "${token}" has no length`);
    notes.push({ pitch: (octave + 1) * 12 + base + accidental, start: at, end: at + dur, velocity });
    at += dur;
  }
  return notes;
}
