/**
 * The device scheduler's loop, apart from threads and ports so it can run on a fake clock in
 * tests. Each message has an absolute deadline computed from an anchor (a step and the time
 * it is due), never from the previous message, so lateness does not accumulate; a tempo change
 * moves the anchor to "now" and the rest follows at the new tempo.
 */
import { secondsPerStep, type Bpm, type Steps } from '../../src-core/music/melody.ts';
import type { TimedMessage } from '../../src-core/playback/midi-messages.ts';

export type Milliseconds = number;

export interface Clock {
  now(): Milliseconds;
  /** Returns at (or just after) `deadline`, or earlier if `stopped()` becomes true. */
  waitUntil(deadline: Milliseconds, stopped: () => boolean): void;
}

export interface LoopControl {
  /** The tempo now (it may change while playing). */
  tempo(): Bpm;
  stopped(): boolean;
  send(bytes: readonly number[], deadline: Milliseconds): void;
  onNote?(index: number): void;
}

export interface LoopResult {
  readonly finished: boolean;
  /** Messages sent, in order (used to silence exactly what still sounds on stop). */
  readonly sent: readonly (readonly number[])[];
}

export function runSchedule(
  messages: readonly TimedMessage[],
  startAt: Milliseconds,
  clock: Clock,
  control: LoopControl,
): LoopResult {
  const sent: (readonly number[])[] = [];
  let anchorStep: Steps = 0;
  let anchorTime = startAt;
  let tempo = control.tempo();
  for (const message of messages) {
    for (;;) {
      if (control.stopped()) return { finished: false, sent };
      const current = control.tempo();
      if (current !== tempo && current > 0) {
        // Re-anchor at the position reached now, so the remaining notes follow the new tempo.
        const now = clock.now();
        const reached = anchorStep + (now - anchorTime) / (secondsPerStep(tempo) * 1000);
        anchorStep = Math.min(reached, message.step);
        anchorTime = Math.max(now, anchorTime);
        tempo = current;
      }
      const deadline = anchorTime + (message.step - anchorStep) * secondsPerStep(tempo) * 1000;
      // Wake at most every 50 ms to notice stop and tempo changes.
      const wakeAt = Math.min(deadline, clock.now() + 50);
      clock.waitUntil(wakeAt, control.stopped);
      if (wakeAt === deadline && !control.stopped()) {
        control.send(message.bytes, deadline);
        sent.push(message.bytes);
        if (message.noteIndex !== undefined) control.onNote?.(message.noteIndex);
        break;
      }
    }
  }
  return { finished: true, sent };
}
