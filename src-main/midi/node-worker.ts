/** Creates the scheduler worker when Cantus runs from sources under Node (command line, tests). */
import { Worker } from 'node:worker_threads';
import type { SchedulerShared } from './scheduler-protocol.ts';

export function createNodeSchedulerWorker(shared: SchedulerShared): Worker {
  return new Worker(new URL('../worker-bootstrap.mjs', import.meta.url), {
    workerData: { ...shared, entry: './midi/scheduler-worker.ts' },
  });
}
