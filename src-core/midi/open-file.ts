/**
 * Opening a MIDI file as the window does: read it, list its parts, take the likeliest melody
 * part, and say once, in words, what else the file holds and what was simplified. One function,
 * so the window's thread and its worker (for big files) open files alike.
 */
import type { Melody } from '../music/melody.ts';
import { fail, ok, type Result } from '../result.ts';
import { defaultPart, extractMelody, listParts, type Part } from './extract.ts';
import { readMidi, type ParsedMidi } from './read.ts';

export interface OpenedFile {
  readonly parsed: ParsedMidi;
  readonly parts: readonly Part[];
  /** The part shown, or null for a file without one (never: extractMelody refuses it first). */
  readonly part: Part | null;
  readonly melody: Melody;
  /** What to tell the user once: other parts, and what was simplified. */
  readonly said: readonly string[];
}

/** Reads `bytes`; a problem's message says what is wrong with the file, without its name. */
export function openMidiFile(bytes: Uint8Array): Result<OpenedFile> {
  const read = readMidi(bytes);
  if (!read.ok) return fail(read.error.code, read.error.message);
  const parts = listParts(read.value);
  const part = defaultPart(parts);
  const extracted = extractMelody(read.value, part?.id);
  if (!extracted.ok) return fail(extracted.error.code, extracted.error.message);
  const said = [
    ...(parts.length > 1
      ? [`This file has ${parts.length} parts. Showing “${part?.label ?? ''}”; choose another under Parts.`]
      : []),
    ...(read.warnings ?? []),
    ...(extracted.warnings ?? []),
  ];
  return ok({ parsed: read.value, parts, part, melody: extracted.value, said });
}
