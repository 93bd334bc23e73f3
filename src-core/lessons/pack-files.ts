/**
 * A lesson pack's files, held in memory as a map from path inside the pack to bytes, and
 * the limits and path rules that keep an untrusted pack harmless. The CLI and the app
 * read a folder or a zip archive into this map at the edge; everything after is pure.
 *
 * Paths are relative, separated by "/", and may not leave the pack: no "..", no leading
 * "/", no backslashes, no drive letters or colons, no control characters. Zip archives
 * are opened with fflate (see readPackArchive): the work of opening one is bounded by
 * PACK_LIMITS, whatever the archive claims.
 */
import { Unzip, UnzipInflate, unzipSync, zipSync, type Zippable } from 'fflate';
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
 * Checks a map of files built by a caller (a folder walk, a test, a window's draft): every
 * path normal and inside the pack, no two names the same apart from case, no file with
 * the name of a folder, counts and sizes within PACK_LIMITS. Returns the problems, if any.
 * A pack that passes can be written as a folder or an archive and read back unchanged,
 * also on computers whose file names ignore case. `folders` are folders the pack holds
 * beyond those its files' paths imply (an archive's folder entries).
 */
export function checkPackFiles(
  files: PackFiles,
  where: string,
  folders: readonly string[] = [],
): PackProblem[] {
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
  const plain: string[] = [];
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
    plain.push(path);
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
  problems.push(...nameClashes(plain, folders));
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
 * Names that could not both be kept in a folder on every computer: two files whose names
 * differ only in case, and a file named like a folder ("a" beside "a/b.mid"). Paths are normal.
 */
function nameClashes(paths: readonly string[], folders: readonly string[]): PackProblem[] {
  const problems: PackProblem[] = [];
  // Lower-cased folder path -> the folder as first written.
  const folderOf = new Map<string, string>();
  for (const path of [...paths, ...folders.map((f) => `${f}/`)]) {
    const parts = path.split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join('/');
      const first = folderOf.get(folder.toLowerCase());
      if (first === undefined) folderOf.set(folder.toLowerCase(), folder);
      else if (first !== folder) {
        problems.push(
          packProblem(
            'lessons/duplicate-entry',
            path.endsWith('/') ? folder : path,
            '',
            `the folder "${folder}" is also written "${first}"; some computers take names that differ only in upper and lower case as one, so write it the same way everywhere.`,
          ),
        );
        break;
      }
    }
  }
  const fileOf = new Map<string, string>();
  for (const path of paths) {
    const key = path.toLowerCase();
    const same = fileOf.get(key);
    if (same !== undefined)
      problems.push(
        packProblem(
          'lessons/duplicate-entry',
          path,
          '',
          `the pack also has "${same}", whose name differs only in upper and lower case; some computers cannot keep both, so rename one.`,
        ),
      );
    else fileOf.set(key, path);
    const folder = folderOf.get(key);
    if (folder !== undefined)
      problems.push(
        packProblem(
          'lessons/file-and-folder',
          path,
          '',
          `the pack also has a folder "${folder}"; a file and a folder cannot share a name (even in different case), so rename one.`,
        ),
      );
  }
  return problems;
}

/** An archive entry as its directory lists it. */
interface ListedEntry {
  /** The name as stored, which the entry's own header must repeat. */
  readonly name: string;
  /** The name as a path inside the pack (for a folder, without the trailing "/"). */
  readonly path: string;
  readonly folder: boolean;
  readonly compression: number;
  /** Compressed and unpacked sizes, in bytes. */
  readonly size: number;
  readonly originalSize: number;
}

/**
 * Archive bytes handed to the unzipper at a time. Deflate expands its input at most about
 * a thousandfold, so one piece can never unpack to more than a few MB, whatever it claims.
 */
const PIECE_BYTES = 4096;

/**
 * Opens a pack shared as a zip archive. `archive` is its name, used in messages.
 *
 * Three passes, each bounded by PACK_LIMITS rather than by what the archive claims:
 * 1. the end record's entry count is read (claimedEntryCount), and more than
 *    `maxEntries` refuses the archive before anything walks its directory;
 * 2. the directory is listed (fflate's unzipSync with a filter that inflates nothing),
 *    and every name, compression method and declared size is checked;
 * 3. the archive is fed to fflate's streaming Unzip in small pieces. Each entry it meets
 *    must match a listed one, and its unpacked bytes are counted as they come: the
 *    archive is refused the moment an entry passes its declared size, and when an entry
 *    ends up smaller. Every listed entry must be met exactly once, so directory entries
 *    that share one entry's data, or that have no data, are refused too.
 */
