/** The pack-check worker (see pack-check.ts): validates the packs main sends it, one at a time. */
import { parentPort } from 'node:worker_threads';
import { validatePack } from '../../src-core/lessons/validate.ts';
import type { PackCheckReply, PackCheckRequest } from './pack-check.ts';

const port = parentPort;
if (!port) throw new Error('pack-check-worker must run in a worker thread');
port.on('message', ({ id, where, files }: PackCheckRequest) => {
  port.postMessage({ id, validation: validatePack(new Map(files), where) } satisfies PackCheckReply);
});
