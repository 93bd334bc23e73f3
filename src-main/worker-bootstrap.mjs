// Starts a worker from TypeScript sources under Node (command line, tests): `workerData.entry`
// names its file, relative to src-main. The Electron build bundles each worker directly and
// does not use this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(new URL(workerData.entry, import.meta.url).href);
