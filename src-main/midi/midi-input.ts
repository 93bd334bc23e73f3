/**
 * One open MIDI input (a keyboard to record from). Each note message goes to the window
 * stamped with when it arrived, as an epoch time both processes share, so the window can
 * quantize against its own count-in. A keyboard that goes away is reported, like an output.
 * What passes is throttled (InputThrottle): a flooding device cannot swamp main or the window.
 */
import { performance } from 'node:perf_hooks';
import { InputThrottle } from '../../src-core/playback/input-throttle.ts';
import { fail, ok, type Result } from '../../src-core/result.ts';
import { loadMidiModule, type MidiInput, type MidiModule } from './midi-module.ts';
import type { Emit } from './midi-service.ts';

export interface MidiInputsDeps {
  readonly emit: Emit;
  readonly load?: () => MidiModule;
  readonly pollMs?: number;
}

export class MidiInputs {
  readonly #deps: MidiInputsDeps;
  #input: MidiInput | null = null;
  #name: string | null = null;
  #poll: ReturnType<typeof setInterval> | null = null;
  #throttle: InputThrottle | null = null;

  constructor(deps: MidiInputsDeps) {
    this.#deps = deps;
  }

  get openInput(): string | null {
    return this.#name;
  }

  /** Messages from the open keyboard not passed on (too many a second, or not notes). */
  get dropped(): number {
    return this.#throttle?.dropped ?? 0;
  }

  open(name: string): Result<null> {
    this.close();
    let midi: MidiModule;
    try {
      midi = (this.#deps.load ?? loadMidiModule)();
      if (!midi.Input.getPortNames().includes(name))
        return fail(
          'midi/no-such-port',
          `There is no MIDI input called “${name}”. Check that the keyboard is plugged in and switched on.`,
        );
      const input = new midi.Input();
      const throttle = new InputThrottle();
      this.#throttle = throttle;
      input.on('message', (_delta, bytes) => {
        // Only note messages matter for recording; clock and sensing bytes are ignored below.
        const at = performance.timeOrigin + performance.now();
        if (throttle.admit(bytes, at)) this.#deps.emit('midi:input', { bytes: [...bytes], at });
      });
      input.ignoreTypes(true, true, true);
      input.openPortByName(name);
      this.#input = input;
      this.#name = name;
    } catch {
      return fail(
        'midi/open-failed',
        `Cantus could not open the MIDI input “${name}”. Check that it is plugged in and not in use by another program.`,
      );
    }
    this.#watch(midi, name);
    return ok(null);
  }

  close(): void {
    if (this.#poll) clearInterval(this.#poll);
    this.#poll = null;
    const input = this.#input;
    this.#input = null;
    this.#name = null;
    if (!input) return;
    try {
      input.closePort();
      input.destroy();
    } catch {
      // The device may already be gone.
    }
  }

  #watch(midi: MidiModule, name: string): void {
    this.#poll = setInterval(() => {
      let present = false;
      try {
        present = midi.Input.getPortNames().includes(name);
      } catch {
        present = false;
      }
      if (present) return;
      this.close();
      this.#deps.emit('midi:device-lost', {
        name,
        message: `The MIDI input “${name}” has gone (unplugged or switched off). Recording stopped; plug it in and choose it again.`,
      });
    }, this.#deps.pollMs ?? 250);
    this.#poll.unref?.();
  }
}
