/**
 * Recording a melody from a MIDI keyboard: choose the input, a one-bar count-in of clicks, then
 * every note played is placed on the grid as it arrives, so the score grows while the player
 * plays. The musical work is src-core/playback/recording.ts; this class keeps the state.
 */
import type { HostApi } from '../../src-core/ipc/contract.ts';
import {
  STEPS_PER_QUARTER,
  stepsPerBar,
  type Bpm,
  type Melody,
  type Meter,
} from '../../src-core/music/melody.ts';
import {
  recordedMelody,
  type ArrivedMessage,
  type EpochMs,
  type RecordingSettings,
} from '../../src-core/playback/recording.ts';

export type RecorderPhase = 'idle' | 'count-in' | 'recording';

export interface RecorderHooks {
  /** Plays the count-in clicks. */
  click(times: readonly { at: EpochMs; accent: boolean }[]): Promise<void>;
  /** The melody so far, while recording. */
  progress(melody: Melody): void;
  error(message: string): void;
}

const epochNow = (): EpochMs => performance.timeOrigin + performance.now();

export class KeyboardRecorder {
  inputs = $state.raw<readonly string[]>([]);
  inputName = $state<string | null>(null);
  phase = $state<RecorderPhase>('idle');
  /** Beats left in the count-in. */
  countdown = $state(0);

  readonly #host: HostApi;
  readonly #hooks: RecorderHooks;
  #messages: ArrivedMessage[] = [];
  #settings: RecordingSettings | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #beatMs = 500;

  constructor(host: HostApi, hooks: RecorderHooks) {
    this.#host = host;
    this.#hooks = hooks;
  }

  async chooseInput(name: string | null): Promise<void> {
    if (name === this.inputName) return;
    this.cancel();
    if (name === null) {
      this.inputName = null;
      await this.#host['midi:close-input']();
      return;
    }
    const reply = await this.#host['midi:open-input']({ name });
    if (!reply.ok) {
      this.inputName = null;
      return this.#hooks.error(reply.error.message);
    }
    this.inputName = name;
  }

  /** Starts the count-in; recording begins on the next downbeat. */
  start(tempo: Bpm, meter: Meter): void {
    if (!this.inputName || this.phase !== 'idle') return;
    const beatSteps =
      meter.denominator === 8 && meter.numerator % 3 === 0 ? 6 : (STEPS_PER_QUARTER * 4) / meter.denominator;
    const beats = stepsPerBar(meter) / beatSteps;
    const beatMs = (beatSteps / STEPS_PER_QUARTER) * (60_000 / tempo);
    const first = epochNow() + 150;
    const clicks = Array.from({ length: beats }, (_, i) => ({ at: first + i * beatMs, accent: i === 0 }));
    this.#settings = { start: first + beats * beatMs, tempo, meter };
    this.#beatMs = beatMs;
    this.#messages = [];
    this.phase = 'count-in';
    this.countdown = beats;
    void this.#hooks.click(clicks);
    this.#timer = setInterval(() => this.#tick(), 100);
  }

  /** A message from the keyboard (the `midi:input` event). */
  receive(message: ArrivedMessage): void {
    if (this.phase === 'idle' || !this.#settings) return;
    this.#messages.push(message);
    if (this.phase === 'recording') this.#hooks.progress(this.#melody());
  }

  /** Ends recording and returns what was played, or null when nothing was. */
  finish(): Melody | null {
    if (this.phase === 'idle' || !this.#settings) return null;
    const melody = this.#melody();
    this.cancel();
    return melody.notes.length > 0 ? melody : null;
  }

  cancel(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.phase = 'idle';
    this.countdown = 0;
    this.#settings = null;
    this.#messages = [];
  }

  /** The keyboard went away. */
  lost(name: string): boolean {
    if (name !== this.inputName) return false;
    this.cancel();
    this.inputName = null;
    return true;
  }

  #melody(): Melody {
    const settings = this.#settings!;
    const melody = recordedMelody(this.#messages, settings, epochNow());
    // The score shows whole bars up to where the player is.
    const reached = Math.max(
      0,
      Math.ceil(((epochNow() - settings.start) / (60_000 / settings.tempo)) * STEPS_PER_QUARTER),
    );
    return { ...melody, length: Math.max(melody.length, reached) };
  }

  #tick(): void {
    const settings = this.#settings;
    if (!settings) return;
    const now = epochNow();
    if (this.phase === 'count-in') {
      this.countdown = Math.max(1, Math.ceil((settings.start - now) / this.#beatMs));
      if (now >= settings.start) this.phase = 'recording';
    } else {
      this.#hooks.progress(this.#melody());
    }
  }
}
