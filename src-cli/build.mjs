#!/usr/bin/env node
// `npm run build:cli` (and `prepare`, so `npm ci` runs it): bundles the command line into
// out/cli/cantus.mjs with esbuild, so `cantus` starts without compiling TypeScript.
//
// - Packages that must load from node_modules stay outside the bundle: tfjs and magenta.js
//   (large, and needed only by generate and likelihood, which import them lazily), the native
//   MIDI library, and tsx (play's scheduler worker still starts from the sources through it).
// - esbuild cannot leave a static import of an outside package inside a lazily loaded module of
//   a single file: it would hoist `import "@tensorflow/tfjs"` to the top. So the build splits:
//   cantus.mjs holds what every command needs, and each `await import()` becomes a chunk beside
//   it (with the code such chunks share).
// - Every bundled source file keeps its own `import.meta.url`/`dirname`/`filename` (they are
//   rewritten to point at the source file from the bundle's folder), so paths the sources
//   resolve relative to themselves (../package.json, ../resources/models, the worker bootstrap)
//   mean what they mean when run with tsx.
// - inputs.json lists the source files built from; bin/cantus.mjs runs the sources instead
//   when any of them is newer than the bundle.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Packages loaded from node_modules at run time rather than bundled. */
export const EXTERNAL = ['@tensorflow/*', '@magenta/*', '@julusian/midi', 'tsx', 'tsx/*'];

/** Rewrites import.meta.url/dirname/filename in project sources to the source file's location. */
function sourceLocationPlugin(outdir) {
  return {
    name: 'cantus-source-location',
    setup(build) {
      build.onLoad({ filter: /\.(ts|mjs|js)$/ }, async (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.')) return undefined;
        const fromOut = relative(outdir, args.path).split(sep).join('/');
        const url = `new URL(${JSON.stringify(fromOut)}, import.meta.url)`;
        const contents = text
          .replace(/\bimport\.meta\.url\b/g, `${url}.href`)
          .replace(/\bimport\.meta\.filename\b/g, `__cantusPath(${url})`)
          .replace(/\bimport\.meta\.dirname\b/g, `__cantusDirname(__cantusPath(${url}))`);
        return { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
      });
    },
  };
}

/**
 * Builds the command line into `outdir` (default out/cli); resolves to the entry file's path and
 * esbuild's metafile (what went into each output file, and what each one imports).
 * Returns null, after saying why, when esbuild is not installed (an install without dev
 * dependencies): bin/cantus.mjs then runs the sources.
 */
export async function buildCli(outdir = join(root, 'out', 'cli')) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    process.stderr.write('build:cli: esbuild is not installed; cantus will run from the sources with tsx.\n');
    return null;
  }
  await rm(outdir, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { cantus: 'src-cli/main.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
    // Chunks lie beside cantus.mjs: the import.meta rewrite below counts from this folder.
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    // Bundled CommonJS packages (midi-file) call require(); give the bundle one.
    banner: {
      js: [
        "import { createRequire as __cantusRequire } from 'node:module';",
        "import { dirname as __cantusDirname } from 'node:path';",
        "import { fileURLToPath as __cantusPath } from 'node:url';",
        'const require = __cantusRequire(import.meta.url);',
      ].join('\n'),
    },
    plugins: [sourceLocationPlugin(outdir)],
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules/'));
  await mkdir(outdir, { recursive: true });
  await writeFile(join(outdir, 'inputs.json'), `${JSON.stringify(inputs, null, 1)}\n`);
  return { entry: join(outdir, 'cantus.mjs'), metafile: result.metafile };
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  try {
    const built = await buildCli(process.argv[2] ? resolve(process.argv[2]) : undefined);
    if (built) process.stdout.write(`build:cli: wrote ${relative(process.cwd(), built.entry)}\n`);
  } catch (error) {
    process.stderr.write(`build:cli: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
