/**
 * Lesson packs on this computer, and the one place packs are read from the disk (the CLI
 * reads through here too). Built-in packs are folders in lessons/; packs the teacher
 * imported are kept as the archive they came in, `<user data>/packs/<id>.zip`; the editor's
 * draft is `<user data>/draft-pack.zip`. Everything read is checked by the pure core
 * (src-core/lessons) as untrusted input, through a PackCheck (pack-check.ts): in the app, in a
 * worker, with verdicts remembered by content, so a file changed on disk is still caught.
 */
import { lstat, mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import type { packEntrySchema } from '../../src-core/ipc/contract.ts';
import {
  checkPackFiles,
  formatSize,
  maxBytesFor,
  normalizePackPath,
  packProblem,
  PACK_JSON,
  PACK_LIMITS,
  readPackArchive,
  writePackArchive,
  type PackFiles,
  type PackProblem,
} from '../../src-core/lessons/pack-files.ts';
import { ID_PATTERN } from '../../src-core/lessons/schema.ts';
import { formatProblems, type PackValidation } from '../../src-core/lessons/validate.ts';
import { fail, ok, type Result } from '../../src-core/result.ts';
import { writeFileAtomic } from './files.ts';
import { checkPackHere, type PackCheck } from './pack-check.ts';

/** A pack as the window receives it (see packEntrySchema in the host contract). */
export type PackEntry = z.infer<typeof packEntrySchema>;

/** A pack read from the disk and checked: files and pack when it is valid, else the problems. */
export interface PackRead extends PackValidation {
  readonly files: PackFiles | null;
}

/** Pack files as they cross the host API (a plain record) and as the core holds them (a map). */
export function packFilesRecord(files: PackFiles): Record<string, Uint8Array> {
  return Object.fromEntries(files);
}
export function packFilesMap(files: Readonly<Record<string, Uint8Array>>): PackFiles {
  return new Map(Object.entries(files));
}

/** Reads a pack folder into memory: regular files only, links refused, limits checked before reading. */
export async function readPackFolder(
  root: string,
  where = root,
): Promise<{ files: PackFiles | null; problems: PackProblem[] }> {
  const files = new Map<string, Uint8Array>();
  const problems: PackProblem[] = [];
  let count = 0;
  let total = 0;
  const walk = async (dir: string, prefix: string, depth: number): Promise<void> => {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const rel = prefix === '' ? name : `${prefix}/${name}`;
      const normal = normalizePackPath(rel);
      if (!normal.ok) {
        problems.push(packProblem('lessons/bad-path', where, '', `${normal.error.message}; refused.`));
        continue;
      }
      const info = await lstat(join(dir, name));
      if (info.isSymbolicLink()) {
        problems.push(
          packProblem(
            'lessons/link',
            rel,
            '',
            'the file is a symbolic link; a pack may hold only ordinary files.',
          ),
        );
        continue;
      }
      if (info.isDirectory()) {
        if (depth + 1 >= PACK_LIMITS.maxDepth)
          problems.push(
            packProblem(
              'lessons/bad-path',
              rel,
              '',
              `the folder is more than ${PACK_LIMITS.maxDepth} levels deep.`,
            ),
          );
        else await walk(join(dir, name), rel, depth + 1);
        continue;
      }
      if (!info.isFile()) {
        problems.push(
          packProblem(
            'lessons/not-a-file',
            rel,
            '',
            'this is not an ordinary file; a pack may hold only ordinary files.',
          ),
        );
        continue;
      }
      if (++count > PACK_LIMITS.maxEntries) {
        if (count === PACK_LIMITS.maxEntries + 1)
          problems.push(
            packProblem(
              'lessons/too-many-files',
              where,
              '',
              `the pack has more than ${PACK_LIMITS.maxEntries} files.`,
            ),
          );
        continue;
      }
      const max = maxBytesFor(normal.value);
      if (info.size > max) {
        problems.push(
          packProblem(
            'lessons/file-too-large',
            rel,
            '',
            `the file is ${formatSize(info.size)}; files like it may be at most ${formatSize(max)}.`,
          ),
        );
        continue;
      }
      total += info.size;
      if (total > PACK_LIMITS.maxTotalBytes) {
        problems.push(
          packProblem(
            'lessons/pack-too-large',
            where,
            '',
            `the files hold more than ${formatSize(PACK_LIMITS.maxTotalBytes)} together.`,
          ),
        );
        return;
      }
      files.set(normal.value, new Uint8Array(await readFile(join(dir, name))));
    }
  };
  await walk(root, '', 0);
  return { files: problems.length === 0 ? files : null, problems };
}

