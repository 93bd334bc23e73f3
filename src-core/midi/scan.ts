/**
 * Checks the byte structure of a Standard MIDI File before any library decodes it:
 * chunk headers, declared lengths, and the boundaries of every event in every track.
 * After a successful scan the bytes can be decoded without reading past any end.
 */
import { fail, ok, type Result } from '../result.ts';
import { MIDI_LIMITS, formatBytes } from './limits.ts';

export interface ScannedSmf {
  readonly format: 0 | 1;
  readonly ticksPerQuarter: number;
  /** The data of each MTrk chunk, in file order. Unknown chunks are left out. */
  readonly tracks: readonly Uint8Array[];
}

const ADVICE_DAMAGED =
  'The file is damaged; open the song in the program that made it and export it as MIDI again.';

/** Returns a problem when a file of `size` bytes is too big or empty to open, else null. */
export function checkMidiFileSize(size: number): Result<number> {
  if (size === 0)
    return fail('midi/empty', 'This file is empty (0 bytes). Choose a .mid file that contains music.');
  if (size > MIDI_LIMITS.maxFileBytes)
    return fail(
      'midi/too-large',
      `This file is ${formatBytes(size)}, more than the ${formatBytes(MIDI_LIMITS.maxFileBytes)} Cantus can open. Choose a smaller MIDI file.`,
    );
  return ok(size);
}

function readUint32(bytes: Uint8Array, at: number): number {
  return bytes[at]! * 0x1000000 + ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!);
}

