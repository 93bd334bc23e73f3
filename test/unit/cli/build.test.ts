/**
 * The built command line (src-cli/build.mjs, run by `npm ci` through `prepare`): built here into
 * a temporary folder, it answers as the sources do, and `info` and `analyze` never load tfjs,
 * neither in the bundle's static imports nor at run time. `likelihood`, which needs the model,
 * shows the run-time probe does see tfjs when it loads.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../../src-cli/build.mjs';
import { main } from '../../../src-cli/main.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = 'test/fixtures/midi/folk-d-major.mid';
const MODEL_PACKAGES = /^@tensorflow\/|^@magenta\//;

let dir = '';
let metafile: Metafile;
let entry = '';

beforeAll(async () => {
  // Inside the project, as out/cli is: the bundle finds tfjs in node_modules from where it lies,
  // and the sources' own paths (the model folder, package.json) relative to them.
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  dir = mkdtempSync(join(cache, 'cantus-cli-build-'));
  const built = await buildCli(join(dir, 'cli'));
  if (!built) throw new Error('esbuild is not installed');
  ({ metafile, entry } = built);
  writeFileSync(
    join(dir, 'run.mjs'),
    `const { runFromProcess } = await import(${JSON.stringify(new URL(`file://${entry}`).href)});\nawait runFromProcess();\n`,
  );
  // Loaded at start (--import); on exit, prints which model packages' files Node loaded.
  writeFileSync(
    join(dir, 'probe.mjs'),
    [
      "import { createRequire } from 'node:module';",
      'const require = createRequire(import.meta.url);',
      "process.on('exit', () => {",
      '  const loaded = Object.keys(require.cache).filter((p) => /[\\\\/]node_modules[\\\\/](@tensorflow|@magenta)[\\\\/]/.test(p));',
      '  process.stderr.write(`PROBE ${JSON.stringify(loaded.length)}\\n`);',
      '});',
    ].join('\n'),
  );
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the built CLI in a new node process, with the probe; `models` is the probe's count. */
function runBuilt(...args: string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
  models: number;
} {
  const result = spawnSync(
    process.execPath,
    ['--import', join(dir, 'probe.mjs'), join(dir, 'run.mjs'), ...args],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  const probe = /^PROBE (\d+)$/m.exec(result.stderr);
  if (!probe) throw new Error(`the probe did not report: ${result.stderr}`);
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr.replace(/^PROBE \d+\n/m, ''),
    models: Number(probe[1]),
  };
}

async function runSources(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Every package or output file `from` imports, following static imports only when `staticOnly`. */
function reachable(from: string, staticOnly: boolean): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    for (const imp of metafile.outputs[file]?.imports ?? []) {
      if (staticOnly && imp.kind !== 'import-statement') continue;
      if (seen.has(imp.path)) continue;
      seen.add(imp.path);
      visit(imp.path);
    }
  };
  visit(from);
  return seen;
}

describe('the built command line', () => {
  it("imports no model package statically; the model commands' chunks do", () => {
    const out = relative(root, entry).split('\\').join('/');
    expect(Object.keys(metafile.outputs)).toContain(out);
    const eager = [...reachable(out, true)];
    expect(eager.filter((p) => MODEL_PACKAGES.test(p))).toEqual([]);
    // abcjs and zod are large too: loaded only for ABC files and lesson packs.
    const eagerInputs = eager
      .concat(out)
      .flatMap((file) => Object.keys(metafile.outputs[file]?.inputs ?? {}));
    expect(eagerInputs.filter((p) => /node_modules\/(abcjs|zod)\//.test(p))).toEqual([]);
    const lazy = [...reachable(out, false)];
    expect(lazy).toContain('@tensorflow/tfjs');
  });

  it.each(
    [
      ['info', FIXTURE],
      ['info', FIXTURE, '--json'],
      ['analyze', FIXTURE],
      ['analyze', 'test/fixtures/real/triplets-4-4.abc'],
      ['--version'],
    ].map((args) => [args.join(' '), args] as const),
  )('cantus %s answers as the sources do and loads no model package', async (_line, args) => {
    const built = runBuilt(...args);
    const sources = await runSources(...args);
    expect(built.stderr).toBe(sources.stderr);
    expect(built.stdout).toBe(sources.stdout);
    expect(built.status).toBe(sources.code);
    expect(built.models).toBe(0);
  });

  it('loads tfjs for likelihood, from the model Cantus ships, which the probe sees', () => {
    const built = runBuilt('likelihood', FIXTURE, '--json');
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    expect(JSON.parse(built.stdout)).toMatchObject([{ file: FIXTURE, steps: expect.any(Number) }]);
    expect(built.models).toBeGreaterThan(0);
  });
});
