/**
 * `cantus lessons validate PACK...` and `cantus lessons list PACK`: check lesson packs
 * (a folder or a .zip archive) and list their lessons. Reading happens at the edge, in the
 * pack reader the app uses too (src-main/services/pack-library.ts): a folder is walked
 * without following links, within the pack limits, into an in-memory map; the pure
 * validator in src-core/lessons does the rest.
 */
import { parseArgs } from 'node:util';
import type { PackValidation } from '../../src-core/lessons/validate.ts';
import { EXIT, UsageError, type CliOutput, type Command } from '../command.ts';

/** Reads and validates a pack at `path` (folder or .zip). Never throws. */
export async function checkPack(path: string): Promise<PackValidation> {
  // The pack reader brings zod (the lesson schema); only this command needs it.
  const { readPack } = await import('../../src-main/services/pack-library.ts');
  const { pack, problems } = await readPack(path);
  return { pack, problems };
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
