#!/usr/bin/env node
// The `cantus` command. Runs the build in out/cli (made by `npm run build:cli`, which `npm ci`
// runs through `prepare`) when it is there and no source file it was built from has changed
// since; otherwise registers tsx and runs the TypeScript sources, as during development.
// CANTUS_CLI=sources always runs the sources; CANTUS_CLI=build always runs the build, failing
// if it is missing or older than the sources (bench:cli compares the two).
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const built = new URL('out/cli/cantus.mjs', root);

/** True when the build exists and is newer than every source file it was built from. */
function isBuildCurrent() {
  try {
    const builtAt = statSync(built).mtimeMs;
    const inputs = JSON.parse(readFileSync(new URL('out/cli/inputs.json', root), 'utf8'));
    return inputs.every((path) => statSync(new URL(path, root)).mtimeMs <= builtAt);
  } catch {
    return false; // no build, or a source file moved: the sources are the truth
  }
}

async function loadSources() {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    throw new Error('the command line is not built and tsx is not installed; run "npm run build:cli"');
  }
  // The project's own tsconfig is named explicitly, so running from another folder changes nothing.
  register({ tsconfig: fileURLToPath(new URL('tsconfig.json', root)) });
  return import('../src-cli/main.ts');
}

try {
  const want = process.env.CANTUS_CLI;
  const fromBuild = want !== 'sources' && isBuildCurrent();
  if (want === 'build' && !fromBuild)
    throw new Error('out/cli is missing or older than the sources; run "npm run build:cli"');
  const { runFromProcess } = fromBuild ? await import(built.href) : await loadSources();
  await runFromProcess();
} catch (error) {
  // Only reached if the CLI itself fails to load; keep it to one line.
  process.stderr.write(
    `cantus: could not start (${error instanceof Error ? error.message : String(error)}).\n`,
  );
  process.exitCode = 1;
}
