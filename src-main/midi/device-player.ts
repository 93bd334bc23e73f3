/**
 * Plays melodies to a MIDI output through the scheduler worker, and watches the device: RtMidi
 * says nothing when a device is unplugged (the port still looks open), so the port names are
 * polled while a port is open, and a missing port stops playback and is reported.
 */
import type { Worker } from 'node:worker_threads';
import type { Bpm, Melody } from '../../src-core/music/melody.ts';
import { melodyMessages, panicMessages } from '../../src-core/playback/midi-messages.ts';
import { fail, ok, type Result } from '../../src-core/result.ts';
import type { FromScheduler, SchedulerShared, ToScheduler } from './scheduler-protocol.ts';
import { STOPPED_THROUGH } from './scheduler-protocol.ts';

export type DeviceEvent =
  | { readonly kind: 'note'; readonly index: number }
  | {
      readonly kind: 'sent';
      readonly bytes: readonly number[];
      readonly deadline: number;
      readonly late: number;
    }
  | { readonly kind: 'unplugged'; readonly name: string; readonly message: string };

export interface DevicePlayerDeps {
  readonly createWorker: (shared: SchedulerShared) => Worker;
  /** Output names now; used to notice a device that went away. */
  readonly listOutputs: () => Result<readonly string[]>;
  readonly onEvent: (event: DeviceEvent) => void;
  /** How often to look for the open device while it is open (ms). */
  readonly pollMs?: number;
}

export interface PlayOptions {
  readonly channel: number;
  readonly program: number | null;
  readonly tempo: Bpm;
  readonly leadInMs?: number;
  readonly reportTiming?: boolean;
}

/** Whether a message from the worker ends play `id` (its end, or an error about it or the worker). */
function answers(m: FromScheduler, id: number): boolean {
  return (m.type === 'done' && m.id === id) || (m.type === 'error' && (m.id === undefined || m.id === id));
}

export class DevicePlayer {
  readonly #deps: DevicePlayerDeps;
  readonly #control = new Int32Array(new SharedArrayBuffer(8));
  readonly #tempo = new Float64Array(new SharedArrayBuffer(8));
  #worker: Worker | null = null;
  #waiting: ((m: FromScheduler) => boolean)[] = [];
  #open: { name: string; virtual: boolean } | null = null;
  #poll: ReturnType<typeof setInterval> | null = null;
  /** Ids of plays: each play's is one more than the last (see STOPPED_THROUGH). */
  #lastId = 0;
  /** The play under way, if any. */
  #current: number | null = null;

  constructor(deps: DevicePlayerDeps) {
    this.#deps = deps;
  }

  get openPort(): string | null {
    return this.#open?.name ?? null;
  }

  get playing(): boolean {
    return this.#current !== null;
  }

