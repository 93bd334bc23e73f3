/** Creates the scheduler worker inside the Electron build (electron-vite bundles it as its own file). */
import { Worker } from 'node:worker_threads';
import workerPath from './scheduler-worker.ts?modulePath';
import type { SchedulerShared } from './scheduler-protocol.ts';

export function createElectronSchedulerWorker(shared: SchedulerShared): Worker {
  return new Worker(workerPath, { workerData: shared });
}
