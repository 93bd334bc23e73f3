/**
 * A lesson pack's files, held in memory as a map from path inside the pack to bytes, and
 * the limits and path rules that keep an untrusted pack harmless. The CLI and the app
 * read a folder or a zip archive into this map at the edge; everything after is pure.
 *
 * Paths are relative, separated by "/", and may not leave the pack: no "..", no leading
 * "/", no backslashes, no drive letters or colons, no control characters. Zip archives
 * are opened with fflate; each entry's declared size is checked before it is inflated,
 * and inflation never writes past that declared size, so a zip bomb cannot grow.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { fail, ok, type Result } from '../result.ts';

/** Path inside the pack -> file bytes. Keys are normalised (see normalizePackPath). */
export type PackFiles = ReadonlyMap<string, Uint8Array>;

/** The bounds put on any pack Cantus opens. Far above a real classroom pack. */
export const PACK_LIMITS = {
  /** Largest archive, in bytes (20 MB). */
  maxArchiveBytes: 20 * 1024 * 1024,
  /** Most files (zip entries or files in a folder). */
  maxEntries: 200,
  /** Largest pack.json (1 MB). */
  maxPackJsonBytes: 1024 * 1024,
  /** Largest MIDI file, or any other file (2 MB). */
  maxFileBytes: 2 * 1024 * 1024,
  /** Most bytes all files may hold together once inflated (40 MB). */
  maxTotalBytes: 40 * 1024 * 1024,
  /** Longest path inside the pack, and most folders deep. */
  maxPathLength: 255,
  maxDepth: 8,
} as const;

export const PACK_JSON = 'pack.json';

/** A problem with one file of a pack; `path` is the JSON path inside it ("" for the whole file). */
export interface PackProblem {
  readonly code: string;
  /** The file, as a path inside the pack (or the archive's name). */
  readonly file: string;
  /** JSON path such as "lessons[2].questions[0].kind", or "" when about the whole file. */
  readonly path: string;
  /** A plain sentence naming the file and field, and what to do. */
  readonly message: string;
}

/** Builds a problem whose message starts with the file and field. */
export function packProblem(code: string, file: string, path: string, text: string): PackProblem {
  return { code, file, path, message: `${path === '' ? file : `${file}, ${path}`}: ${text}` };
}

/**
 * Normalises a path inside a pack, or says why it is refused. "./a.mid" becomes "a.mid".
 * @example normalizePackPath('midi/../../evil.mid') // fails: leaves the pack
 */
