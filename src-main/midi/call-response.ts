/**
 * Call and response in the main process, where the keyboard, the model and the device all are:
 * listen to the player; when they have been silent for a bar, continue their phrase with the
 * melody model and play the answer (on the MIDI output, or hand it to the window for the
 * in-app synth), timing how long after the end of the phrase the first answered note sounds;
 * then listen again.
 */
import { stepsPerBar, type Bpm, type Melody, type Meter } from '../../src-core/music/melody.ts';
import { PhraseListener } from '../../src-core/playback/call-response.ts';
import type { ArrivedMessage, EpochMs } from '../../src-core/playback/recording.ts';
import type { Result } from '../../src-core/result.ts';

import type { AnswerPhase } from '../../src-core/ipc/contract.ts';

export type { AnswerPhase };

export interface AnswerEvent {
  readonly phase: AnswerPhase;
  /** The phrase and the answer after it, once there is an answer. */
  readonly melody?: Melody;
  /** Where the answer starts in `melody`, in steps. */
  readonly answerStart?: number;
  /** From the end of the phrase to the first answered note, in ms. */
  readonly latencyMs?: number;
  readonly message?: string;
}

export interface AnswerSettings {
  readonly tempo: Bpm;
  readonly meter: Meter;
  /** Longest answer, in bars (the answer is as long as the phrase, up to this). */
  readonly maxBars: number;
  readonly temperature: number;
  /** True: play the answer on the open MIDI output. False: the window plays it. */
  readonly onDevice: boolean;
  readonly channel: number;
  readonly program: number | null;
}

export interface CallResponseDeps {
  /** The phrase continued by `steps` (phrase plus continuation). */
  readonly generate: (
    phrase: Melody,
    steps: number,
    temperature: number,
    seed: number,
  ) => Promise<Result<Melody>>;
  /** Plays on the MIDI output; `onFirstNote` when the first note has been sent. */
  readonly play: (
    melody: Melody,
    settings: AnswerSettings,
    onFirstNote: () => void,
  ) => Promise<Result<{ finished: boolean }>>;
  readonly emit: (event: AnswerEvent) => void;
  readonly now: () => EpochMs;
  readonly random: () => number;
}

export class CallResponse {
  readonly #deps: CallResponseDeps;
  #settings: AnswerSettings | null = null;
  #phrase: PhraseListener | null = null;
  #phase: AnswerPhase = 'off';
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(deps: CallResponseDeps) {
    this.#deps = deps;
  }

  get phase(): AnswerPhase {
    return this.#phase;
  }

  /**
   * Starts answering. Until `ready` settles (the model loaded and run once) the phase is
   * 'preparing' and the keyboard is not listened to, so the first phrase is never answered late.
   */
  start(settings: AnswerSettings, ready: Promise<unknown> = Promise.resolve()): void {
    this.#settings = settings;
    this.#phrase = new PhraseListener(settings);
    this.#set({ phase: 'preparing' });
    const listen = () => {
      if (this.#settings === settings && this.#phase === 'preparing') this.#listen();
    };
    void ready.then(listen, listen);
    this.#timer ??= setInterval(() => void this.tick(), 20);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#settings = null;
    this.#phrase = null;
    this.#set({ phase: 'off' });
  }

  /** A message from the keyboard. Ignored while Cantus is thinking or answering. */
  receive(message: ArrivedMessage): void {
    if (this.#phase === 'listening') this.#phrase?.add(message);
  }

  /** The answer has been played by the window (in-app synth): listen again. */
  answered(): void {
    if (this.#phase === 'answering') this.#listen();
  }

  /** Note messages kept for the phrase being played (bounded; see PhraseListener). */
  get kept(): number {
    return this.#phrase?.size ?? 0;
  }

  async tick(): Promise<void> {
    const settings = this.#settings;
    const listener = this.#phrase;
    if (!settings || !listener || this.#phase !== 'listening') return;
    const ended = listener.ended(this.#deps.now());
    if (ended === null) return;
    const phrase = listener.melody();
    listener.clear();
    this.#set({ phase: 'thinking' });
    const bar = stepsPerBar(settings.meter);
    const bars = Math.min(settings.maxBars, Math.max(1, Math.round(phrase.length / bar)));
    const generated = await this.#deps.generate(
      phrase,
      bars * bar,
      settings.temperature,
      Math.floor(this.#deps.random() * 2 ** 31),
    );
    if (this.#settings !== settings) return; // stopped meanwhile
    if (!generated.ok) {
      this.#set({ phase: 'listening', message: generated.error.message });
      return this.#listen();
    }
    // The answer starts with its first note: a rest the model began with would only delay it.
    const whole = generated.value;
    const newNotes = whole.notes.filter((n) => n.start >= phrase.length);
    const lead = newNotes[0]?.start ?? phrase.length;
    const answer: Melody = {
      ...whole,
      notes: newNotes.map((n) => ({ ...n, start: n.start - lead, end: n.end - lead })),
      length: whole.length - lead,
    };
    if (!settings.onDevice) {
      // The window plays it and reports the latency itself.
      this.#set({
        phase: 'answering',
        melody: whole,
        answerStart: phrase.length,
        latencyMs: this.#deps.now() - ended,
      });
      return;
    }
    this.#set({ phase: 'answering', melody: whole, answerStart: phrase.length });
    const played = await this.#deps.play(answer, settings, () =>
      this.#deps.emit({
        phase: 'answering',
        melody: whole,
        answerStart: phrase.length,
        latencyMs: this.#deps.now() - ended,
      }),
    );
    if (this.#settings !== settings) return;
    if (!played.ok) this.#set({ phase: 'listening', message: played.error.message });
    this.#listen();
  }

  #listen(): void {
    this.#phrase?.clear();
    this.#set({ phase: 'listening' });
  }

  #set(event: AnswerEvent): void {
    this.#phase = event.phase;
    this.#deps.emit(event);
  }
}
