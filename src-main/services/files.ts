/**
 * File access for the host API: reading chosen MIDI files with a size check, and writing
 * saved files atomically (temporary file, flush, rename) so a crash never leaves half a file.
 */
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { formatBytes, MIDI_LIMITS } from '../../src-core/midi/limits.ts';
import { fail, ok, type Result } from '../../src-core/result.ts';

export interface ReadFile {
  readonly name: string;
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** Reads a file of at most `limit` bytes, turning file-system failures into plain messages. */
export async function readUserFile(
  path: string,
  limit: number = MIDI_LIMITS.maxFileBytes,
): Promise<Result<ReadFile>> {
  const name = basename(path);
  try {
    const info = await stat(path);
    if (!info.isFile())
      return fail('file/not-a-file', `"${name}" is a folder, not a file. Choose a .mid file.`, path);
    if (info.size > limit)
      return fail(
        'file/too-large',
        `"${name}" is ${formatBytes(info.size)}, more than the ${formatBytes(limit)} Cantus opens. Choose a smaller MIDI file.`,
        path,
      );
    const bytes = new Uint8Array(await readFile(path));
    return ok({ name, path, bytes });
  } catch (err) {
    return fail(fsCode(err), fsMessage(err, name, 'open'), path);
  }
}

/** Writes bytes to `path` atomically: a temporary file beside it, flushed, then renamed over. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  // The rename itself is on disk only once the folder is flushed (where the system allows it).
  const folder = await open(dirname(path), 'r').catch(() => null);
  if (folder)
    await folder
      .sync()
      .catch(() => undefined)
      .finally(() => folder.close());
}

/** Saves bytes where the user chose, reporting failures as plain messages. */
export async function saveUserFile(
  path: string,
  bytes: Uint8Array,
): Promise<Result<{ path: string; name: string }>> {
  const name = basename(path);
  try {
    await writeFileAtomic(path, bytes);
    return ok({ path, name });
  } catch (err) {
    return fail(fsCode(err), fsMessage(err, name, 'save'), path);
  }
}

function fsCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? `file/${code.toLowerCase()}` : 'file/error';
}

function fsMessage(err: unknown, name: string, verb: 'open' | 'save'): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return verb === 'open'
        ? `"${name}" is not there any more. It may have been moved or deleted; choose it again.`
        : `The folder for "${name}" does not exist. Choose another folder.`;
    case 'EACCES':
    case 'EPERM':
      return `Cantus is not allowed to ${verb} "${name}". Choose another ${verb === 'open' ? 'file' : 'folder'} or check its permissions.`;
    case 'ENOSPC':
      return `The disk is full, so "${name}" could not be saved. Free some space and save again.`;
    case 'EROFS':
      return `"${name}" is on a read-only disk. Save it somewhere else.`;
    case 'EISDIR':
      return `"${name}" is a folder. Choose a file name instead.`;
    default:
      return `Cantus could not ${verb} "${name}". Try again, or choose another ${verb === 'open' ? 'file' : 'place'}.`;
  }
}
