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

/** Events encoded per call to midi-file's writer (see `encodeSmf`). */
const EVENTS_PER_CALL = 128;

/**
 * Encodes header and events as SMF bytes. By default never uses running status and writes
 * every note-off as a real 0x8n note-off, so files read the same in every program.
 *
 * midi-file's writer grows its output by copying it for every multi-byte value, so one
 * call for a long track takes quadratic time (10,000 notes: about 11 s). Here each track is
 * encoded a few events at a time and the pieces are joined, which is linear and gives the
 * same bytes, except that running status restarts at each piece (a valid file either way).
 */
export function encodeSmf(data: MidiData, options: EncodeOptions = {}): Uint8Array<ArrayBuffer> {
  const writeOptions = {
    running: options.runningStatus ?? false,
    useByte9ForNoteOff: options.noteOffAsZeroVelocity ?? false,
  };
  const head = writeMidi({ header: data.header, tracks: [] }, writeOptions);
  const pieces: ArrayLike<number>[] = [head];
  for (const events of data.tracks) {
    const body: number[][] = [];
    let length = 0;
    for (let i = 0; i < events.length; i += EVENTS_PER_CALL) {
      // One track per call: 14 bytes of file header and 8 of chunk header come before the events.
      const piece = writeMidi(
        { header: data.header, tracks: [events.slice(i, i + EVENTS_PER_CALL)] },
        writeOptions,
      ).slice(22);
      body.push(piece);
      length += piece.length;
    }
    pieces.push([
      0x4d,
      0x54,
      0x72,
      0x6b,
      (length >>> 24) & 0xff,
      (length >>> 16) & 0xff,
      (length >>> 8) & 0xff,
      length & 0xff,
    ]);
    for (const piece of body) pieces.push(piece);
  }
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  // The header was written for zero tracks; give it the real count.
  out[10] = (data.tracks.length >> 8) & 0xff;
  out[11] = data.tracks.length & 0xff;
  return out;
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