/**
 * Reads the bytes of a pack archive, refusing one larger than PACK_LIMITS.maxArchiveBytes
 * before reading it. `missing` is set when there is no such file. Never throws.
 */
async function readArchiveBytes(
  path: string,
  where: string,
): Promise<{ bytes: Uint8Array | null; problems: PackProblem[]; missing: boolean }> {
  try {
    const info = await stat(path);
    if (!info.isFile())
      return {
        bytes: null,
        problems: [packProblem('lessons/not-a-pack', where, '', 'this is a folder, not a zip archive.')],
        missing: false,
      };
    if (info.size > PACK_LIMITS.maxArchiveBytes)
      return {
        bytes: null,
        problems: [
          packProblem(
            'lessons/archive-too-large',
            where,
            '',
            `the archive is ${formatSize(info.size)}; a lesson pack may be at most ${formatSize(PACK_LIMITS.maxArchiveBytes)}.`,
          ),
        ],
        missing: false,
      };
    return { bytes: new Uint8Array(await readFile(path)), problems: [], missing: false };
  } catch (e) {
    return { bytes: null, problems: [unreadable(where, e)], missing: errorCode(e) === 'ENOENT' };
  }
}

/** Reads and validates a pack shared as a zip archive; `bytes` are the archive's. Never throws. */
export async function readPackZip(
  path: string,
  where = path,
  check: PackCheck = checkPackHere,
): Promise<PackRead & { bytes: Uint8Array | null }> {
  const read = await readArchiveBytes(path, where);
  if (!read.bytes) return { files: null, pack: null, problems: read.problems, bytes: null };
  const opened = readPackArchive(read.bytes, where);
  if (!opened.files) return { files: null, pack: null, problems: opened.problems, bytes: null };
  return { ...(await checked(opened.files, opened.problems, where, check)), bytes: read.bytes };
}

/** Reads and validates a pack at `path` (a folder or a .zip archive). Never throws. */
export async function readPack(
  path: string,
  where = path,
  check: PackCheck = checkPackHere,
): Promise<PackRead> {
  try {
    const info = await lstat(path);
    if (info.isFile()) {
      const { files, pack, problems } = await readPackZip(path, where, check);
      return { files, pack, problems };
    }
    if (!info.isDirectory())
      return {
        files: null,
        pack: null,
        problems: [
          packProblem('lessons/not-a-pack', where, '', 'this is neither a folder nor a zip archive.'),
        ],
      };
    const read = await readPackFolder(path, where);
    if (!read.files) return { files: null, pack: null, problems: read.problems };
    return await checked(read.files, read.problems, where, check);
  } catch (e) {
    return { files: null, pack: null, problems: [unreadable(where, e)] };
  }
}

async function checked(
  files: PackFiles,
  earlier: readonly PackProblem[],
  where: string,
  check: PackCheck,
): Promise<PackRead> {
  const validation = await check(files, where);
  const problems = [...earlier, ...validation.problems];
  return problems.length === 0 && validation.pack
    ? { files, pack: validation.pack, problems }
    : { files: null, pack: null, problems };
}

function errorCode(e: unknown): unknown {
  return (e as { code?: unknown } | null)?.code;
}

function unreadable(where: string, e: unknown): PackProblem {
  const code = errorCode(e);
  const why =
    code === 'ENOENT'
      ? 'there is no such file or folder'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission was refused'
        : 'it could not be read';
  return packProblem('lessons/unreadable', where, '', `${why}.`);
}

export interface PackListing {
  readonly packs: PackEntry[];
  /** Packs that could not be offered: `name` is the ref they would have had. */
  readonly problems: { name: string; message: string }[];
}

const BUILT_IN = 'built-in/';
const IMPORTED = 'imported/';
const DRAFT_FILE = 'draft-pack.zip';

