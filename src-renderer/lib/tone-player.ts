/**
 * In-app sound with Tone.js: the only file that knows Tone. Plays a melody on a soft synth,
 * on Tone's transport so tempo changes apply while playing, and reports which note sounds
 * (for the score highlight) in step with the audio, through Tone's Draw scheduler.
 */
import * as Tone from 'tone';
import { barGrid } from '../../src-core/music/bars.ts';
import { clockSteps, playingTimes } from '../../src-core/music/tempo.ts';
import { secondsPerStep, type Bpm, type Melody } from '../../src-core/music/melody.ts';

export interface PlaybackCallbacks {
  /** The melody note now sounding, or null in a rest. */
  onNote(index: number | null): void;
  /** 0-based bar now playing. */
  onBar(bar: number): void;
  /** Playback reached the end (not called on stop). */
  onEnd(): void;
  /** Playback could not go on; the message says why and what to do. */
  onError(message: string): void;
}

/** Things that play melodies: Tone here, MIDI devices later. */
export interface NoteOutput {
  play(melody: Melody, tempo: Bpm, callbacks: PlaybackCallbacks): Promise<void>;
  setTempo(tempo: Bpm): void;
  stop(): void;
  dispose(): void;
}

const TICKS_PER_STEP = 48; // Tone's transport runs at 192 ticks per quarter note.

/** The in-app instrument: a soft triangle-wave synth. Live playback and offline rendering share it. */
function makeSynth(): Tone.PolySynth {
  return new Tone.PolySynth(Tone.Synth, {
    oscillator: { type: 'triangle8' },
    envelope: { attack: 0.01, decay: 0.15, sustain: 0.5, release: 0.35 },
    volume: -10,
  });
}

/** Plays every note of `melody` on `synth`, scheduled on `transport` in ticks; returns the event ids. */
function scheduleNotes(
  transport: ReturnType<typeof Tone.getTransport>,
  synth: Tone.PolySynth,
  melody: Melody,
  onNote?: (index: number, time: number) => void,
): number[] {
  // Triplets on their true thirds, and tempo changes as steps at the first tempo (music/tempo.ts).
  const times = playingTimes(melody);
  return melody.notes.map((note, index) =>
    transport.schedule(
      (time) => {
        const { start, end } = times[index]!;
        const seconds = (end - start) * secondsPerStep(transport.bpm.value) * 0.95;
        synth.triggerAttackRelease(
          Tone.Frequency(note.pitch, 'midi').toFrequency(),
          seconds,
          time,
          note.velocity / 127,
        );
        onNote?.(index, time);
      },
      `${Math.round(times[index]!.start * TICKS_PER_STEP)}i`,
    ),
  );
}

/** Renders `melody` to audio without a sound card (mono, 44.1 kHz), with the in-app instrument. */
export async function renderMelody(
  melody: Melody,
  tempo: Bpm,
): Promise<{ samples: Float32Array; sampleRate: number }> {
  const seconds = clockSteps(melody)(melody.length) * secondsPerStep(tempo) + 0.5;
  const buffer = await Tone.Offline(
    ({ transport }) => {
      transport.PPQ = TICKS_PER_STEP * 4;
      transport.bpm.value = tempo;
      scheduleNotes(transport, makeSynth().toDestination(), melody);
      transport.start(0);
    },
    seconds,
    1,
    44100,
  );
  return { samples: buffer.getChannelData(0), sampleRate: buffer.sampleRate };
}

export class TonePlayer implements NoteOutput {
  #synth: Tone.PolySynth | null = null;
  #click: Tone.MembraneSynth | null = null;
  #scheduled: number[] = [];

  async play(melody: Melody, tempo: Bpm, callbacks: PlaybackCallbacks): Promise<void> {
    this.stop();
    await Tone.start();
    const transport = Tone.getTransport();
    transport.PPQ = TICKS_PER_STEP * 4;
    transport.bpm.value = tempo;
    const synth = (this.#synth ??= makeSynth().toDestination());
    const draw = Tone.getDraw();
    const clock = clockSteps(melody);
    const at = (step: number) => `${Math.round(clock(step) * TICKS_PER_STEP)}i`;

    this.#scheduled.push(
      ...scheduleNotes(transport, synth, melody, (index, time) =>
        draw.schedule(() => callbacks.onNote(index), time),
      ),
    );
    melody.notes.forEach((note, index) => {
      const next = melody.notes[index + 1];
      if (!next || next.start > note.end) {
        this.#scheduled.push(
          transport.schedule((time) => draw.schedule(() => callbacks.onNote(null), time), at(note.end)),
        );
      }
    });
    barGrid(melody).bars.forEach((bar, b) => {
      if (bar.start >= melody.length) return;
      this.#scheduled.push(
        transport.schedule((time) => draw.schedule(() => callbacks.onBar(b), time), at(bar.start)),
      );
    });
    this.#scheduled.push(
      transport.schedule((time) => {
        draw.schedule(() => {
          this.stop();
          callbacks.onEnd();
        }, time);
      }, at(melody.length)),
    );
    // A short lead-in so the first note is not clipped while the audio graph wakes up.
    transport.start('+0.05', 0);
  }

  setTempo(tempo: Bpm): void {
    Tone.getTransport().bpm.value = tempo;
  }

  /** Count-in clicks at the given epoch times (ms); accented clicks are higher. */
  async click(times: readonly { at: number; accent: boolean }[]): Promise<void> {
    await Tone.start();
    const click = (this.#click ??= new Tone.MembraneSynth({
      pitchDecay: 0.008,
      octaves: 2,
      envelope: { attack: 0.001, decay: 0.08, sustain: 0 },
      volume: -6,
    }).toDestination());
    const epochNow = performance.timeOrigin + performance.now();
    const toneNow = Tone.now();
    for (const { at, accent } of times) {
      const when = toneNow + (at - epochNow) / 1000;
      if (when >= toneNow) click.triggerAttackRelease(accent ? 'C6' : 'G5', 0.05, when);
    }
  }

  stop(): void {
    const transport = Tone.getTransport();
    transport.stop();
    for (const id of this.#scheduled.splice(0)) transport.clear(id);
    transport.position = 0;
    Tone.getDraw().cancel();
    this.#synth?.releaseAll();
  }

  dispose(): void {
    this.stop();
    this.#synth?.dispose();
    this.#synth = null;
    this.#click?.dispose();
    this.#click = null;
  }
}