  /** Opens an output by name, or a virtual output other programs can listen to. */
  async open(name: string, options: { virtual?: boolean } = {}): Promise<Result<void>> {
    const virtual = options.virtual ?? false;
    if (!virtual) {
      const outputs = this.#deps.listOutputs();
      if (!outputs.ok) return outputs;
      if (!outputs.value.includes(name))
        return fail(
          'midi/no-such-port',
          `There is no MIDI output called “${name}”. Check that the device is plugged in and switched on.`,
        );
    }
    const reply = await this.#request(
      { type: 'open', name, virtual },
      (m) => m.type === 'opened' || m.type === 'error',
    );
    if (reply.type === 'error') return fail(reply.code, reply.message);
    this.#open = { name, virtual };
    if (!virtual) this.#startWatching(name);
    return ok(undefined);
  }

  /**
   * Plays the melody; resolves when it ends or is stopped. A melody still playing is stopped
   * first (the worker finishes silencing it, then starts this one); each play resolves with its
   * own answer.
   */
  async play(melody: Melody, options: PlayOptions): Promise<Result<{ finished: boolean }>> {
    if (!this.#open) return fail('midi/not-open', 'Choose a MIDI output first.');
    void this.stop();
    this.#tempo[0] = options.tempo;
    const id = ++this.#lastId;
    this.#current = id;
    try {
      const reply = await this.#request(
        {
          type: 'play',
          id,
          messages: melodyMessages(melody, { channel: options.channel, program: options.program }),
          channels: [options.channel],
          leadInMs: options.leadInMs ?? 30,
          reportTiming: options.reportTiming ?? false,
        },
        (m) => answers(m, id),
      );
      if (reply.type === 'error') return fail(reply.code, reply.message);
      return ok({ finished: reply.type === 'done' && reply.finished });
    } finally {
      if (this.#current === id) this.#current = null;
    }
  }

  setTempo(tempo: Bpm): void {
    if (tempo > 0) this.#tempo[0] = tempo;
  }

  /**
   * Stops at once; the worker switches off every note still sounding and silences the channel.
   * Resolves when the worker says the play has stopped (at once when nothing plays).
   */
  stop(): Promise<void> {
    const id = this.#current;
    if (id === null || !this.#worker) return Promise.resolve();
    this.#current = null;
    const stopped = new Promise<void>((resolve) => {
      this.#waiting.push((m) => {
        if (!answers(m, id)) return false;
        resolve();
        return true;
      });
    });
    Atomics.store(this.#control, STOPPED_THROUGH, id);
    Atomics.notify(this.#control, STOPPED_THROUGH);
    return stopped;
  }

  /** Silences every channel of the open device. */
  panic(): void {
    void this.stop();
    this.#worker?.postMessage({ type: 'send', messages: panicMessages() } satisfies ToScheduler);
  }

  async close(): Promise<void> {
    this.#stopWatching();
    if (!this.#worker || !this.#open) return;
    await this.stop();
    await this.#request({ type: 'close' }, (m) => m.type === 'closed');
    this.#open = null;
  }

  async dispose(): Promise<void> {
    await this.close();
    await this.#worker?.terminate();
    this.#worker = null;
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = this.#deps.createWorker({
      control: this.#control.buffer as SharedArrayBuffer,
      tempo: this.#tempo.buffer as SharedArrayBuffer,
    });
    worker.on('message', (message: FromScheduler) => {
      if (message.type === 'note') this.#deps.onEvent({ kind: 'note', index: message.index });
      else if (message.type === 'sent')
        this.#deps.onEvent({
          kind: 'sent',
          bytes: message.bytes,
          deadline: message.deadline,
          late: message.late,
        });
      this.#waiting = this.#waiting.filter((accept) => !accept(message));
    });
    worker.on('error', () => {
      // A crashed worker answers every pending request with an error, and a new one is made next time.
      for (const accept of this.#waiting)
        accept({
          type: 'error',
          code: 'midi/worker',
          message: 'MIDI playback stopped unexpectedly. Press Play to try again.',
        });
      this.#waiting = [];
      this.#worker = null;
      this.#open = null;
    });
    this.#worker = worker;
    return worker;
  }

  #request(message: ToScheduler, done: (m: FromScheduler) => boolean): Promise<FromScheduler> {
    const worker = this.#ensureWorker();
    return new Promise((resolve) => {
      this.#waiting.push((m) => {
        if (!done(m)) return false;
        resolve(m);
        return true;
      });
      worker.postMessage(message);
    });
  }

  #startWatching(name: string): void {
    this.#stopWatching();
    this.#poll = setInterval(() => {
      const outputs = this.#deps.listOutputs();
      if (outputs.ok && outputs.value.includes(name)) return;
      this.#stopWatching();
      void this.stop();
      this.#open = null;
      this.#deps.onEvent({
        kind: 'unplugged',
        name,
        message: `The MIDI output “${name}” has gone (unplugged or switched off). Playback stopped; choose another output or the in-app synth.`,
      });
    }, this.#deps.pollMs ?? 250);
    this.#poll.unref?.();
  }

  #stopWatching(): void {
    if (this.#poll) clearInterval(this.#poll);
    this.#poll = null;
  }
}
