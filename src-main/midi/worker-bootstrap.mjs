// Starts the scheduler worker from TypeScript sources under Node (command line, tests).
// The Electron build bundles scheduler-worker.ts directly and does not use this file.
import { register } from 'tsx/esm/api';

register();
await import('./scheduler-worker.ts');
