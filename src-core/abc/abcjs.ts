/**
 * The one file that knows abcjs (MIT, github.com/paulrosen/abcjs). abcjs reads ABC text (abc
 * standard 2.1, abcnotation.com) into a tree of lines, staves, voices and elements: it splits a
 * file into tunes, reads the header fields, unit lengths (L:), broken rhythms (`>`, `<`), tuplet
 * marks, chords, grace notes, decorations, key signatures with their modes and bar lines with
 * repeat and ending marks. It runs in Node and in a worker without a DOM (`parseOnly`).
 *
 * What it does not give, and perform.ts adds: the notes as they sound in time. abcjs's own
 * sequencer expands repeats but drops key names and the meter changes of repeated passes, and its
 * synthesizer plays grace notes and ornaments its own way; Cantus needs the written notes, or
 * abc2midi's performance of them, on its grid. So this file hands over the parsed elements only,
 * as the plain types below (the few fields Cantus reads), and turns every exception into a value.
 */
import abcjs from 'abcjs';

/** A pitch as abcjs writes it: `pitch` counts diatonic steps from middle C (0 = C4, 7 = C5). */
export interface AbcPitch {
  readonly pitch: number;
  /** "sharp", "flat", "natural", "dblsharp", "dblflat" (quarter tones are read as the nearest). */
  readonly accidental?: string;
  readonly startTie?: object;
  readonly endTie?: boolean;
}

export interface AbcKeyElement {
  readonly el_type: 'key';
  readonly root?: string;
  readonly acc?: string;
  readonly mode?: string;
  readonly accidentals?: readonly { readonly acc: string; readonly note: string }[];
}

export interface AbcMeterElement {
  readonly el_type: 'meter';
  readonly type?: string;
  readonly value?: readonly { readonly num: string; readonly den?: string }[];
}

export interface AbcNoteElement {
  readonly el_type: 'note';
  /** In whole notes, broken rhythm applied, tuplet ratio not applied. */
  readonly duration: number;
  readonly pitches?: readonly AbcPitch[];
  readonly rest?: { readonly type: string };
  readonly gracenotes?: readonly (AbcPitch & { readonly duration: number })[];
  readonly decoration?: readonly string[];
  readonly startTriplet?: number;
  readonly tripletMultiplier?: number;
  readonly endTriplet?: boolean;
}

export interface AbcBarElement {
  readonly el_type: 'bar';
  /** bar_thin, bar_thin_thin, bar_thin_thick, bar_thick_thin, bar_left_repeat, bar_right_repeat, bar_dbl_repeat */
  readonly type: string;
  readonly startEnding?: string;
  readonly endEnding?: boolean;
}

export type AbcElement =
  AbcNoteElement | AbcBarElement | AbcKeyElement | AbcMeterElement | { readonly el_type: 'other' };

/** One voice's elements through the whole tune, lines joined, with the key and meter of each line's start. */
export interface AbcVoice {
  readonly elements: readonly AbcElement[];
}

export interface ParsedAbcTune {
  readonly title: string;
  readonly voices: readonly AbcVoice[];
  /** The header key, as abcjs reads it. */
  readonly key: AbcKeyElement | null;
  readonly meter: AbcMeterElement | null;
  /** Q: as quarter notes a minute, when given. */
  readonly tempo: number | null;
  readonly warnings: readonly string[];
}

export interface AbcBookEntry {
  readonly id: string;
  readonly title: string;
  readonly abc: string;
}

/** Splits a file into its tunes (abcjs's TuneBook: each tune starts at an X: line). */
export function splitTuneBook(text: string): AbcBookEntry[] | { readonly error: string } {
  try {
    const book = new abcjs.TuneBook(text);
    return book.tunes.map((t) => ({
      id: String(t.id ?? ''),
      title: String(t.title ?? ''),
      abc: String(t.abc ?? ''),
    }));
  } catch {
    return { error: 'abcjs could not split the file into tunes' };
  }
}

interface RawStaff {
  readonly key?: AbcKeyElement;
  readonly meter?: AbcMeterElement;
  readonly voices?: readonly (readonly { readonly el_type?: string }[])[];
}

/** Parses one tune's text. Null when abcjs finds no tune in it or fails. */
export function parseTune(abc: string): ParsedAbcTune | { readonly error: string } {
  let tune: abcjs.TuneObject | undefined;
  try {
    tune = abcjs.parseOnly(abc)[0];
  } catch {
    return { error: 'abcjs could not read this tune' };
  }
  if (!tune) return { error: 'there is no tune in this text' };
  const voices: { elements: AbcElement[] }[] = [];
  let key: AbcKeyElement | null = null;
  let meter: AbcMeterElement | null = null;
  for (const line of tune.lines ?? []) {
    const staves = (line as { staff?: readonly RawStaff[] }).staff;
    if (!staves) continue;
    let index = 0;
    for (const staff of staves) {
      if (!key && staff.key) key = { ...staff.key, el_type: 'key' };
      if (!meter && staff.meter) meter = { ...staff.meter, el_type: 'meter' };
      for (const voice of staff.voices ?? []) {
        const into = (voices[index] ??= { elements: [] });
        // A line's own key and meter come first: they restate or change what is in force.
        if (staff.key) into.elements.push({ ...staff.key, el_type: 'key' });
        if (staff.meter) into.elements.push({ ...staff.meter, el_type: 'meter' });
        for (const el of voice) into.elements.push(plainElement(el));
        index++;
      }
    }
  }
  const meta = tune.metaText as { title?: string; tempo?: { bpm?: number; duration?: number[] } };
  const beat = (meta.tempo?.duration ?? []).reduce((s, d) => s + d, 0);
  const tempo = meta.tempo?.bpm && beat > 0 ? meta.tempo.bpm * beat * 4 : null;
  const warnings = (tune.warnings ?? []).map((w) => String(w).replace(/<[^>]*>/g, ''));
  return { title: meta.title ?? '', voices, key, meter, tempo, warnings };
}

function plainElement(el: { readonly el_type?: string }): AbcElement {
  switch (el.el_type) {
    case 'note':
    case 'bar':
    case 'key':
    case 'meter':
      return el as AbcElement;
    default:
      return { el_type: 'other' };
  }
}
