/**
 * Turning what a player plays on a MIDI keyboard into a melody on the grid: note-on and
 * note-off messages with their arrival times become notes, quantized to sixteenths from the
 * moment recording started (after the count-in), reduced to one line as MIDI import does.
 */
import { reduceToMonophony, quantizeNote } from '../midi/monophony.ts';
import { makeMelody, type Bpm, type Melody, type Meter, type Note } from '../music/melody.ts';

export type EpochMs = number;

/** A MIDI message from an input, stamped with when it arrived (ms since 1970, sub-ms precision). */
export interface ArrivedMessage {
  readonly bytes: readonly number[];
  readonly at: EpochMs;
}

export interface RecordingSettings {
  /** When bar 1 beat 1 fell (the end of the count-in). */
  readonly start: EpochMs;
  readonly tempo: Bpm;
  readonly meter: Meter;
}

/**
 * The melody played so far. Notes still held count up to `now`. Notes played a little before
 * the start (anticipating the downbeat by up to half a step) snap to the start.
 */
export function recordedMelody(
  messages: readonly ArrivedMessage[],
  settings: RecordingSettings,
  now: EpochMs,
): Melody {
  const msPerQuarter = 60_000 / settings.tempo;
  const quarters = (at: EpochMs) => (at - settings.start) / msPerQuarter;
  const held = new Map<number, { at: EpochMs; velocity: number }>();
  const notes: Note[] = [];
  const finish = (pitch: number, end: EpochMs) => {
    const on = held.get(pitch);
    if (!on) return;
    held.delete(pitch);
    const startQuarters = Math.max(0, quarters(on.at));
    const endQuarters = quarters(end);
    if (endQuarters <= 0) return; // released before the recording began
    notes.push(quantizeNote({ pitch, startQuarters, endQuarters, velocity: on.velocity }));
  };
  for (const { bytes, at } of messages) {
    const kind = (bytes[0] ?? 0) & 0xf0;
    const pitch = bytes[1];
    if (pitch === undefined || (kind !== 0x90 && kind !== 0x80)) continue;
    const velocity = bytes[2] ?? 0;
    if (kind === 0x90 && velocity > 0) {
      finish(pitch, at); // a repeated note-on ends the previous one
      if (quarters(at) >= -0.125) held.set(pitch, { at, velocity });
    } else finish(pitch, at);
  }
  for (const pitch of [...held.keys()]) finish(pitch, now);
  return makeMelody({ notes: reduceToMonophony(notes), tempo: settings.tempo, meter: settings.meter });
}
