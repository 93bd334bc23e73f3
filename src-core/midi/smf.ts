/**
 * The one file that knows the `midi-file` package. Everything else in Cantus talks to
 * Standard MIDI Files through these re-exports, so swapping the library touches only here.
 *
 * midi-file throws plain strings and reads past the end of short data without noticing,
 * so callers must validate bytes first (see `scanSmf` in scan.ts) and still wrap calls.
 */
import { parseMidi, writeMidi } from 'midi-file';
import type { MidiData, MidiEvent, MidiHeader } from 'midi-file';

export type { MidiData as SmfData, MidiEvent as SmfEvent, MidiHeader as SmfHeader };

/** Decodes SMF bytes into header and per-track event lists. May throw a string: wrap it. */
export function decodeSmf(bytes: Uint8Array): MidiData {
  return parseMidi(bytes);
}

export interface EncodeOptions {
  /** Leave out repeated status bytes (smaller files; every reader must cope). Default false. */
  readonly runningStatus?: boolean;
  /** Write note-offs as note-ons with velocity 0, as many sequencers do. Default false. */
  readonly noteOffAsZeroVelocity?: boolean;
}

/**
 * Encodes header and events as SMF bytes. By default never uses running status and writes
 * every note-off as a real 0x8n note-off, so files read the same in every program.
 */
export function encodeSmf(data: MidiData, options: EncodeOptions = {}): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(
    writeMidi(data, {
      running: options.runningStatus ?? false,
      useByte9ForNoteOff: options.noteOffAsZeroVelocity ?? false,
    }),
  );
}

/**
 * midi-file reads and writes text meta events one byte per character (Latin-1).
 * Cantus stores text as UTF-8 bytes: these two helpers convert between a JavaScript
 * string and that one-byte-per-character form.
 */
export function textToByteString(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) out += String.fromCharCode(byte);
  return out;
}

/** Reads UTF-8 when the bytes are valid UTF-8, otherwise treats them as Latin-1 (older files). */
export function byteStringToText(byteString: string): string {
  const bytes = Uint8Array.from(byteString, (c) => c.charCodeAt(0) & 0xff);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return byteString;
  }
}
