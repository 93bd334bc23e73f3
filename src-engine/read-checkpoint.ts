/**
 * Reading a melody model's files in Node, from a folder or an http(s) URL, without starting
 * tfjs: the main process checks a folder the user chose with this before the app uses it.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  loadCheckpoint,
  type LoadedCheckpoint,
  type ReadModelFile,
} from '../src-core/model/load-checkpoint.ts';
import { fail, ok, type Result } from '../src-core/result.ts';

/** Reads the files of the model folder `dir` (by name, inside it). */
export function folderReader(dir: string): ReadModelFile {
  return async (name) => {
    try {
      return ok(new Uint8Array(await readFile(join(dir, name))));
    } catch (err) {
      const code = (err as { code?: string }).code;
      return fail('model/read', code === 'ENOENT' ? `${name} is not there` : `${name} could not be read`);
    }
  };
}

function urlReader(base: string): ReadModelFile {
  const root = base.endsWith('/') ? base : `${base}/`;
  return async (name) => {
    try {
      const response = await fetch(new URL(name, root));
      if (!response.ok) return fail('model/read', `${name} answered HTTP ${response.status}`);
      return ok(new Uint8Array(await response.arrayBuffer()));
    } catch {
      return fail('model/read', `${name} could not be fetched`);
    }
  };
}

/** Reads a checkpoint from a folder, or from an http(s) URL. */
export async function readCheckpoint(where: string): Promise<Result<LoadedCheckpoint>> {
  if (/^https?:\/\//i.test(where)) return loadCheckpoint(urlReader(where), where);
  const info = await stat(where).catch(() => null);
  if (!info?.isDirectory())
    return fail(
      'model/missing',
      `There is no model folder at ${where}. Give the folder that holds config.json and weights_manifest.json.`,
    );
  return loadCheckpoint(folderReader(where), where);
}
