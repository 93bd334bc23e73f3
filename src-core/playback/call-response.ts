/**
 * Call and response: the player plays a phrase on a keyboard; when they have been silent for a
 * bar, the phrase is over, and Cantus answers it. This file decides when a phrase has ended
 * and what was played, on the grid, counting bars from the phrase's first note.
 */
import { stepsPerBar, type Bpm, type Melody, type Meter } from '../music/melody.ts';
import { recordedMelody, type ArrivedMessage, type EpochMs } from './recording.ts';

export interface PhraseSettings {
  readonly tempo: Bpm;
  readonly meter: Meter;
}

/** Milliseconds in one bar. */
export function barMs(settings: PhraseSettings): number {
  return (stepsPerBar(settings.meter) / 4) * (60_000 / settings.tempo);
}

/** Note-ons and note-offs only, with pitches still held after the messages. */
function held(messages: readonly ArrivedMessage[]): Set<number> {
  const down = new Set<number>();
  for (const { bytes } of messages) {
    const kind = (bytes[0] ?? 0) & 0xf0;
    if (kind === 0x90 && (bytes[2] ?? 0) > 0) down.add(bytes[1]!);
    else if (kind === 0x80 || kind === 0x90) down.delete(bytes[1]!);
  }
  return down;
}

/**
 * When the phrase ended (the last note's release plus one bar of silence), or null while the
 * player is still playing or has not played yet.
 */
export function phraseEnd(
  messages: readonly ArrivedMessage[],
  now: EpochMs,
  settings: PhraseSettings,
): EpochMs | null {
  const notes = messages.filter((m) => ((m.bytes[0] ?? 0) & 0xe0) === 0x80);
  if (!notes.some((m) => ((m.bytes[0] ?? 0) & 0xf0) === 0x90 && (m.bytes[2] ?? 0) > 0)) return null;
  if (held(notes).size > 0) return null;
  const end = notes.at(-1)!.at + barMs(settings);
  return now >= end ? end : null;
}

/** The phrase on the grid, bar 1 starting at its first note, lasting whole bars. */
export function phraseMelody(messages: readonly ArrivedMessage[], settings: PhraseSettings): Melody {
  const first = messages.find((m) => ((m.bytes[0] ?? 0) & 0xf0) === 0x90 && (m.bytes[2] ?? 0) > 0);
  const start = first?.at ?? 0;
  const last = messages.at(-1)?.at ?? start;
  const melody = recordedMelody(messages, { start, tempo: settings.tempo, meter: settings.meter }, last);
  const bar = stepsPerBar(settings.meter);
  return { ...melody, length: Math.max(bar, Math.ceil((melody.notes.at(-1)?.end ?? 1) / bar) * bar) };
}
