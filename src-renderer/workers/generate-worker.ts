/**
 * The generation worker: loads the melody model on tfjs's WebAssembly backend (its .wasm files
 * served by the app itself) and continues melodies off the main thread, reporting progress and
 * stopping when asked. Replies are matched to requests by id. Chord models (chord_pitches_improv)
 * run through magenta.js's MusicRNN on the same tfjs (src-engine/magenta-chords.ts).
 */
// First, before any schema is built (see the file).
import '../lib/zod-jitless.ts';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { buildLesson } from '../../src-core/lessons/build-lesson.ts';
import { continueMelody, melodyLogLikelihood, type StepModel } from '../../src-core/model/generate.ts';
import { loadCheckpoint, type ReadModelFile } from '../../src-core/model/load-checkpoint.ts';
import { CHORDS_EXAMPLE, parseChords } from '../../src-core/model/chord-progression.ts';
import { fail, ok, type Result } from '../../src-core/result.ts';
import type { Melody } from '../../src-core/music/melody.ts';
import { createLstmStepModel } from '../../src-engine/lstm-step-model.ts';
import { openChordModel, type ChordMelodyModel } from '../../src-engine/magenta-chords.ts';
import { browserMusicRnn } from '../../src-engine/magenta-chords-browser.ts';
import type { FromGenerator, ToGenerator } from '../lib/generator-protocol.ts';

const post = (message: FromGenerator) => self.postMessage(message);
/** A model ready to write: Cantus's own engine, or magenta.js for a chord model. */
type Engine =
  | { readonly kind: 'steps'; readonly model: StepModel }
  | { readonly kind: 'chords'; readonly model: ChordMelodyModel };
const models = new Map<string, Promise<Engine>>();
const cancelled = new Set<number>();

async function startEngine(): Promise<void> {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  });
  // Without 'wasm-unsafe-eval' in the page's policy this returns false; never fall back silently.
  if (!(await tf.setBackend('wasm'))) throw new Error('The WebAssembly engine could not start.');
  await tf.ready();
}
let engine: Promise<void> | null = null;

function modelReader(url: string): ReadModelFile {
  const base = new URL(url.endsWith('/') ? url : `${url}/`, self.location.href);
  return async (name) => {
    try {
      const response = await fetch(new URL(name, base));
      return response.ok
        ? ok(new Uint8Array(await response.arrayBuffer()))
        : fail('model/read', `${name} is not there`);
    } catch {
      return fail('model/read', `${name} could not be fetched`);
    }
  };
}

function engineFor(url: string): Promise<Engine> {
  let loading = models.get(url);
  if (!loading) {
    loading = (async () => {
      engine ??= startEngine();
      await engine;
      const checkpoint = await loadCheckpoint(modelReader(url), url);
      if (!checkpoint.ok)
        throw new Error(
          `Cantus's melody model could not be loaded, so it cannot write melodies. ${checkpoint.error.message} Reinstalling Cantus puts the model back.`,
        );
      if (!checkpoint.value.chords)
        return { kind: 'steps', model: createLstmStepModel(tf, checkpoint.value) } as const;
      const opened = await openChordModel(await browserMusicRnn(), url, checkpoint.value);
      if (!opened.ok) throw new Error(opened.error.message);
      return { kind: 'chords', model: opened.value } as const;
    })();
    models.set(url, loading);
    loading.catch(() => models.delete(url));
  }
  return loading;
}

/** Cantus's own engine for `url`; a chord model cannot score notes or write lessons. */
async function model(url: string): Promise<StepModel> {
  const engine = await engineFor(url);
  if (engine.kind === 'steps') return engine.model;
  throw new Error(
    'This model writes melodies over chords, so it cannot do this: choose one of the built-in models for lessons and for how surprising each note is.',
  );
}

