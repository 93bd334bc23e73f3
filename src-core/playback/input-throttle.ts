/**
 * How many keyboard notes a second Cantus takes in. A person plays at most a few dozen notes a
 * second; a keyboard gone wrong (or a loop between two programs) can send a hundred thousand,
 * and each one passed on costs the main process and the window work. Note-ons beyond the rate
 * are dropped (a token bucket: bursts up to one second's worth); a note-off passes only for a
 * note whose note-on passed, so nothing forwarded is left hanging and nothing dropped is
 * released twice.
 */
import type { EpochMs } from './recording.ts';

/** Note-ons a second passed on, at most (and the largest burst). */
export const MAX_NOTES_PER_SECOND = 200;

export class InputThrottle {
  readonly #rate: number;
  #tokens: number;
  #at: EpochMs | null = null;
  /** Channel and pitch (channel * 128 + pitch) of note-ons passed and not yet released. */
  readonly #open = new Set<number>();
  #dropped = 0;

  constructor(notesPerSecond: number = MAX_NOTES_PER_SECOND) {
    this.#rate = notesPerSecond;
    this.#tokens = notesPerSecond;
  }

  /** Messages dropped so far. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Whether to pass this message on. Only note messages ever pass. */
  admit(bytes: readonly number[], at: EpochMs): boolean {
    const status = bytes[0] ?? 0;
    const kind = status & 0xf0;
    const pitch = bytes[1];
    if ((kind !== 0x80 && kind !== 0x90) || pitch === undefined) return false;
    const key = (status & 0x0f) * 128 + pitch;
    if (kind === 0x80 || (bytes[2] ?? 0) === 0) {
      if (this.#open.delete(key)) return true;
      this.#dropped++;
      return false;
    }
    if (this.#at !== null && at > this.#at)
      this.#tokens = Math.min(this.#rate, this.#tokens + ((at - this.#at) / 1000) * this.#rate);
    this.#at = at;
    if (this.#tokens < 1) {
      this.#dropped++;
      return false;
    }
    this.#tokens -= 1;
    this.#open.add(key);
    return true;
  }
}
