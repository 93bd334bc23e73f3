/** Loading a melody model in Node (command line, tests, benchmarks): from a folder or a URL. */
import { resolve } from 'node:path';
import type { StepModel } from '../src-core/model/generate.ts';
import { fail, ok, type Result } from '../src-core/result.ts';
import type { LoadedCheckpoint } from '../src-core/model/load-checkpoint.ts';
import { readCheckpoint } from './read-checkpoint.ts';
import { DEFAULT_MODEL_ID } from '../src-core/model/model-id.ts';
import { createLstmStepModel } from './lstm-step-model.ts';
import { wasmTf } from './node-tf.ts';

/** The model Cantus ships, in the project's resources/models (the command line, tests). */
export const DEFAULT_MODEL_DIR = resolve(import.meta.dirname, '../resources/models', DEFAULT_MODEL_ID);

/** A ready step model on tfjs's wasm backend. */
export async function loadStepModel(where: string = DEFAULT_MODEL_DIR): Promise<Result<StepModel>> {
  const checkpoint = await readCheckpoint(where);
  if (!checkpoint.ok) return checkpoint;
  return stepModelOf(checkpoint.value, where);
}

/** Cantus's engine for a checkpoint already read; a chord model is refused in words (magenta-chords.ts runs those). */
export async function stepModelOf(checkpoint: LoadedCheckpoint, where: string): Promise<Result<StepModel>> {
  if (checkpoint.chords)
    return fail(
      'model/needs-chords',
      `The model at ${where} writes melodies over chords (a chord_pitches_improv model); it can only continue a melody over chords you give, as \`cantus generate --chords "C G Am F"\` does.`,
    );
  const tf = await wasmTf();
  return ok(createLstmStepModel(tf, checkpoint));
}
