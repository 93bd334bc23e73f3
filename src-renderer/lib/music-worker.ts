/**
 * The window's side of the music workers (workers/music-worker.ts): one worker, and one job at a
 * time, for each kind of job (opening a file, analysing), so that starting a job, or `cancel`,
 * can end the one before it of the same kind by stopping its worker (the only way to stop work
 * in a worker) without touching the other kind.
 */
import type { Analysis } from '../../src-core/analysis/analyze.ts';
import type { Melody } from '../../src-core/music/melody.ts';
import type { FromMusic, ToMusic } from './music-protocol.ts';

type Kind = ToMusic['type'];
type Opened = Extract<FromMusic, { type: 'opened' }>['result'];

interface Job {
  readonly worker: Worker;
  readonly resolve: (value: FromMusic | null) => void;
}

export class MusicWorker {
  readonly #jobs = new Map<Kind, Job>();
  #next = 1;

  /** Opens MIDI bytes off the window's thread: the file, its melody and that melody's score. Null when cancelled. */
  async open(bytes: Uint8Array): Promise<Opened | null> {
    const reply = await this.#ask({ type: 'open', id: 0, bytes });
    if (!reply) return null;
    if (reply.type === 'opened') return reply.result;
    return { ok: false, message: reply.type === 'failed' ? reply.message : 'The file could not be read.' };
  }

  /** Analyses `melody` off the window's thread; null when cancelled, or when it failed. */
  async analyse(melody: Melody): Promise<Analysis | null> {
    const reply = await this.#ask({ type: 'analyse', id: 0, melody });
    return reply?.type === 'analysed' ? reply.analysis : null;
  }

  /** Stops the job of `kind` (every job without one); its promise resolves to null. */
  cancel(kind?: Kind): void {
    for (const [k, job] of [...this.#jobs]) {
      if (kind !== undefined && k !== kind) continue;
      this.#jobs.delete(k);
      job.worker.terminate();
      job.resolve(null);
    }
  }

  #ask(request: ToMusic): Promise<FromMusic | null> {
    this.cancel(request.type);
    const id = this.#next++;
    const worker = new Worker(new URL('../workers/music-worker.ts', import.meta.url), { type: 'module' });
    return new Promise((resolve) => {
      const done = (value: FromMusic | null): void => {
        if (this.#jobs.get(request.type)?.worker === worker) this.#jobs.delete(request.type);
        worker.terminate();
        resolve(value);
      };
      this.#jobs.set(request.type, { worker, resolve });
      worker.onmessage = (event: MessageEvent<FromMusic>) => done(event.data);
      worker.onerror = () => done({ type: 'failed', id, message: 'The music worker stopped unexpectedly.' });
      worker.postMessage({ ...request, id });
    });
  }
}