export function readPackArchive(
  bytes: Uint8Array,
  archive: string,
): { readonly files: PackFiles | null; readonly problems: readonly PackProblem[] } {
  const problems: PackProblem[] = [];
  const refuse = (code: string, file: string, text: string) =>
    problems.push(packProblem(code, file, '', text));
  const notZip = () =>
    refuse(
      'lessons/bad-archive',
      archive,
      'the file is not a zip archive Cantus can open (it may be damaged or not a zip at all).',
    );
  const tooMany = () =>
    refuse(
      'lessons/too-many-files',
      archive,
      `the archive holds more than ${PACK_LIMITS.maxEntries} entries; a lesson pack may hold at most ${PACK_LIMITS.maxEntries}.`,
    );
  if (bytes.length > PACK_LIMITS.maxArchiveBytes) {
    refuse(
      'lessons/archive-too-large',
      archive,
      `the archive is ${formatSize(bytes.length)}; a lesson pack may be at most ${formatSize(PACK_LIMITS.maxArchiveBytes)}.`,
    );
    return { files: null, problems };
  }
  const claimed = claimedEntryCount(bytes);
  if (claimed === null) {
    notZip();
    return { files: null, problems };
  }
  if (claimed > PACK_LIMITS.maxEntries) {
    tooMany();
    return { files: null, problems };
  }
  const listed = listEntries(bytes, archive, refuse, tooMany);
  if (listed === null) {
    notZip();
    return { files: null, problems };
  }
  if (problems.length > 0) return { files: null, problems };
  const files = unpackEntries(bytes, archive, listed, refuse, notZip, tooMany);
  if (files === null || problems.length > 0) return { files: null, problems };
  const folders = listed.filter((e) => e.folder).map((e) => e.path);
  return { files, problems: checkPackFiles(files, archive, folders) };
}

/**
 * How many entries the archive's end record claims, read as fflate's unzipSync reads it
 * (from the ZIP64 end record when there is one), or null when there is no end record.
 * unzipSync walks its directory once per claimed entry, so this is checked first.
 */
function claimedEntryCount(bytes: Uint8Array): number | null {
  // Little-endian reads where bytes past either end count as 0, as in fflate.
  const u16 = (at: number) => (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8);
  const u32 = (at: number) => (u16(at) | (u16(at + 2) << 16)) >>> 0;
  const END = 0x06054b50;
  const END64_LOCATOR = 0x07064b50;
  const END64 = 0x06064b50;
  // The end record is 22 bytes plus a comment of at most 65535.
  let end = -1;
  for (let at = bytes.length - 22; at >= 0 && bytes.length - at <= 22 + 65535 + 2; at--)
    if (u32(at) === END) {
      end = at;
      break;
    }
  if (end < 0) return null;
  const count = u16(end + 8);
  if (count === 0 || u32(end - 20) !== END64_LOCATOR) return count;
  const end64 = u32(end - 12);
  return u32(end64) === END64 ? Math.max(count, u32(end64 + 32)) : count;
}

/**
 * The archive's directory, with each entry's path, method and declared size checked
 * (problems go to `refuse`). Inflates nothing. Null when fflate cannot read the directory.
 */
function listEntries(
  bytes: Uint8Array,
  archive: string,
  refuse: (code: string, file: string, text: string) => void,
  tooMany: () => void,
): ListedEntry[] | null {
  const listed: ListedEntry[] = [];
  let entries = 0;
  let declaredTotal = 0;
  const seen = new Set<string>();
  try {
    unzipSync(bytes, {
      filter(info) {
        entries++;
        if (entries > PACK_LIMITS.maxEntries) {
          if (entries === PACK_LIMITS.maxEntries + 1) tooMany();
          return false;
        }
        const entry = { compression: info.compression, size: info.size, originalSize: info.originalSize };
        if (info.name.endsWith('/') && info.originalSize === 0) {
          // A folder entry: check its path, keep nothing.
          const folder = normalizePackPath(info.name.slice(0, -1));
          if (!folder.ok) refuse('lessons/bad-path', archive, `the entry ${folder.error.message}; refused.`);
          else listed.push({ ...entry, name: info.name, path: folder.value, folder: true });
          return false;
        }
        if (info.name.includes('\uFFFD')) {
          // fflate puts U+FFFD where a name flagged as UTF-8 is not valid UTF-8.
          refuse(
            'lessons/bad-path',
            archive,
            `the entry "${printable(info.name)}" has a name that is not valid UTF-8; refused. Make the archive again with a zip program that writes UTF-8 names.`,
          );
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
          // Said once, however many entries come after the limit.
          if (declaredTotal - info.originalSize <= PACK_LIMITS.maxTotalBytes)
            refuse(
              'lessons/pack-too-large',
              archive,
              `the files unpack to more than ${formatSize(PACK_LIMITS.maxTotalBytes)} together; a lesson pack may hold at most that.`,
            );
          return false;
        }
        listed.push({ ...entry, name: info.name, path, folder: false });
        return false;
      },
    });
  } catch {
    return null;
  }
  return listed;
}

