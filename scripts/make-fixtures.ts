/**
 * Writes the MIDI test fixtures defined in test/fixtures/midi/definitions.ts.
 * Run with `npx tsx scripts/make-fixtures.ts`; commit the .mid files it writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FIXTURES } from '../test/fixtures/midi/definitions.ts';

const folder = fileURLToPath(new URL('../test/fixtures/midi/', import.meta.url));
for (const fixture of FIXTURES) {
  const bytes = fixture.build();
  writeFileSync(folder + fixture.file, bytes);
  console.log(`${fixture.file.padEnd(24)} ${String(bytes.length).padStart(5)} bytes  ${fixture.description}`);
}
