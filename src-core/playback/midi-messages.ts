/**
 * A melody as timed MIDI channel messages, ready for a device: program change, note-ons and
 * note-offs on the melody's step grid, triplets on their true thirds (a scheduler turns steps into time at the current tempo,
 * so the tempo can change while a device plays). Also the messages that silence a device, and
 * a check that every message is well-formed, so invalid bytes never reach a port.
 */
import type { Melody, Steps } from '../music/melody.ts';
import { playingTimes } from '../music/tempo.ts';

export interface TimedMessage {
  /** When to send, in steps from the start of playback. */
  readonly step: Steps;
  readonly bytes: readonly number[];
  /** For note-ons: the melody note it starts (drives the score highlight). */
  readonly noteIndex?: number;
}

export interface DeviceOptions {
  /** 0-15 (shown to people as 1-16). */
  readonly channel: number;
  /** General MIDI program 0-127, or null to leave the device's sound as it is. */
  readonly program: number | null;
}

const NOTE_OFF = 0x80;
const NOTE_ON = 0x90;
const CONTROL_CHANGE = 0xb0;
const PROGRAM_CHANGE = 0xc0;
const ALL_SOUND_OFF = 120;
const ALL_NOTES_OFF = 123;

/**
 * Messages to play `melody` on a device. Note-offs sort before note-ons at the same time, so a
 * repeated pitch is struck again rather than cut short.
 * @example melodyMessages(melody("C4 D4"), { channel: 0, program: null })
 *   // => on 60 at step 0, off 60 at 4, on 62 at 4, off 62 at 8
 */
export function melodyMessages(melody: Melody, options: DeviceOptions): TimedMessage[] {
  const { channel, program } = options;
  if (!Number.isInteger(channel) || channel < 0 || channel > 15)
    throw new RangeError(`MIDI channel ${channel} is not 0-15`);
  if (program !== null && (!Number.isInteger(program) || program < 0 || program > 127))
    throw new RangeError(`MIDI program ${program} is not 0-127`);
  const events: (TimedMessage & { order: number })[] = [];
  if (program !== null) events.push({ step: 0, bytes: [PROGRAM_CHANGE | channel, program], order: 0 });
  // Triplets on their true thirds, and tempo changes as steps at the first tempo.
  const times = playingTimes(melody);
  melody.notes.forEach((note, index) => {
    const velocity = Math.min(127, Math.max(1, Math.round(note.velocity)));
    const { start, end } = times[index]!;
    events.push({
      step: start,
      bytes: [NOTE_ON | channel, note.pitch, velocity],
      noteIndex: index,
      order: 2,
    });
    events.push({ step: end, bytes: [NOTE_OFF | channel, note.pitch, 0], order: 1 });
  });
  events.sort((a, b) => a.step - b.step || a.order - b.order);
  return events.map(({ order: _order, ...message }) => message);
}

/** Silences the given channels: note-off for each pitch still sounding, then all-sound-off and all-notes-off. */
export function silenceMessages(
  channels: Iterable<number>,
  sounding: Iterable<readonly [number, number]> = [],
): number[][] {
  const out: number[][] = [];
  for (const [channel, pitch] of sounding) out.push([NOTE_OFF | channel, pitch, 0]);
  for (const channel of new Set(channels)) {
    out.push([CONTROL_CHANGE | channel, ALL_SOUND_OFF, 0]);
    out.push([CONTROL_CHANGE | channel, ALL_NOTES_OFF, 0]);
  }
  return out;
}

/** All 16 channels silenced: the Panic control. */
export function panicMessages(): number[][] {
  return silenceMessages(Array.from({ length: 16 }, (_, c) => c));
}

const DATA_BYTES: Readonly<Record<number, number>> = {
  0x80: 2,
  0x90: 2,
  0xa0: 2,
  0xb0: 2,
  0xc0: 1,
  0xd0: 1,
  0xe0: 2,
};

/** True for a complete channel message: a status byte 0x80-0xEF and the right number of data bytes 0-127. */
export function isValidChannelMessage(bytes: readonly number[]): boolean {
  const status = bytes[0];
  if (status === undefined || !Number.isInteger(status) || status < 0x80 || status > 0xef) return false;
  const expected = DATA_BYTES[status & 0xf0];
  if (expected === undefined || bytes.length !== expected + 1) return false;
  for (let i = 1; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (!Number.isInteger(b) || b < 0 || b > 127) return false;
  }
  return true;
}

/** Pitches left sounding after the messages sent so far, as [channel, pitch] pairs. */
export function soundingAfter(sent: Iterable<readonly number[]>): [number, number][] {
  const on = new Map<string, [number, number]>();
  for (const bytes of sent) {
    const kind = (bytes[0] ?? 0) & 0xf0;
    const channel = (bytes[0] ?? 0) & 0x0f;
    const key = `${channel}:${bytes[1]}`;
    if (kind === NOTE_ON && (bytes[2] ?? 0) > 0) on.set(key, [channel, bytes[1]!]);
    else if (kind === NOTE_OFF || kind === NOTE_ON) on.delete(key);
  }
  return [...on.values()];
}
