// Types for build.mjs (plain JavaScript, so that `npm ci` can run it without tsx).
import type { Metafile } from 'esbuild';

/** Packages loaded from node_modules at run time rather than bundled. */
export const EXTERNAL: readonly string[];

/**
 * Builds the command line into `outdir` (default out/cli). Null when esbuild is not installed.
 */
export function buildCli(outdir?: string): Promise<{ entry: string; metafile: Metafile } | null>;