/** Continues with a chord model over the chords the window sent. */
function writeOverChords(
  m: ChordMelodyModel,
  id: number,
  message: Extract<ToGenerator, { type: 'generate' }>,
): Promise<Result<Melody[]>> {
  const chords = parseChords((message.chords ?? []).join(' '));
  if (!chords.ok)
    return Promise.resolve(
      message.chords?.length
        ? chords
        : fail(
            'generate/needs-chords',
            `This model writes melodies over chords: write them in the Chords field, one a bar (for example ${CHORDS_EXAMPLE}).`,
          ),
    );
  return m.continue(message.primer, {
    steps: message.steps,
    temperature: message.temperature,
    variations: message.variations,
    chords: chords.value,
    onProgress: (done, total) => post({ type: 'progress', id, done, total }),
    cancelled: () => cancelled.has(id),
  });
}

/**
 * Lets queued messages (a cancel) in between steps. A MessageChannel turn, not setTimeout,
 * which browsers clamp to 4 ms once nested.
 */
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const breathe = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });

self.onmessage = async (event: MessageEvent<ToGenerator>) => {
  const message = event.data;
  if (message.type === 'cancel') {
    cancelled.add(message.id);
    return;
  }
  const { id } = message;
  try {
    if (message.type === 'lesson') {
      const generates = message.lesson.melody.source === 'generate';
      const built = await buildLesson(message.lesson, {
        files: new Map(Object.entries(message.files)),
        file: 'pack.json',
        path: message.path,
        model: generates ? await model(message.modelUrl) : null,
        seed: message.seed,
      });
      if (!built.ok) return post({ type: 'error', id, code: built.error.code, message: built.error.message });
      return post({ type: 'lesson', id, built: built.value });
    }
    if (message.type === 'generate') {
      const engine = await engineFor(message.modelUrl);
      if (engine.kind === 'chords') {
        post({ type: 'loaded', id });
        const result = await writeOverChords(engine.model, id, message);
        cancelled.delete(id);
        if (result.ok) post({ type: 'result', id, melodies: result.value });
        else post({ type: 'error', id, code: result.error.code, message: result.error.message });
        return;
      }
    }
    const m = await model(message.modelUrl);
    post({ type: 'loaded', id });
    if (message.type === 'score') {
      // A long tune takes seconds: let a cancel in between steps, and say how far it is.
      let since = 0;
      const scored = await melodyLogLikelihood(
        {
          ...m,
          step: async (input) => {
            if (++since % 16 === 0) await breathe();
            return m.step(input);
          },
        },
        message.melody,
        {
          onProgress: (done, total) => {
            if (done % 32 === 0 || done === total) post({ type: 'progress', id, done, total });
          },
          cancelled: () => cancelled.has(id),
        },
      );
      cancelled.delete(id);
      if (!scored.ok)
        return post({ type: 'error', id, code: scored.error.code, message: scored.error.message });
      // A note's probability is that of its onset event at its first step.
      const probabilities = message.melody.notes.map((n) =>
        n.start === 0 || n.start >= scored.value.perStep.length
          ? null
          : Math.exp(scored.value.perStep[n.start]!),
      );
      return post({ type: 'scored', id, probabilities });
    }
    let since = 0;
    const result = await continueMelody(
      {
        ...m,
        step: async (input) => {
          if (++since % 8 === 0) await breathe();
          return m.step(input);
        },
      },
      message.primer,
      {
        steps: message.steps,
        temperature: message.temperature,
        variations: message.variations,
        seed: message.seed,
        steer: message.steer,
        ...(message.beam ? { beam: message.beam } : {}),
        onProgress: (done, total) => {
          if (done % 8 === 0 || done === total) post({ type: 'progress', id, done, total });
        },
        cancelled: () => cancelled.has(id),
      },
    );
    cancelled.delete(id);
    if (result.ok) post({ type: 'result', id, melodies: result.value });
    else post({ type: 'error', id, code: result.error.code, message: result.error.message });
  } catch (err) {
    post({
      type: 'error',
      id,
      code: 'generate/failed',
      message: err instanceof Error && err.message ? err.message : 'The melody model could not run.',
    });
  }
};
