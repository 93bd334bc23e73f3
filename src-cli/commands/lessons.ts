/**
 * `cantus lessons validate PACK...` and `cantus lessons list PACK`: check lesson packs
 * (a folder or a .zip archive) and list their lessons. Reading stays here, at the edge:
 * a folder is walked without following links, within the pack limits, into an in-memory
 * map; the pure validator in src-core/lessons does the rest.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  formatSize,
  maxBytesFor,
  normalizePackPath,
  packProblem,
  PACK_LIMITS,
  readPackArchive,
  type PackFiles,
  type PackProblem,
} from '../../src-core/lessons/pack-files.ts';
import { validatePack, type PackValidation } from '../../src-core/lessons/validate.ts';
import { EXIT, UsageError, type CliOutput, type Command } from '../command.ts';

/** Reads a pack folder into memory: regular files only, links refused, limits checked before reading. */
export async function readPackFolder(
  root: string,
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
        problems.push(packProblem('lessons/bad-path', root, '', `${normal.error.message}; refused.`));
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
              root,
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
            root,
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

/** Reads and validates a pack at `path` (folder or .zip). Never throws. */
export async function checkPack(path: string): Promise<PackValidation> {
  try {
    const info = await lstat(path);
    let read: { files: PackFiles | null; problems: readonly PackProblem[] };
    if (info.isDirectory()) read = await readPackFolder(path);
    else if (info.isFile()) {
      if (info.size > PACK_LIMITS.maxArchiveBytes)
        return {
          pack: null,
          problems: [
            packProblem(
              'lessons/archive-too-large',
              path,
              '',
              `the archive is ${formatSize(info.size)}; a lesson pack may be at most ${formatSize(PACK_LIMITS.maxArchiveBytes)}.`,
            ),
          ],
        };
      read = readPackArchive(new Uint8Array(await readFile(path)), path);
    } else
      return {
        pack: null,
        problems: [
          packProblem('lessons/not-a-pack', path, '', 'this is neither a folder nor a zip archive.'),
        ],
      };
    if (!read.files) return { pack: null, problems: read.problems };
    const validation = validatePack(read.files, path);
    return { pack: validation.pack, problems: [...read.problems, ...validation.problems] };
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'there is no such file or folder'
        : code === 'EACCES'
          ? 'permission was refused'
          : 'it could not be read';
    return { pack: null, problems: [packProblem('lessons/unreadable', path, '', `${why}.`)] };
  }
}

const HELP = `Usage: cantus lessons validate PACK...
       cantus lessons list PACK

Checks lesson packs (a folder holding pack.json, or a .zip archive of one), or lists a
pack's lessons. validate exits 0 when every pack is valid, else 1, printing one line per
problem with the file and the field.

Options:
  -h, --help   show this help
`;

async function validate(paths: readonly string[], out: CliOutput): Promise<number> {
  let failed = false;
  for (const path of paths) {
    const { pack, problems } = await checkPack(path);
    if (pack && problems.length === 0) {
      out.stdout(`${path}: valid (${pack.lessons.length} lesson${pack.lessons.length === 1 ? '' : 's'})\n`);
    } else {
      failed = true;
      for (const p of problems) out.stderr(`${path}: ${p.message}\n`);
    }
  }
  return failed ? EXIT.failed : EXIT.ok;
}

async function list(path: string, out: CliOutput): Promise<number> {
  const { pack, problems } = await checkPack(path);
  if (!pack) {
    for (const p of problems) out.stderr(`${path}: ${p.message}\n`);
    return EXIT.failed;
  }
  out.stdout(`${pack.title} (${pack.id} ${pack.version}, by ${pack.author}, ${pack.language})\n`);
  pack.lessons.forEach((lesson, i) => {
    const source = lesson.melody.source === 'generate' ? 'generated' : 'fixed';
    out.stdout(
      `  ${i + 1}. ${lesson.id}: ${lesson.title} (${source} melody; ${lesson.questions.map((q) => q.kind).join(', ')})\n`,
    );
  });
  return EXIT.ok;
}

export const lessonsCommand: Command = {
  name: 'lessons',
  summary: 'Validate lesson packs, or list the lessons in one',
  help: HELP,
  async run(args: readonly string[], out: CliOutput): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { help: { type: 'boolean', short: 'h', default: false } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      out.stdout(HELP);
      return EXIT.ok;
    }
    const [action, ...packs] = positionals;
    if (action === 'validate') {
      if (packs.length === 0) throw new UsageError('missing PACK (usage: cantus lessons validate PACK...)');
      return validate(packs, out);
    }
    if (action === 'list') {
      if (packs.length !== 1) throw new UsageError('give one PACK (usage: cantus lessons list PACK)');
      return list(packs[0]!, out);
    }
    throw new UsageError(
      action === undefined
        ? 'missing action: validate or list'
        : `unknown action "${action}": use validate or list`,
    );
  },
};
