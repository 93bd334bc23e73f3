/**
 * Playing on a MIDI device: the melody goes to the main process, which owns the device and
 * times every note in its scheduler thread; the notes it sends come back as events that light
 * the score.
 */
import type { HostApi } from '../../src-core/ipc/contract.ts';
import { barGrid } from '../../src-core/music/bars.ts';
import type { Bpm, Melody } from '../../src-core/music/melody.ts';
import type { NoteOutput, PlaybackCallbacks } from './tone-player.ts';

export interface DeviceSettings {
  /** 0-15 */
  channel: number;
  /** General MIDI program 0-127, or null to keep the device's own sound. */
  program: number | null;
}

export class MidiDeviceOutput implements NoteOutput {
  readonly #host: HostApi;
  readonly #settings: () => DeviceSettings;
  #unsubscribe: (() => void) | null = null;
  #run = 0;

  constructor(host: HostApi, settings: () => DeviceSettings) {
    this.#host = host;
    this.#settings = settings;
  }

  async play(melody: Melody, tempo: Bpm, callbacks: PlaybackCallbacks): Promise<void> {
    this.#unsubscribe?.();
    const run = ++this.#run;
    const grid = barGrid(melody);
    this.#unsubscribe = this.#host.on('midi:note', ({ index }) => {
      const note = melody.notes[index];
      if (run !== this.#run || !note) return;
      callbacks.onNote(index);
      callbacks.onBar(grid.barAt(note.start));
    });
    const { channel, program } = this.#settings();
    const plain: Melody = {
      notes: melody.notes,
      meter: melody.meter,
      tempo,
      key: melody.key,
      length: melody.length,
      ...(melody.tuplets ? { tuplets: melody.tuplets } : {}),
      ...(melody.tempoChanges ? { tempoChanges: melody.tempoChanges } : {}),
    };
    void this.#host['midi:play']({ melody: plain, channel, program, tempo }).then(
      (reply) => {
        if (run !== this.#run) return;
        this.#unsubscribe?.();
        if (!reply.ok) callbacks.onError(reply.error.message);
        else if (reply.value.finished) callbacks.onEnd();
      },
      () =>
        run === this.#run &&
        callbacks.onError(
          'The MIDI device stopped answering. Choose the output again, or use the in-app synth.',
        ),
    );
  }

  setTempo(tempo: Bpm): void {
    void this.#host['midi:set-tempo'](tempo);
  }

  stop(): void {
    this.#run++;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    void this.#host['midi:stop']();
  }

  panic(): void {
    void this.#host['midi:panic']();
  }

  dispose(): void {
    this.stop();
  }
}
