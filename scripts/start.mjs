#!/usr/bin/env node
// `npm start`. Plain JavaScript, so that even an old Node gets one plain line instead of a
// syntax error: Cantus's development server (Vite 8) needs Node 20.19, and fetching Electron's
// binary needs 22.12 (checked in start/checks.ts, only when a fetch is needed). Then tsx loads
// the TypeScript in start/run.ts, as bin/cantus.mjs does for the command line.
import { fileURLToPath } from 'node:url';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(
    `Node ${process.versions.node} is too old to run Cantus: it needs Node 22.12 or later (see .nvmrc).\n`,
  );
  process.exit(1);
}
try {
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
  const { start } = await import('./start/run.ts');
  process.exitCode = await start(process.cwd(), process.argv.slice(2), process.env);
} catch (error) {
  process.stderr.write(
    `npm start: could not start (${error instanceof Error ? error.message : String(error)}).\n`,
  );
  process.exitCode = 1;
}
