/**
 * The event encoding of Magenta's basic_rnn melody model, as Cantus uses it for training and
 * as magenta.js's MelodyConverter reads and writes it.
 *
 * A melody becomes one event per 16th-note step (4 steps per quarter):
 *   0             no event: whatever was happening goes on (a note sounds on, or a rest continues)
 *   1             note-off: the sounding note stops here
 *   2 + (p - min) a note of pitch p starts here (ending any note that was sounding)
 * With the default range 48-83 (C3-B5, three octaves) that makes 38 classes. The model's input
 * at each step is the one-hot of the previous event, 38 wide (magenta.js MelodyConverter's
 * `depth` = maxPitch - minPitch + 3; see node_modules/@magenta/music/esm/core/data.js and
 * esm/core/melodies.js).
 *
 * Note-off rule, as in Magenta's Melody (note_seq melodies_lib, `_add_note`): a note-off is
 * written at the step where a note ends, unless another note starts on that same step (the
 * new note's event takes the place). A note that lasts to the very end of the melody gets no
 * note-off: the end of the events ends it (Magenta strips that final note-off). So a melody of
 * `length` steps encodes to exactly `length` events, and decoding gives the same notes back.
 */
import {
  DEFAULT_METER,
  DEFAULT_TEMPO,
  DEFAULT_VELOCITY,
  makeMelody,
  pitchName,
  type Bpm,
  type Key,
  type Melody,
  type Meter,
  type MidiPitch,
  type Note,
} from '../music/melody.ts';
import { fail, ok, type Result } from '../result.ts';

/** One step's event: 0 no event, 1 note-off, 2.. a note onset. */
export type MelodyEvent = number;

export const NO_EVENT: MelodyEvent = 0;
export const NOTE_OFF: MelodyEvent = 1;
export const FIRST_PITCH_EVENT: MelodyEvent = 2;

/** The pitch range a model covers, both ends included. */
export interface PitchRange {
  readonly minPitch: MidiPitch;
  readonly maxPitch: MidiPitch;
}

/** basic_rnn's range: MIDI 48-83 (Magenta's DEFAULT_MIN_NOTE 48, DEFAULT_MAX_NOTE 84 exclusive). */
export const MODEL_PITCH_RANGE: PitchRange = { minPitch: 48, maxPitch: 83 };

/** How many event classes a range gives. @example eventClassCount(MODEL_PITCH_RANGE) // => 38 */
export function eventClassCount(range: PitchRange = MODEL_PITCH_RANGE): number {
  return range.maxPitch - range.minPitch + 1 + FIRST_PITCH_EVENT;
}

/** 38: the number of classes, and the width of the one-hot input, of the default model. */
export const EVENT_CLASSES = eventClassCount(MODEL_PITCH_RANGE);

/** The onset event of `pitch`; the pitch must lie in `range`. */
export function pitchToEvent(pitch: MidiPitch, range: PitchRange = MODEL_PITCH_RANGE): MelodyEvent {
  if (!Number.isInteger(pitch) || pitch < range.minPitch || pitch > range.maxPitch) {
    throw new RangeError(`Pitch ${pitch} is outside ${range.minPitch}-${range.maxPitch}`);
  }
  return pitch - range.minPitch + FIRST_PITCH_EVENT;
}

/** The pitch an onset event stands for, or null for no-event and note-off. */
export function eventToPitch(event: MelodyEvent, range: PitchRange = MODEL_PITCH_RANGE): MidiPitch | null {
  return event >= FIRST_PITCH_EVENT ? event - FIRST_PITCH_EVENT + range.minPitch : null;
}

/** True for an integer event the range's model can emit. */
export function isMelodyEvent(event: number, range: PitchRange = MODEL_PITCH_RANGE): boolean {
  return Number.isInteger(event) && event >= 0 && event < eventClassCount(range);
}

/**
 * The melody as one event per step, `melody.length` events long.
 * Fails when the melody is not monophonic on the grid or has a pitch outside `range`
 * (transpose it first, e.g. with `normalizeTrainingMelody`).
 * @example encodeMelody(makeMelody({ notes: parseNotes('C4/2 r/2 D4/4') })) // ok([26, 0, 1, 0, 28, 0, 0, 0])
 */
export function encodeMelody(melody: Melody, range: PitchRange = MODEL_PITCH_RANGE): Result<MelodyEvent[]> {
  const events = new Array<MelodyEvent>(melody.length).fill(NO_EVENT);
  let previousEnd = 0;
  for (const note of melody.notes) {
    if (
      !Number.isInteger(note.start) ||
      !Number.isInteger(note.end) ||
      note.start < previousEnd ||
      note.end <= note.start
    ) {
      return fail(
        'model/not-monophonic',
        `The melody has overlapping or empty notes near step ${note.start}; the model takes one note at a time on the 16th-note grid.`,
      );
    }
    if (note.pitch < range.minPitch || note.pitch > range.maxPitch) {
      return fail(
        'model/pitch-out-of-range',
        `The note ${pitchName(note.pitch)} at step ${note.start} is outside the model's range ${pitchName(range.minPitch)}-${pitchName(range.maxPitch)}. Transpose the melody into that range.`,
      );
    }
    if (note.end > melody.length) {
      return fail(
        'model/note-past-end',
        `A note ends at step ${note.end}, after the melody's end at step ${melody.length}.`,
      );
    }
    events[note.start] = pitchToEvent(note.pitch, range);
    // A note-off where the note ends, unless that is the end of the melody; a note starting
    // on the same step overwrites it below, since notes come in order.
    if (note.end < melody.length) events[note.end] = NOTE_OFF;
    previousEnd = note.end;
  }
  return ok(events);
}

/** What a decoded melody should carry besides its notes. */
export interface DecodeOptions {
  readonly range?: PitchRange;
  readonly meter?: Meter;
  readonly tempo?: Bpm;
  readonly key?: Key | null;
  readonly velocity?: number;
}

/**
 * Notes from events: an onset starts a note and ends the one sounding, a note-off ends it,
 * the end of the events ends whatever is still sounding. A note-off with nothing sounding is
 * ignored (Magenta's decoders do the same). The melody is `events.length` steps long.
 * Throws for a value that is not an event of the range (a programmer error).
 */
export function decodeEvents(events: readonly MelodyEvent[], options: DecodeOptions = {}): Melody {
  const range = options.range ?? MODEL_PITCH_RANGE;
  const velocity = options.velocity ?? DEFAULT_VELOCITY;
  const notes: Note[] = [];
  let sounding: { pitch: MidiPitch; start: number } | null = null;
  events.forEach((event, step) => {
    if (!isMelodyEvent(event, range)) throw new RangeError(`${event} at step ${step} is not a melody event`);
    if (event === NO_EVENT) return;
    if (sounding) notes.push({ pitch: sounding.pitch, start: sounding.start, end: step, velocity });
    sounding = event === NOTE_OFF ? null : { pitch: eventToPitch(event, range)!, start: step };
  });
  const last = sounding as { pitch: MidiPitch; start: number } | null;
  if (last) notes.push({ pitch: last.pitch, start: last.start, end: events.length, velocity });
  return makeMelody({
    notes,
    meter: options.meter ?? DEFAULT_METER,
    tempo: options.tempo ?? DEFAULT_TEMPO,
    key: options.key ?? null,
    length: events.length,
  });
}