function chunkId(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

function isPrintableId(id: string): boolean {
  return /^[\x20-\x7e]{4}$/.test(id);
}

/** Validates the whole file structure. Never throws. */
export function scanSmf(bytes: Uint8Array): Result<ScannedSmf> {
  const size = checkMidiFileSize(bytes.length);
  if (!size.ok) return size;
  const warnings: string[] = [];

  const start = String.fromCharCode(...bytes.subarray(0, 4));
  if (bytes.length < 4 && 'MThd'.startsWith(start)) {
    return fail('midi/truncated-header', `This MIDI file is cut off inside its header. ${ADVICE_DAMAGED}`);
  }
  if (start !== 'MThd') {
    return fail(
      'midi/not-midi',
      "This file is not a MIDI file (it does not start with 'MThd'). Choose a .mid file.",
    );
  }
  if (bytes.length < 8) {
    return fail('midi/truncated-header', `This MIDI file is cut off inside its header. ${ADVICE_DAMAGED}`);
  }
  const headerLength = readUint32(bytes, 4);
  if (headerLength > MIDI_LIMITS.maxFileBytes) {
    return fail(
      'midi/bad-chunk-length',
      `This MIDI file declares a header of ${headerLength} bytes, which cannot be right. ${ADVICE_DAMAGED}`,
    );
  }
  if (headerLength < 6) {
    return fail(
      'midi/bad-header-length',
      `This MIDI file's header says it is ${headerLength} bytes long, but a MIDI header needs 6. ${ADVICE_DAMAGED}`,
    );
  }
  if (8 + headerLength > bytes.length) {
    return fail('midi/truncated-header', `This MIDI file is cut off inside its header. ${ADVICE_DAMAGED}`);
  }
  const format = (bytes[8]! << 8) | bytes[9]!;
  const declaredTracks = (bytes[10]! << 8) | bytes[11]!;
  const division = (bytes[12]! << 8) | bytes[13]!;

  if (format === 2) {
    return fail(
      'midi/format-2',
      'This MIDI file uses format 2 (separate patterns), which Cantus does not support. Save or export the song as a format 0 or format 1 MIDI file.',
    );
  }
  if (format !== 0 && format !== 1) {
    return fail(
      'midi/unknown-format',
      `This MIDI file says it uses format ${format}, which does not exist. ${ADVICE_DAMAGED}`,
    );
  }
  if (division & 0x8000) {
    return fail(
      'midi/smpte-timing',
      'This MIDI file counts time in video frames (SMPTE) instead of beats, which Cantus does not support. Export the song again with musical timing (ticks per quarter note).',
    );
  }
  if (division === 0) {
    return fail(
      'midi/zero-ticks',
      `This MIDI file says a quarter note lasts 0 ticks, so its rhythm cannot be read. ${ADVICE_DAMAGED}`,
    );
  }
  if (declaredTracks === 0) {
    return fail(
      'midi/no-tracks',
      'This MIDI file contains no tracks, so there is no music in it. Choose another file.',
    );
  }
  if (declaredTracks > MIDI_LIMITS.maxTracks) {
    return fail(
      'midi/too-many-tracks',
      `This MIDI file has ${declaredTracks} tracks; Cantus opens files with up to ${MIDI_LIMITS.maxTracks}. Choose a simpler file or remove tracks you do not need.`,
    );
  }

  const tracks: Uint8Array[] = [];
  let pos = 8 + headerLength;
  const budget = { notes: 0, events: 0 };
  while (tracks.length < declaredTracks && pos < bytes.length) {
    const trackNo = tracks.length + 1;
    if (bytes.length - pos < 8) {
      return fail(
        'midi/truncated',
        `This MIDI file is cut off at the start of track ${trackNo}. ${ADVICE_DAMAGED}`,
      );
    }
    const id = chunkId(bytes, pos);
    const length = readUint32(bytes, pos + 4);
    if (!isPrintableId(id)) {
      return fail(
        'midi/bad-chunk',
        `This MIDI file has unreadable data where track ${trackNo} should start. ${ADVICE_DAMAGED}`,
      );
    }
    if (length > MIDI_LIMITS.maxFileBytes) {
      return fail(
        'midi/bad-chunk-length',
        `This MIDI file says ${id === 'MTrk' ? `track ${trackNo}` : 'one of its parts'} is ${length} bytes long, which cannot be right. ${ADVICE_DAMAGED}`,
      );
    }
    const start = pos + 8;
    if (start + length > bytes.length) {
      return fail(
        'midi/truncated',
        id === 'MTrk'
          ? `This MIDI file is cut off: track ${trackNo} should be ${length} bytes long, but the file ends after ${bytes.length - start}. ${ADVICE_DAMAGED}`
          : `This MIDI file is cut off in the middle of a block of data. ${ADVICE_DAMAGED}`,
      );
    }
    if (id === 'MTrk') {
      const data = bytes.subarray(start, start + length);
      const long: LongMeta[] = [];
      const checked = scanTrackEvents(data, trackNo, budget, long);
      if (!checked.ok) return checked;
      tracks.push(long.length ? shortenMetas(data, long) : data);
      if (long.length)
        warnings.push(
          `Track ${trackNo} has ${long.length === 1 ? 'a text event' : `${long.length} text events`} longer than ${MAX_META_BYTES.toLocaleString('en')} bytes; only the start of ${long.length === 1 ? 'it was' : 'each was'} read.`,
        );
    }
    // Any other chunk type is skipped, as the standard asks of readers.
    pos = start + length;
  }
  if (tracks.length === 0) {
    return fail(
      'midi/no-tracks',
      'This MIDI file contains no tracks, so there is no music in it. Choose another file.',
    );
  }
  if (tracks.length < declaredTracks) {
    warnings.push(
      `The file says it has ${declaredTracks} tracks but only ${tracks.length} were found; it may be incomplete.`,
    );
  }
  if (format === 0 && tracks.length > 1) {
    warnings.push(`The file is format 0 but has ${tracks.length} tracks; all of them were read.`);
  }
  return ok({ format, ticksPerQuarter: division, tracks }, warnings);
}

/** Data bytes that follow each channel status (by high nibble 0x8-0xE). */
function dataLength(status: number): number {
  const kind = status >> 4;
  return kind === 0xc || kind === 0xd ? 1 : 2;
}

/** Meta events whose length the decoder insists on: type -> allowed lengths. */
const FIXED_META_LENGTHS: ReadonlyMap<number, readonly number[]> = new Map([
  [0x00, [2]],
  [0x20, [1]],
  [0x21, [1]],
  [0x2f, [0]],
  [0x51, [3]],
  [0x54, [5]],
  [0x58, [2, 4]],
  [0x59, [2]],
]);

/**
 * Longest meta event (text, lyric, marker, ...) read whole. The decoder turns a text into a
 * string in one call whose argument count has a limit near 125,000, so a long lyric would make a
 * valid file look damaged; nothing Cantus shows needs more than the start.
 */
export const MAX_META_BYTES = 16_384;

/** A meta event longer than MAX_META_BYTES: where its length and its data start, and the length. */
interface LongMeta {
  readonly lengthAt: number;
  readonly dataAt: number;
  readonly length: number;
}

function varLen(value: number): number[] {
  const out = [value & 0x7f];
  for (let v = Math.floor(value / 128); v > 0; v = Math.floor(v / 128)) out.unshift((v & 0x7f) | 0x80);
  return out;
}

/** The track with each long meta event cut to MAX_META_BYTES (its length rewritten). */
function shortenMetas(data: Uint8Array, long: readonly LongMeta[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const m of long) {
    parts.push(data.subarray(from, m.lengthAt), Uint8Array.from(varLen(MAX_META_BYTES)));
    parts.push(data.subarray(m.dataAt, m.dataAt + MAX_META_BYTES));
    from = m.dataAt + m.length;
  }
  parts.push(data.subarray(from));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Walks one track's events, checking each fits inside the chunk and is well formed; meta events
 * longer than MAX_META_BYTES are listed in `long`.
 */
function scanTrackEvents(
  data: Uint8Array,
  trackNo: number,
  budget: { notes: number; events: number },
  long: LongMeta[],
): Result<true> {
  const damaged = (what: string): Result<true> =>
    fail('midi/bad-event', `Track ${trackNo} of this MIDI file contains ${what}. ${ADVICE_DAMAGED}`);
  const cutOff = (): Result<true> =>
    fail(
      'midi/truncated-event',
      `Track ${trackNo} of this MIDI file ends in the middle of an event. ${ADVICE_DAMAGED}`,
    );

  let pos = 0;
  let running: number | null = null;
  /** Reads a variable-length number (at most 4 bytes); -1 when cut off, -2 when too long. */
  const readVarLen = (): number => {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      if (pos >= data.length) return -1;
      const b = data[pos++]!;
      value = value * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) return value;
    }
    return -2;
  };

  while (pos < data.length) {
    const delta = readVarLen();
    if (delta === -1) return cutOff();
    if (delta === -2) return damaged('a time value longer than the standard allows');
    if (pos >= data.length) return cutOff();
    const b = data[pos]!;
    if (b === 0xff) {
      pos++;
      if (pos >= data.length) return cutOff();
      const type = data[pos++]!;
      const lengthAt = pos;
      const length = readVarLen();
      if (length === -1) return cutOff();
      if (length === -2) return damaged('an event with an impossible length');
      if (pos + length > data.length) return cutOff();
      const allowed = FIXED_META_LENGTHS.get(type);
      if (allowed && !allowed.includes(length)) return damaged('a malformed tempo, time or key event');
      if (length > MAX_META_BYTES) long.push({ lengthAt, dataAt: pos, length });
      pos += length;
    } else if (b === 0xf0 || b === 0xf7) {
      pos++;
      const length = readVarLen();
      if (length === -1) return cutOff();
      if (length === -2) return damaged('an event with an impossible length');
      if (pos + length > data.length) return cutOff();
      pos += length;
    } else if (b > 0xf0) {
      return damaged('an event type that is not allowed in MIDI files');
    } else {
      let status: number;
      let needed: number;
      if (b & 0x80) {
        status = b;
        running = b;
        pos++;
        needed = dataLength(status);
      } else {
        if (running === null) return damaged('note data before any event type');
        status = running;
        needed = dataLength(status); // the first data byte is `b` itself
      }
      if (pos + needed > data.length) return cutOff();
      for (let i = 0; i < needed; i++) {
        if (data[pos + i]! & 0x80) return damaged('an event with missing data');
      }
      if (status >> 4 === 0x9 && needed === 2 && data[pos + 1]! > 0) {
        if (++budget.notes > MIDI_LIMITS.maxNotes) {
          return fail(
            'midi/too-many-notes',
            `This MIDI file has more than ${MIDI_LIMITS.maxNotes.toLocaleString('en')} notes, more than Cantus can show. Choose a shorter or simpler file.`,
          );
        }
      }
      pos += needed;
    }
    if (++budget.events > MIDI_LIMITS.maxEvents) {
      return fail(
        'midi/too-many-events',
        `This MIDI file has more than ${MIDI_LIMITS.maxEvents.toLocaleString('en')} events, more than Cantus can open. Choose a shorter or simpler file.`,
      );
    }
  }
  return ok(true);
}