/** The built-in and imported packs, and the editor's draft. */
export class PackLibrary {
  readonly #lessonsDir: string;
  readonly #packsDir: string;
  readonly #draftFile: string;
  readonly #check: PackCheck;
  /** Writes run one at a time, so two quick saves never share a temporary file. */
  #writes: Promise<unknown> = Promise.resolve();

  constructor(lessonsDir: string, userDataDir: string, check: PackCheck = checkPackHere) {
    this.#check = check;
    this.#lessonsDir = lessonsDir;
    this.#packsDir = join(userDataDir, 'packs');
    this.#draftFile = join(userDataDir, DRAFT_FILE);
  }

  /** Every pack there is, each checked again; a broken one is named in `problems`, never fatal. */
  async list(): Promise<PackListing> {
    const packs: PackEntry[] = [];
    const problems: { name: string; message: string }[] = [];
    const add = (origin: PackEntry['origin'], name: string, read: PackRead, expectedId?: string) => {
      if (!read.pack || !read.files) {
        const hint =
          origin === 'built-in'
            ? 'Reinstall Cantus to repair it.'
            : 'Import the pack again to replace it, or remove it.';
        problems.push({ name: origin + '/' + name, message: `${formatProblems(read.problems)}\n${hint}` });
        return;
      }
      const ref = origin + '/' + read.pack.id;
      if (expectedId !== undefined && read.pack.id !== expectedId)
        problems.push({
          name: origin + '/' + name,
          message: `${name}.zip holds the pack "${read.pack.id}", not "${name}". Import the pack again to replace it, or remove it.`,
        });
      else if (packs.some((p) => p.ref === ref))
        problems.push({
          name: origin + '/' + name,
          message: `Another ${origin} pack already has the id "${read.pack.id}"; only the first is offered.`,
        });
      else packs.push({ ref, origin, files: packFilesRecord(read.files) });
    };

    const builtIn = await this.#builtInFolders();
    if (builtIn === null)
      problems.push({
        name: 'built-in',
        message: 'Cantus could not find its built-in lesson packs. Reinstall Cantus to repair it.',
      });
    for (const folder of builtIn ?? [])
      add('built-in', folder, await readPack(join(this.#lessonsDir, folder), folder, this.#check));

    for (const id of await this.#importedIds())
      add('imported', id, await readPackZip(join(this.#packsDir, `${id}.zip`), `${id}.zip`, this.#check), id);
    return { packs, problems };
  }

  /**
   * Checks the archive at `path` as untrusted input and keeps a copy of it, replacing an
   * earlier import with the same id. A refused pack fails with one line per problem.
   */
  async import(path: string, name: string): Promise<Result<PackEntry>> {
    const read = await readPackZip(path, name, this.#check);
    if (!read.pack || !read.files || !read.bytes)
      return fail('lessons/refused', `${name} was not imported:\n${formatProblems(read.problems)}`, path);
    const { pack, files, bytes } = read;
    // Progress is kept by pack id, so a pack may not pose as one that comes with Cantus.
    for (const folder of (await this.#builtInFolders()) ?? []) {
      const builtIn = await readPack(join(this.#lessonsDir, folder), folder, this.#check);
      if (folder === pack.id || builtIn.pack?.id === pack.id)
        return fail(
          'lessons/id-taken',
          `${name} was not imported: its id "${pack.id}" belongs to a pack that comes with Cantus. Ask its author to give it an id of its own (in the pack editor, under "Id and version").`,
          path,
        );
    }
    const stored = await this.#write(async () => {
      await mkdir(this.#packsDir, { recursive: true });
      await writeFileAtomic(join(this.#packsDir, `${pack.id}.zip`), bytes);
    });
    if (!stored.ok)
      return fail(
        'lessons/not-stored',
        `${name} is a good pack, but Cantus could not keep a copy of it (${stored.error}). Check that the disk is not full, then import it again.`,
        path,
      );
    return ok({ ref: IMPORTED + pack.id, origin: 'imported', files: packFilesRecord(files) });
  }

  /** Forgets an imported pack; built-in packs cannot be removed. */
  async remove(ref: string): Promise<Result<null>> {
    if (ref.startsWith(BUILT_IN))
      return fail(
        'lessons/built-in',
        'This pack comes with Cantus and cannot be removed. Only packs you imported can be removed.',
      );
    const id = ref.startsWith(IMPORTED) ? ref.slice(IMPORTED.length) : '';
    if (!ID_PATTERN.test(id))
      return fail('lessons/unknown-pack', 'Cantus does not know that pack. Reopen the list of packs.');
    const removed = await this.#write(() => unlink(join(this.#packsDir, `${id}.zip`)));
    if (removed.ok) return ok(null);
    return removed.error === 'ENOENT'
      ? fail(
          'lessons/unknown-pack',
          `The pack "${id}" is not imported on this computer (it may have been removed already).`,
        )
      : fail(
          'lessons/not-removed',
          `Cantus could not remove the pack "${id}" (${removed.error}). Try again, or restart Cantus.`,
        );
  }

  /** The editor's draft, or null when there is none. A damaged draft fails with the reason. */
  async loadDraft(): Promise<Result<PackFiles | null>> {
    const where = 'the saved draft';
    const read = await readArchiveBytes(this.#draftFile, where);
    if (read.missing) return ok(null);
    const opened = read.bytes ? readPackArchive(read.bytes, where) : { files: null, problems: read.problems };
    if (!opened.files || opened.problems.length > 0)
      return fail(
        'lessons/draft-damaged',
        `Cantus could not read the pack you were editing:\n${formatProblems(opened.problems)}\nSaving the pack in the editor replaces the damaged draft.`,
      );
    return ok(opened.files);
  }

  /** Keeps the editor's pack as it is, valid or not, within the pack limits; written atomically. */
  async saveDraft(files: PackFiles): Promise<Result<null>> {
    const problems = checkPackFiles(files, 'the draft');
    if (problems.length > 0)
      return fail('lessons/draft-refused', `The draft was not saved:\n${formatProblems(problems)}`);
    const archive = writePackArchive(files);
    if (archive.length > PACK_LIMITS.maxArchiveBytes)
      return fail(
        'lessons/draft-refused',
        `The draft was not saved: as one file it would be ${formatSize(archive.length)}, more than the ${formatSize(PACK_LIMITS.maxArchiveBytes)} a lesson pack may be. Use fewer or smaller MIDI files.`,
      );
    const written = await this.#write(async () => {
      await mkdir(dirname(this.#draftFile), { recursive: true });
      await writeFileAtomic(this.#draftFile, archive);
    });
    if (written.ok) return ok(null);
    return fail(
      'lessons/draft-not-saved',
      `Cantus could not save the draft (${written.error}). Check that the disk is not full, then try again.`,
    );
  }

  /** Folders of lessons/ holding a pack.json, by name; null when lessons/ cannot be read. */
  async #builtInFolders(): Promise<string[] | null> {
    let entries;
    try {
      entries = await readdir(this.#lessonsDir, { withFileTypes: true });
    } catch {
      return null;
    }
    const folders: string[] = [];
    for (const e of entries)
      if (e.isDirectory() && (await isFile(join(this.#lessonsDir, e.name, PACK_JSON)))) folders.push(e.name);
    return folders.sort();
  }

  /** Ids of the imported packs (`<id>.zip` in packs/), sorted. */
  async #importedIds(): Promise<string[]> {
    const names = await readdir(this.#packsDir).catch(() => [] as string[]);
    return names
      .filter((n) => n.endsWith('.zip') && ID_PATTERN.test(n.slice(0, -4)))
      .map((n) => n.slice(0, -4))
      .sort();
  }

  /** Resolves once every write asked for so far is done (the app waits for it when quitting). */
  async idle(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.#writes;
      await seen.catch(() => undefined);
    } while (seen !== this.#writes);
  }

  /** Runs one write after the others; failures come back as their error code. */
  #write(run: () => Promise<void>): Promise<{ ok: true } | { ok: false; error: string }> {
    const result = this.#writes.then(run).then(
      () => ({ ok: true }) as const,
      (e: unknown) => ({ ok: false, error: String(errorCode(e) ?? 'unknown error') }) as const,
    );
    this.#writes = result;
    return result;
  }
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