/**
 * Unpacks the listed entries by streaming the archive through fflate's Unzip, counting
 * each entry's bytes as they come (see readPackArchive). Stops at the first problem, which
 * goes to `refuse`; null then. Files are keyed by path; folder entries hold nothing.
 */
function unpackEntries(
  bytes: Uint8Array,
  archive: string,
  listed: readonly ListedEntry[],
  refuse: (code: string, file: string, text: string) => void,
  notZip: () => void,
  tooMany: () => void,
): Map<string, Uint8Array> | null {
  const byName = new Map(listed.map((e) => [e.name, e]));
  const met = new Set<string>();
  const finished = new Set<string>();
  const files = new Map<string, Uint8Array>();
  let stopped = false;
  const stop = (code: string, file: string, text: string) => {
    if (!stopped) refuse(code, file, text);
    stopped = true;
  };
  const damaged = 'the archive is damaged or was altered; refused.';
  const unzip = new Unzip((file) => {
    if (stopped) return;
    if (met.size >= PACK_LIMITS.maxEntries) {
      tooMany();
      stopped = true;
      return;
    }
    const entry = byName.get(file.name);
    if (entry === undefined || met.has(file.name)) {
      stop(
        'lessons/bad-archive',
        archive,
        `the archive holds an entry "${printable(file.name)}" ${entry === undefined ? 'that its directory does not list' : 'twice'}; ${damaged}`,
      );
      return;
    }
    met.add(file.name);
    // Archives written as a stream give sizes only in the directory; others must agree with it.
    if (
      file.compression !== entry.compression ||
      (file.originalSize !== undefined &&
        (file.originalSize !== entry.originalSize || file.size !== entry.size))
    ) {
      stop(
        'lessons/bad-archive',
        entry.path,
        `the entry's own header and the archive's directory disagree about its size or compression; ${damaged}`,
      );
      return;
    }
    const chunks: Uint8Array[] = [];
    let length = 0;
    file.ondata = (error, data, final) => {
      if (stopped) return;
      if (error) {
        stop('lessons/bad-archive', entry.path, `the entry's data cannot be unpacked; ${damaged}`);
        return;
      }
      length += data.length;
      if (length > entry.originalSize) {
        file.terminate();
        stop(
          'lessons/bad-archive',
          entry.path,
          `the entry unpacks to more than the ${sizeText(entry.originalSize)} the archive declares for it; ${damaged}`,
        );
        return;
      }
      chunks.push(data);
      if (!final) return;
      if (length !== entry.originalSize) {
        stop(
          'lessons/bad-archive',
          entry.path,
          `the entry unpacks to ${sizeText(length)}, but the archive declares ${sizeText(entry.originalSize)}; ${damaged}`,
        );
        return;
      }
      finished.add(file.name);
      if (!entry.folder) files.set(entry.path, joinChunks(chunks, length));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < bytes.length && !stopped; at += PIECE_BYTES) {
      const end = Math.min(at + PIECE_BYTES, bytes.length);
      unzip.push(bytes.subarray(at, end), end === bytes.length);
    }
  } catch {
    if (!stopped) notZip();
    return null;
  }
  if (stopped) return null;
  const missing = listed.find((e) => !finished.has(e.name));
  if (missing !== undefined) {
    refuse(
      'lessons/bad-archive',
      missing.path,
      `the archive's directory lists this ${missing.folder ? 'folder' : 'file'}, but the archive holds no data of its own for it; ${damaged}`,
    );
    return null;
  }
  return files;
}

/** "1 byte", "512 bytes", "2 MB". */
function sizeText(bytes: number): string {
  return bytes < 1024 ? `${bytes} byte${bytes === 1 ? '' : 's'}` : formatSize(bytes);
}

function joinChunks(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.length === length) return chunks[0]!.slice();
  const joined = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  return joined;
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
