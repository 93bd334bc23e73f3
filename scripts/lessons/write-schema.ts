/** Writes lessons/pack.schema.json from the zod schemas, laid out by Prettier: `npx tsx scripts/lessons/write-schema.ts`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { packJsonSchemaText } from '../../src-core/lessons/json-schema.ts';

async function main(): Promise<void> {
  const target = fileURLToPath(new URL('../../lessons/pack.schema.json', import.meta.url));
  const options = (await resolveConfig(target)) ?? {};
  writeFileSync(target, await format(packJsonSchemaText(), { ...options, filepath: target }));
  console.log(`Wrote ${target}`);
}

void main();
