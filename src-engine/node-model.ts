/** Loading a melody model in Node (command line, tests, benchmarks): from a folder or a URL. */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  loadCheckpoint,
  type LoadedCheckpoint,
  type ReadModelFile,
} from '../src-core/model/load-checkpoint.ts';
import type { StepModel } from '../src-core/model/generate.ts';
import { fail, ok, type Result } from '../src-core/result.ts';
import { DEFAULT_MODEL_ID } from '../src-core/model/model-id.ts';
import { createLstmStepModel } from './lstm-step-model.ts';
import { wasmTf } from './node-tf.ts';

/** The model Cantus ships, in the project's resources/models (the command line, tests). */
export const DEFAULT_MODEL_DIR = resolve(import.meta.dirname, '../resources/models', DEFAULT_MODEL_ID);

function folderReader(dir: string): ReadModelFile {
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
export async function readCheckpoint(where: string = DEFAULT_MODEL_DIR): Promise<Result<LoadedCheckpoint>> {
  if (/^https?:\/\//i.test(where)) return loadCheckpoint(urlReader(where), where);
  const info = await stat(where).catch(() => null);
  if (!info?.isDirectory())
    return fail(
      'model/missing',
      `There is no model folder at ${where}. Give the folder that holds config.json and weights_manifest.json.`,
    );
  return loadCheckpoint(folderReader(where), where);
}

/** A ready step model on tfjs's wasm backend. */
export async function loadStepModel(where?: string): Promise<Result<StepModel>> {
  const checkpoint = await readCheckpoint(where);
  if (!checkpoint.ok) return checkpoint;
  const tf = await wasmTf();
  return ok(createLstmStepModel(tf, checkpoint.value));
}
