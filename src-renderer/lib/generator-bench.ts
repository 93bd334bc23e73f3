/**
 * Times generation in the browser exactly as the app runs it (the same worker, engine and
 * messages), for `npm run bench:generate`. Only the browser test build includes this file.
 */
import type { Melody } from '../../src-core/music/melody.ts';
import type { FromGenerator, ToGenerator } from './generator-protocol.ts';
import { BASIC_MODEL_ID } from '../../src-core/model/model-id.ts';
import { builtInModelUrl } from './generator.svelte.ts';

/** The basic model, which the bench also runs through magenta.js. */
const MODEL_URL = builtInModelUrl(BASIC_MODEL_ID);

/** Milliseconds from request to result for each run (the first, which loads the model, is not timed). */
export async function timeGeneration(
  primer: Melody,
  steps: number,
  variations: number,
  runs: number,
): Promise<number[]> {
  const worker = new Worker(new URL('../workers/generate-worker.ts', import.meta.url), { type: 'module' });
  const once = (id: number) =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      worker.onmessage = (event: MessageEvent<FromGenerator>) => {
        const m = event.data;
        if (m.id !== id) return;
        if (m.type === 'result') resolve(performance.now() - started);
        else if (m.type === 'error') reject(new Error(m.message));
      };
      worker.postMessage({
        type: 'generate',
        id,
        modelUrl: new URL(MODEL_URL, document.baseURI).href,
        primer,
        steps,
        temperature: 1,
        variations,
        seed: id,
        steer: [],
        beam: null,
      } satisfies ToGenerator);
    });
  try {
    await once(0);
    const times: number[] = [];
    for (let i = 1; i <= runs; i++) times.push(await once(i));
    return times;
  } finally {
    worker.terminate();
  }
}
