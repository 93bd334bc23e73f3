/**
 * MIDI devices for the host API: port lists (watched, so the window's output menu follows
 * devices as they come and go), one open output, playback with the score highlight fed back
 * as events, and the notice when a device goes away.
 */
import type { Worker } from 'node:worker_threads';
import type { EventChannel } from '../../src-core/ipc/channels.ts';
import type { EventPayload } from '../../src-core/ipc/contract.ts';
import { makeMelody, type Bpm, type Melody } from '../../src-core/music/melody.ts';
import { fail, ok, type Result } from '../../src-core/result.ts';
import { DevicePlayer } from './device-player.ts';
import { MidiInputs } from './midi-input.ts';
import { CallResponse, type AnswerSettings } from './call-response.ts';
import { continueMelody, type StepModel } from '../../src-core/model/generate.ts';
import { performance } from 'node:perf_hooks';
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
  /** The melody model call and response answers with (loaded when first needed). */
  readonly loadModel: () => Promise<Result<StepModel>>;
}

export class MidiService {
  readonly #deps: MidiServiceDeps;
  readonly #player: DevicePlayer;
  readonly #inputs: MidiInputs;
  readonly #answers: CallResponse;
  #model: Promise<Result<StepModel>> | null = null;
  #firstNote: (() => void) | null = null;
  #watch: ReturnType<typeof setInterval> | null = null;
  #last = '';

  constructor(deps: MidiServiceDeps) {
    this.#deps = deps;
    this.#inputs = new MidiInputs({
      emit: (event, payload) => {
        deps.emit(event, payload);
        if (event === 'midi:input') this.#answers.receive(payload as EventPayload<'midi:input'>);
      },
      load: () => (deps.load ?? loadMidiModule)(),
    });
    this.#answers = new CallResponse({
      generate: async (phrase, steps, temperature, seed) => {
        this.#model ??= deps.loadModel();
        const model = await this.#model;
        if (!model.ok) {
          this.#model = null;
          return model;
        }
        const result = await continueMelody(model.value, phrase, { steps, temperature, variations: 1, seed });
        return result.ok ? ok(result.value[0]!) : result;
      },
      play: (melody, settings: AnswerSettings, onFirstNote) => {
        this.#firstNote = onFirstNote;
        return this.#player.play(melody, {
          channel: settings.channel,
          program: settings.program,
          tempo: settings.tempo,
        });
      },
      emit: (event) => deps.emit('midi:answer', event),
      now: () => performance.timeOrigin + performance.now(),
      random: Math.random,
    });
    this.#player = new DevicePlayer({
      createWorker: deps.createWorker,
      listOutputs: () => {
        const ports = this.#list();
        return ports.ok ? ok(ports.value.outputs) : ports;
      },
      onEvent: (event) => {
        if (event.kind === 'note') {
          if (event.index === 0 && this.#firstNote) {
            this.#firstNote();
            this.#firstNote = null;
          }
          deps.emit('midi:note', { index: event.index });
        } else if (event.kind === 'unplugged')
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

  /** Stops what plays on the device; resolves once the scheduler has stopped and silenced it. */
  stop(): Promise<void> {
    return this.#player.stop();
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
    this.#answers.stop();
    this.#inputs.close();
  }

  /** Call and response on (answer each phrase played on the open input) or off. */
  answerMode(settings: AnswerSettings | null): Result<null> {
    if (settings === null) {
      this.#answers.stop();
      return ok(null);
    }
    if (!this.#inputs.openInput) return fail('midi/no-input', 'Choose a MIDI keyboard to play to first.');
    if (settings.onDevice && !this.#player.openPort)
      return fail('midi/not-open', 'Choose a MIDI output for the answers first.');
    // Load the model now, and run it once, so the first answer does not wait for either.
    this.#model ??= this.#deps.loadModel().then(async (model) => {
      if (model.ok)
        await continueMelody(model.value, makeMelody({ notes: [] }), {
          steps: 16,
          temperature: 1,
          variations: 1,
          seed: 0,
        });
      return model;
    });
    this.#answers.start(settings, this.#model);
    return ok(null);
  }

  /** The window has played an answer on the in-app synth. */
  answered(): void {
    this.#answers.answered();
  }

  async dispose(): Promise<void> {
    if (this.#watch) clearInterval(this.#watch);
    this.#watch = null;
    this.#answers.stop();
    this.#inputs.close();
    void this.#model?.then((m) => m.ok && m.value.dispose());
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
