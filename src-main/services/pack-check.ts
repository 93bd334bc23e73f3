/**
 * Checking a lesson pack, away from main's event loop. Validation reads every MIDI file a pack
 * names, and a hostile pack can make that take seconds; in main that would freeze the window and
 * MIDI playback. So the app checks packs in a worker thread (`packCheckWorker`), and remembers
 * each verdict by the content of the files (`rememberVerdicts`): a pack is checked once, and
 * again only when a file of it changes.
 */
import { createHash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { packProblem, type PackFiles } from '../../src-core/lessons/pack-files.ts';
import { validatePack, type PackValidation } from '../../src-core/lessons/validate.ts';

/** Checks the pack whose files are `files`; `where` names it in messages. Never rejects. */
export type PackCheck = (files: PackFiles, where: string) => Promise<PackValidation>;

/** In this thread: the command line and tests, where nothing else waits. */
export const checkPackHere: PackCheck = async (files, where) => validatePack(files, where);

/** Messages to and from the pack-check worker. */
export interface PackCheckRequest {
  readonly id: number;
  readonly where: string;
  readonly files: readonly (readonly [string, Uint8Array])[];
}
export interface PackCheckReply {
  readonly id: number;
  readonly validation: PackValidation;
}

const failed = (where: string): PackValidation => ({
  pack: null,
  problems: [
    packProblem(
      'lessons/internal',
      where,
      '',
      'Cantus could not check this pack (its checker stopped); it was refused. Try again.',
    ),
  ],
});

/** Checks packs in a worker made by `create` (made when first needed, and again after a crash). */
export function packCheckWorker(create: () => Worker): PackCheck & { dispose(): Promise<void> } {
  let worker: Worker | null = null;
  let next = 0;
  const pending = new Map<number, { where: string; resolve: (v: PackValidation) => void }>();
  const failAll = () => {
    for (const { where, resolve } of pending.values()) resolve(failed(where));
    pending.clear();
    worker = null;
  };
  const ensure = (): Worker => {
    if (worker) return worker;
    const w = create();
    w.on('message', (reply: PackCheckReply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      waiting?.resolve(reply.validation);
    });
    w.on('error', failAll);
    w.on('exit', () => {
      if (worker === w) failAll();
    });
    w.unref();
    worker = w;
    return w;
  };
  const check: PackCheck = (files, where) =>
    new Promise((resolve) => {
      const id = ++next;
      pending.set(id, { where, resolve });
      ensure().postMessage({ id, where, files: [...files] } satisfies PackCheckRequest);
    });
  return Object.assign(check, {
    async dispose() {
      const w = worker;
      worker = null;
      failAll();
      await w?.terminate();
    },
  });
}

/** The verdicts of `check`, remembered by the pack's name and the content of its files. */
export function rememberVerdicts(check: PackCheck, keep = 64): PackCheck {
  const verdicts = new Map<string, PackValidation>();
  return async (files, where) => {
    const hash = createHash('sha256').update(where).update('\0');
    for (const [name, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      hash.update(name).update('\0').update(String(bytes.length)).update('\0').update(bytes);
    }
    const key = hash.digest('hex');
    const known = verdicts.get(key);
    if (known) return known;
    const verdict = await check(files, where);
    if (verdicts.size >= keep) verdicts.delete(verdicts.keys().next().value!);
    verdicts.set(key, verdict);
    return verdict;
  };
}
