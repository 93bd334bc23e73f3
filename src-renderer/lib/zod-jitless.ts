/**
 * Imported first by the window (main.ts) and by the generation worker, before any module that
 * builds a schema. zod 4 tries `new Function` when it builds its first object schema, to
 * compile faster parsers where eval is allowed; under Cantus's content policy (no
 * 'unsafe-eval') the attempt fails quietly for zod but is still reported as a CSP violation.
 * Jitless zod parses the same without trying.
 */
import { z } from 'zod';

z.config({ jitless: true });
