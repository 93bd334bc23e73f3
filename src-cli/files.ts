/** Reading input files for commands, with messages a person can act on. */
import { open } from 'node:fs/promises';
import { extractMelody } from '../src-core/midi/extract.ts';
import { readMidi } from '../src-core/midi/read.ts';
import { checkMidiFileSize } from '../src-core/midi/scan.ts';
import type { Melody } from '../src-core/music/melody.ts';
import { fail, ok, type Result } from '../src-core/result.ts';

/**
 * Reads a MIDI file, checking its size before reading it all, so an enormous file is
 * refused without being loaded. Never throws.
 */
export async function readMidiFile(path: string): Promise<Result<Uint8Array>> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const stat = await handle.stat();
    if (stat.isDirectory())
      return fail('file/is-folder', 'This is a folder, not a file. Give the path of a .mid file.', path);
    const size = checkMidiFileSize(stat.size);
    if (!size.ok) return { ok: false, error: { ...size.error, path } };
    const bytes = new Uint8Array(stat.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return ok(bytes.subarray(0, filled));
  } catch (error) {
    return fail('file/unreadable', fileErrorMessage(error), path);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function fileErrorMessage(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'ENOENT':
      return 'There is no file with this name. Check the spelling and the folder.';
    case 'EACCES':
    case 'EPERM':
      return 'You do not have permission to read this file. Check its permissions or copy it somewhere you can read.';
    case 'EISDIR':
      return 'This is a folder, not a file. Give the path of a .mid file.';
    case 'ENAMETOOLONG':
      return 'This file name is too long for the system. Use a shorter name or path.';
    default:
      return 'The file could not be read. Check that it exists and that it is not in use.';
  }
}

/** True for a file Cantus reads as ABC notation (by its name). */
export const isAbcFile = (path: string): boolean => /\.abc$/i.test(path);

/**
 * Reads an ABC file and plays out one of its tunes (the one numbered `x` by its X: field, else
 * the first) as a melody; the tune's X: comes back with it. Never throws.
 */
export async function readAbcFile(path: string, x?: string): Promise<Result<{ melody: Melody; x: string }>> {
  // The ABC reader (abcjs, about 1 MB) loads only for ABC files, so MIDI commands start fast.
  const { abcTuneToMelody, chooseAbcTune, MAX_ABC_CHARS, readAbc } = await import('../src-core/abc/read.ts');
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  let text: string;
  try {
    handle = await open(path, 'r');
    const stat = await handle.stat();
    if (stat.isDirectory())
      return fail('file/is-folder', 'This is a folder, not a file. Give the path of a .abc file.', path);
    // A character is at least one byte: a larger file cannot be within the limit.
    if (stat.size > MAX_ABC_CHARS * 4)
      return fail(
        'abc/too-large',
        'This ABC file is too large for Cantus; split it into smaller files.',
        path,
      );
    text = await handle.readFile({ encoding: 'utf8' });
  } catch (error) {
    return fail('file/unreadable', fileErrorMessage(error), path);
  } finally {
    await handle?.close().catch(() => undefined);
  }
  const book = readAbc(text);
  if (!book.ok) return book;
  const tune = chooseAbcTune(book.value.tunes, x);
  if (!tune.ok) return tune;
  const melody = abcTuneToMelody(tune.value);
  return melody.ok ? ok({ melody: melody.value, x: tune.value.x }) : melody;
}

/**
 * Reads FILE.mid and extracts its melody (the part given, or the likeliest one), or one tune of
 * FILE.abc (`partId` is then its X: number). Failures come back as one sentence naming the file,
 * ready to print after "cantus: ".
 */
export async function readMelodyFile(path: string, partId?: string): Promise<Result<Melody>> {
  if (isAbcFile(path)) {
    const read = await readAbcFile(path, partId);
    return read.ok
      ? ok(read.value.melody)
      : fail(read.error.code, `cannot use ${path}: ${read.error.message}`, path);
  }
  const bytes = await readMidiFile(path);
  if (!bytes.ok) return fail(bytes.error.code, `cannot read ${path}: ${bytes.error.message}`, path);
  const parsed = readMidi(bytes.value);
  if (!parsed.ok) return fail(parsed.error.code, `cannot read ${path}: ${parsed.error.message}`, path);
  const melody = extractMelody(parsed.value, partId);
  if (!melody.ok) return fail(melody.error.code, `cannot use ${path}: ${melody.error.message}`, path);
  return melody;
}
