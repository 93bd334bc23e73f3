/**
 * The published JSON Schema of pack.json, generated from the zod schemas so the two never
 * disagree. Teachers' editors use lessons/pack.schema.json (written by
 * scripts/lessons/write-schema.ts; a test checks it is up to date).
 */
import { z } from 'zod';
import { PackSchema } from './schema.ts';

/** The JSON Schema of pack.json as a plain object. */
export function packJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PackSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return { ...schema, title: 'Cantus lesson pack (pack.json, format version 1)' };
}

/** The schema as the text of lessons/pack.schema.json. */
export function packJsonSchemaText(): string {
  return `${JSON.stringify(packJsonSchema(), null, 2)}\n`;
}
