/**
 * MIDI devices for the host API: port lists (watched, so the window's output menu follows
 * devices as they come and go), one open output, playback with the score highlight fed back
 * as events, and the notice when a device goes away.
 */
import type { Worker } from 'node:worker_threads';
import type { EventChannel } from '../../src-core/ipc/channels.ts';
import type { EventPayload } from '../../src-core/ipc/contract.ts';
import type { Bpm, Melody } from '../../src-core/music/melody.ts';
import { ok, type Result } from '../../src-core/result.ts';
import { DevicePlayer } from './device-player.ts';
import { MidiInputs } from './midi-input.ts';
import { listMidiPorts, type MidiPorts } from './midi-system.ts';
import type { MidiModule } from './midi-module.ts';
import { loadMidiModule } from './midi-module.ts';
import type { SchedulerShared } from './scheduler-protocol.ts';

export type Emit = <E extends EventChannel>(event: E, payload: EventPayload<E>) => void;

export interface MidiServiceDeps {
  readonly createWorker: (shared: SchedulerShared) => Worker;
  readonly emit: Emit;
  readonly load?: () => MidiModule;
  /** How often to look for devices coming and going (ms). */
  readonly watchMs?: number;
}

export class MidiService {
  readonly #deps: MidiServiceDeps;
  readonly #player: DevicePlayer;
  readonly #inputs: MidiInputs;
  #watch: ReturnType<typeof setInterval> | null = null;
  #last = '';

  constructor(deps: MidiServiceDeps) {
    this.#deps = deps;
    this.#inputs = new MidiInputs({ emit: deps.emit, load: () => (deps.load ?? loadMidiModule)() });
    this.#player = new DevicePlayer({
      createWorker: deps.createWorker,
      listOutputs: () => {
        const ports = this.#list();
        return ports.ok ? ok(ports.value.outputs) : ports;
      },
      onEvent: (event) => {
        if (event.kind === 'note') deps.emit('midi:note', { index: event.index });
        else if (event.kind === 'unplugged')
          deps.emit('midi:device-lost', { name: event.name, message: event.message });
      },
    });
  }

  /** Lists ports, and from then on tells the window when the list changes. */
  ports(): Result<MidiPorts> {
    const ports = this.#list();
    if (ports.ok) {
      this.#last = JSON.stringify(ports.value);
      this.#startWatching();
    }
    return ports;
  }

  async openOutput(name: string, virtual: boolean): Promise<Result<null>> {
    const opened = await this.#player.open(name, { virtual });
    return opened.ok ? ok(null) : opened;
  }

  async play(
    melody: Melody,
    options: { channel: number; program: number | null; tempo: Bpm },
  ): Promise<Result<{ finished: boolean }>> {
    return this.#player.play(melody, options);
  }

  stop(): void {
    this.#player.stop();
  }

  panic(): void {
    this.#player.panic();
  }

  setTempo(tempo: Bpm): void {
    this.#player.setTempo(tempo);
  }

  /** Listens to a keyboard; its notes go to the window as `midi:input` events. */
  openInput(name: string): Result<null> {
    return this.#inputs.open(name);
  }

  closeInput(): void {
    this.#inputs.close();
  }

  async dispose(): Promise<void> {
    if (this.#watch) clearInterval(this.#watch);
    this.#watch = null;
    this.#inputs.close();
    await this.#player.dispose();
  }

  #list(): Result<MidiPorts> {
    return listMidiPorts(this.#deps.load ?? loadMidiModule);
  }

  #startWatching(): void {
    if (this.#watch) return;
    this.#watch = setInterval(() => {
      const ports = this.#list();
      if (!ports.ok) return;
      const now = JSON.stringify(ports.value);
      if (now === this.#last) return;
      this.#last = now;
      this.#deps.emit('midi:ports-changed', ports.value);
    }, this.#deps.watchMs ?? 1000);
    this.#watch.unref?.();
  }
}
