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
}

export interface Measure {
  /** 0-based bar number. */
  readonly index: number;
  readonly start: Steps;
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
  readonly meter: Meter;
  readonly keySignature: KeySignature;
  readonly clef: 'treble' | 'bass';
  readonly measures: readonly Measure[];
  /** Number of melody notes shown (each may be drawn as several tied written notes). */
  readonly noteCount: number;
}
