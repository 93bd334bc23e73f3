/** Makes the pack-check worker when Cantus runs from sources under Node (tests, the web build's host). */
import { Worker } from 'node:worker_threads';

export function createNodePackCheckWorker(): Worker {
  return new Worker(new URL('../worker-bootstrap.mjs', import.meta.url), {
    workerData: { entry: './services/pack-check-worker.ts' },
  });
}
