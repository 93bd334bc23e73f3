/** Makes the pack-check worker: bundled by electron-vite in the app, from sources under Node. */
import { Worker } from 'node:worker_threads';
import electronWorkerPath from './pack-check-worker.ts?modulePath';

/** Inside the Electron build (electron-vite bundles the worker as its own file). */
export function createElectronPackCheckWorker(): Worker {
  return new Worker(electronWorkerPath);
}
