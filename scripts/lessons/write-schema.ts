/** Writes lessons/pack.schema.json from the zod schemas: `npx tsx scripts/lessons/write-schema.ts`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { packJsonSchemaText } from '../../src-core/lessons/json-schema.ts';

const target = fileURLToPath(new URL('../../lessons/pack.schema.json', import.meta.url));
writeFileSync(target, packJsonSchemaText());
console.log(`Wrote ${target}`);
