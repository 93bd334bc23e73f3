/**
 * A score as plain data: what to draw, with every decision about measures, ties,
 * rests, beams, key signature and accidentals already made. The renderer only draws it.
 */
import type { Key, Meter, Steps } from '../music/melody.ts';

/** Written note values: whole, half, quarter, eighth, sixteenth. */
export type NoteValue = 'w' | 'h' | 'q' | '8' | '16';

/** A pitch as written: letter, alteration in semitones (-2..2) and octave (C4 = middle C). */
export interface SpelledPitch {
  readonly letter: 'C' | 'D' | 'E' | 'F' | 'G' | 'A' | 'B';
  readonly alter: number;
  readonly octave: number;
}

/** The accidental printed before a note, if any. */
export type Accidental = '#' | 'b' | 'n' | '##' | 'bb';

export interface ScoreEvent {
  readonly kind: 'note' | 'rest';
  /** Absolute start on the melody's grid. */
  readonly start: Steps;
  /** Length in steps; always value plus dots. */
  readonly duration: Steps;
  readonly value: NoteValue;
  readonly dots: 0 | 1 | 2;
  /** For notes: index of the melody note this written note (or tied piece of it) shows. */
  readonly noteIndex: number | null;
  readonly pitch: SpelledPitch | null;
  /** Printed accidental, given the key signature and earlier notes in the same bar. */
  readonly accidental: Accidental | null;
  /** True when this note is tied to the next written note (a continuation of the same melody note). */
  readonly tieToNext: boolean;
  /** Events in the same measure sharing a beam group id are beamed together; null means unbeamed. */
  readonly beam: number | null;
  /**
   * Set on the three notes of a triplet (music/tuplets.ts), the same for all three (the step the
   * triplet starts at): they are written `value` each, three in the time of two. Their
   * `duration`s are the grid steps they round to (1, 2, 1 for eighths) and add up to the span.
   */
  readonly tuplet?: number;
}

export interface Measure {
  /** 0-based position in the score. */
  readonly index: number;
  /** The number a score prints: the first full bar is 1, a pickup 0 (music/bars.ts). */
  readonly number: number;
  readonly start: Steps;
  /** Steps in this bar: a full bar of `meter`, or less for a pickup or a bar cut short by a change. */
  readonly length: Steps;
  readonly meter: Meter;
  /** True for an opening pickup (an incomplete first bar). */
  readonly pickup?: boolean;
  /** The new time signature when the meter changes at this bar (never on bar 0: see Score.meter). */
  readonly meterChange?: Meter;
  /** A tempo the file sets in this bar (quarter notes a minute), for a metronome mark. */
  readonly tempoChange?: number;
  readonly events: readonly ScoreEvent[];
  /** The new key signature when the key changes at this bar (never on bar 0: see Score.keySignature). */
  readonly keyChange?: KeySignature;
}

export interface KeySignature {
  readonly key: Key;
  /** Sharps (positive) or flats (negative) in the signature, -7..7. */
  readonly fifths: number;
}

export interface Score {
  /** The time signature at the start (of the first full bar, when there is a pickup). */
  readonly meter: Meter;
  readonly keySignature: KeySignature;
  readonly clef: 'treble' | 'bass';
  readonly measures: readonly Measure[];
  /** Number of melody notes shown (each may be drawn as several tied written notes). */
  readonly noteCount: number;
}
