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

/** Most note messages a phrase keeps; past this the oldest half is let go (see PhraseListener). */
export const MAX_PHRASE_MESSAGES = 2048;

/** A note held longer than this many bars is taken as released then: its note-off was lost. */
export const HELD_LIMIT_BARS = 4;

const isNoteOn = (bytes: readonly number[]): boolean =>
  ((bytes[0] ?? 0) & 0xf0) === 0x90 && (bytes[2] ?? 0) > 0;
const isNoteOff = (bytes: readonly number[]): boolean => {
  const kind = (bytes[0] ?? 0) & 0xf0;
  return kind === 0x80 || (kind === 0x90 && (bytes[2] ?? 0) === 0);
};

/**
 * The phrase being played, kept as it arrives: what is held is tracked note by note, so asking
 * whether the phrase has ended costs the same however much was played. It keeps at most
 * MAX_PHRASE_MESSAGES note messages (a keyboard gone wrong can send thousands a second; the
 * oldest half goes, and the phrase's bar grid moves to the bar of the first message kept), and
 * a note held past HELD_LIMIT_BARS is released at that limit, so a lost note-off cannot keep
 * the phrase open for ever.
 */
export class PhraseListener {
  readonly #settings: PhraseSettings;
  #messages: ArrivedMessage[] = [];
  /** Pitch → when it was pressed, for pitches held now. */
  readonly #down = new Map<number, EpochMs>();
  #last: EpochMs | null = null;
  /** The phrase's first note-on: bar 1 starts here. */
  #start: EpochMs | null = null;

  constructor(settings: PhraseSettings) {
    this.#settings = settings;
  }

  /** Note messages kept now (at most MAX_PHRASE_MESSAGES). */
  get size(): number {
    return this.#messages.length;
  }

  /** Pitches held now. */
  get held(): number {
    return this.#down.size;
  }

  add(message: ArrivedMessage): void {
    const { bytes, at } = message;
    const pitch = bytes[1];
    if (pitch === undefined) return;
    if (isNoteOn(bytes)) {
      this.#down.set(pitch, at);
      this.#start ??= at;
    } else if (isNoteOff(bytes)) {
      if (this.#start === null) return; // a release from before the phrase
      this.#down.delete(pitch);
    } else return;
    this.#keep(message);
  }

  /**
   * When the phrase ended (the last release plus one bar of silence), or null while the player
   * is still playing or has not played yet. Releases notes held past the limit first.
   */
  ended(now: EpochMs): EpochMs | null {
    if (this.#start === null) return null;
    const bar = barMs(this.#settings);
    for (const [pitch, since] of [...this.#down]) {
      const limit = since + HELD_LIMIT_BARS * bar;
      if (now < limit) continue;
      this.#down.delete(pitch);
      this.#keep({ bytes: [0x80, pitch, 0], at: limit });
    }
    if (this.#down.size > 0 || this.#last === null) return null;
    const end = this.#last + bar;
    return now >= end ? end : null;
  }

  /** The phrase on the grid (see phraseMelody). */
  melody(): Melody {
    return phraseMelody(this.#messages, this.#settings, this.#start ?? undefined);
  }

  clear(): void {
    this.#messages = [];
    this.#down.clear();
    this.#last = null;
    this.#start = null;
  }

  #keep(message: ArrivedMessage): void {
    this.#messages.push(message);
    this.#last = Math.max(this.#last ?? message.at, message.at);
    if (this.#messages.length <= MAX_PHRASE_MESSAGES) return;
    this.#messages = this.#messages.slice(MAX_PHRASE_MESSAGES / 2);
    const bar = barMs(this.#settings);
    const first = this.#messages[0]!.at;
    const start = this.#start ?? first;
    this.#start = start + Math.floor((first - start) / bar) * bar;
  }
}

/** The phrase on the grid, bar 1 starting at its first note (or at `start`), lasting whole bars. */
export function phraseMelody(
  messages: readonly ArrivedMessage[],
  settings: PhraseSettings,
  start: EpochMs = messages.find((m) => isNoteOn(m.bytes))?.at ?? 0,
): Melody {
  const last = messages.at(-1)?.at ?? start;
  const melody = recordedMelody(messages, { start, tempo: settings.tempo, meter: settings.meter }, last);
  const bar = stepsPerBar(settings.meter);
  return { ...melody, length: Math.max(bar, Math.ceil((melody.notes.at(-1)?.end ?? 1) / bar) * bar) };
}