export function normalizePackPath(raw: string): Result<string> {
  const refuse = (why: string) => fail<string>('lessons/bad-path', `"${printable(raw)}" ${why}`);
  if (raw.length === 0) return refuse('is an empty path');
  if (raw.length > PACK_LIMITS.maxPathLength)
    return refuse(`is longer than ${PACK_LIMITS.maxPathLength} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return refuse('contains control characters');
  if (raw.includes('\\')) return refuse('uses backslashes; paths in a pack use "/"');
  if (raw.startsWith('/')) return refuse('is an absolute path; paths in a pack are relative to it');
  if (raw.includes(':')) return refuse('contains ":" (a drive letter or a special name)');
  const parts = raw.split('/').filter((p) => p !== '.');
  if (parts.some((p) => p === '..')) return refuse('leaves the pack ("..")');
  if (parts.some((p) => p === '' || p === '~' || /^\.+$/.test(p) || p.endsWith(' ') || p.endsWith('.')))
    return refuse('has an empty or special name in it');
  // Zip libraries keep entries in plain objects, where this name would change the object itself.
  if (parts.includes('__proto__')) return refuse('uses the reserved name "__proto__"');
  if (parts.length === 0) return refuse('names no file');
  if (parts.length > PACK_LIMITS.maxDepth) return refuse(`is more than ${PACK_LIMITS.maxDepth} folders deep`);
  return ok(parts.join('/'));
}

/** Largest size allowed for the file at `path`. */
export function maxBytesFor(path: string): number {
  return path === PACK_JSON ? PACK_LIMITS.maxPackJsonBytes : PACK_LIMITS.maxFileBytes;
}

/** "2 MB", "900 KB". */
export function formatSize(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (mib >= 1) return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The text of a path or name made safe to print (control characters shown as "?"). */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 300);
}

/**
 * Checks a map of files built by a caller (a folder walk, a test): every path normal and
 * inside the pack, counts and sizes within PACK_LIMITS. Returns the problems, if any.
 */
export function checkPackFiles(files: PackFiles, where: string): PackProblem[] {
  const problems: PackProblem[] = [];
  if (files.size > PACK_LIMITS.maxEntries)
    problems.push(
      packProblem(
        'lessons/too-many-files',
        where,
        '',
        `the pack has ${files.size} files; at most ${PACK_LIMITS.maxEntries} are allowed.`,
      ),
    );
  let total = 0;
  for (const [path, bytes] of files) {
    const normal = normalizePackPath(path);
    if (!normal.ok || normal.value !== path) {
      problems.push(
        packProblem(
          'lessons/bad-path',
          printable(path),
          '',
          normal.ok ? 'the path is not written in its plain form.' : `${normal.error.message}; refused.`,
        ),
      );
      continue;
    }
    total += bytes.length;
    const max = maxBytesFor(path);
    if (bytes.length > max)
      problems.push(
        packProblem(
          'lessons/file-too-large',
          path,
          '',
          `the file is ${formatSize(bytes.length)}; files like it may be at most ${formatSize(max)}.`,
        ),
      );
  }
  if (total > PACK_LIMITS.maxTotalBytes)
    problems.push(
      packProblem(
        'lessons/pack-too-large',
        where,
        '',
        `the files hold ${formatSize(total)} together; at most ${formatSize(PACK_LIMITS.maxTotalBytes)} is allowed.`,
      ),
    );
  return problems;
}

/**
 * Opens a pack shared as a zip archive. `archive` is its name, used in messages.
 * Sizes and counts are checked from the archive's directory before anything is inflated.
 */
export function readPackArchive(
  bytes: Uint8Array,
  archive: string,
): { readonly files: PackFiles | null; readonly problems: readonly PackProblem[] } {
  const problems: PackProblem[] = [];
  const refuse = (code: string, file: string, text: string) =>
    problems.push(packProblem(code, file, '', text));
  if (bytes.length > PACK_LIMITS.maxArchiveBytes) {
    refuse(
      'lessons/archive-too-large',
      archive,
      `the archive is ${formatSize(bytes.length)}; a lesson pack may be at most ${formatSize(PACK_LIMITS.maxArchiveBytes)}.`,
    );
    return { files: null, problems };
  }
  let entries = 0;
  let declaredTotal = 0;
  const seen = new Set<string>();
  let unzipped: Record<string, Uint8Array>;
  try {
    unzipped = unzipSync(bytes, {
      filter(info) {
        entries++;
        if (entries > PACK_LIMITS.maxEntries) {
          if (entries === PACK_LIMITS.maxEntries + 1)
            refuse(
              'lessons/too-many-files',
              archive,
              `the archive holds more than ${PACK_LIMITS.maxEntries} entries; a lesson pack may hold at most ${PACK_LIMITS.maxEntries}.`,
            );
          return false;
        }
        if (info.name.endsWith('/') && info.originalSize === 0) {
          // A folder entry: check its path, keep nothing.
          const folder = normalizePackPath(info.name.slice(0, -1));
          if (!folder.ok) refuse('lessons/bad-path', archive, `the entry ${folder.error.message}; refused.`);
          return false;
        }
        const normal = normalizePackPath(info.name);
        if (!normal.ok) {
          refuse('lessons/bad-path', archive, `the entry ${normal.error.message}; refused.`);
          return false;
        }
        const path = normal.value;
        const key = path.toLowerCase();
        if (seen.has(key)) {
          refuse(
            'lessons/duplicate-entry',
            path,
            'the archive holds this file twice (names differing only in case count as the same).',
          );
          return false;
        }
        seen.add(key);
        if (info.compression !== 0 && info.compression !== 8) {
          refuse(
            'lessons/bad-archive',
            path,
            'the entry is compressed in a way Cantus does not read; save the archive with ordinary zip compression.',
          );
          return false;
        }
        const max = maxBytesFor(path);
        if (info.originalSize > max) {
          refuse(
            'lessons/file-too-large',
            path,
            `the file is ${formatSize(info.originalSize)} once unpacked; files like it may be at most ${formatSize(max)}.`,
          );
          return false;
        }
        declaredTotal += info.originalSize;
        if (declaredTotal > PACK_LIMITS.maxTotalBytes) {
          refuse(
            'lessons/pack-too-large',
            archive,
            `the files unpack to more than ${formatSize(PACK_LIMITS.maxTotalBytes)} together; a lesson pack may hold at most that.`,
          );
          return false;
        }
        return problems.length === 0;
      },
    });
  } catch {
    refuse(
      'lessons/bad-archive',
      archive,
      'the file is not a zip archive Cantus can open (it may be damaged or not a zip at all).',
    );
    return { files: null, problems };
  }
  if (problems.length > 0) return { files: null, problems };
  const files = new Map<string, Uint8Array>();
  for (const [name, data] of Object.entries(unzipped)) {
    const normal = normalizePackPath(name);
    if (normal.ok) files.set(normal.value, data);
  }
  return { files, problems: checkPackFiles(files, archive) };
}

/**
 * The fixed time stamped on every entry of an archive Cantus writes. Built from local time,
 * as zip stores it, so the same files give the same bytes in every time zone.
 */
const ARCHIVE_MTIME = new Date(2000, 0, 1);

/**
 * Writes a pack as one zip archive, the form packs are shared in. The bytes depend only on
 * the files: pack.json comes first, then the rest by path, all stamped with the same time.
 * Check the files first (validatePack, or checkPackFiles for a draft); this only packs them.
 */
export function writePackArchive(files: PackFiles): Uint8Array {
  const order = (path: string) => (path === PACK_JSON ? '' : path);
  const sorted = [...files].sort(([a], [b]) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  const entries: Zippable = {};
  for (const [path, bytes] of sorted) entries[path] = bytes;
  return zipSync(entries, { level: 6, mtime: ARCHIVE_MTIME });
}
