/** Messages between the device player (main thread) and the scheduler worker. */
import type { TimedMessage } from '../../src-core/playback/midi-messages.ts';

/**
 * Index in the shared control array of the highest play id stopped so far: play `id` stops as
 * soon as this reaches it. Ids only grow, so stopping one play can never be undone by the next
 * play (a flag set and cleared at once was missed by the busy worker), and a stop meant for an
 * old play never stops a new one.
 */
export const STOPPED_THROUGH = 0;

export interface SchedulerShared {
  /** Int32Array of 2: [stopped-through play id, spare]. */
  readonly control: SharedArrayBuffer;
  /** Float64Array of 1: the tempo in BPM. */
  readonly tempo: SharedArrayBuffer;
}

export type ToScheduler =
  | { readonly type: 'open'; readonly name: string; readonly virtual: boolean }
  | {
      readonly type: 'play';
      /** Greater than every earlier play's. */
      readonly id: number;
      readonly messages: readonly TimedMessage[];
      readonly channels: readonly number[];
      readonly leadInMs: number;
      /** Post a 'sent' message with the deadline and lateness of each message (tests, benchmarks). */
      readonly reportTiming: boolean;
    }
  | { readonly type: 'send'; readonly messages: readonly (readonly number[])[] }
  | { readonly type: 'close' };

export type FromScheduler =
  | { readonly type: 'opened'; readonly name: string }
  | { readonly type: 'note'; readonly index: number }
  | {
      readonly type: 'sent';
      readonly bytes: readonly number[];
      readonly deadline: number;
      readonly late: number;
    }
  | { readonly type: 'done'; readonly id: number; readonly finished: boolean }
  | { readonly type: 'closed' }
  | {
      readonly type: 'error';
      readonly code: string;
      readonly message: string;
      /** The play it answers, if it answers one. */
      readonly id?: number;
    };
