#!/usr/bin/env node
// The `cantus` command. Registers tsx so Node loads the TypeScript sources directly (no
// build step after `npm ci`), then hands over to src-cli/main.ts. The project's own
// tsconfig is named explicitly, so running from another folder changes nothing.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
try {
  const { runFromProcess } = await import('../src-cli/main.ts');
  await runFromProcess();
} catch (error) {
  // Only reached if the CLI itself fails to load; keep it to one line.
  process.stderr.write(
    `cantus: could not start (${error instanceof Error ? error.message : String(error)}).\n`,
  );
  process.exitCode = 1;
}
