/**
 * The order in which training melodies are fed to the LSTM, as windows for truncated
 * back-propagation through time with the state carried from window to window.
 *
 * Each of the B batch rows is a stream that reads one melody at a time, `steps` events per
 * window, and keeps its LSTM state from one window to the next; when its melody runs out, the
 * rest of its window is padding (mask 0) and the next window starts the next melody with a
 * fresh state (`reset`). Melodies are taken from a per-epoch shuffle that depends only on the
 * seed and the epoch number, so the whole position in the data is a few integers
 * (`DataCursor`) that a checkpoint can hold, and a resumed run sees exactly the same windows.
 */
import { sparseRows, type EventEncoding, type SparseRows } from './event-encoding.ts';
import { createRng, shuffled } from './rng.ts';

/** Where a batch row is: which training melody (-1: none yet) and the next event to feed. */
export interface StreamPosition {
  readonly melody: number;
  readonly offset: number;
}

export interface DataCursor {
  /** Epochs begun (the first epoch is 0). */
  readonly epoch: number;
  /** Next index into the current epoch's order. */
  readonly cursor: number;
  readonly streams: readonly StreamPosition[];
}

/** One window, time-major: entry t * batch + b. */
export interface Window {
  readonly batch: number;
  readonly steps: number;
  /** The input of each entry, as the encoding writes it. */
  readonly inputs: SparseRows;
  /** The class to predict at each entry. */
  readonly targets: Int32Array;
  readonly mask: Float32Array;
  /** 1 for rows that start a new melody here (their state must be zeroed first). */
  readonly reset: Uint8Array;
}

export function startCursor(batch: number): DataCursor {
  return { epoch: 0, cursor: 0, streams: Array.from({ length: batch }, () => ({ melody: -1, offset: 0 })) };
}

/** The order of the melodies in `epoch`: a shuffle seeded by the run's seed and the epoch. */
export function epochOrder(count: number, seed: number, epoch: number): number[] {
  const indices = Array.from({ length: count }, (_, i) => i);
  return shuffled(indices, createRng(Math.imul(seed, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca77)));
}

export interface WindowSource {
  /** The window at `cursor` and the cursor after it. */
  next(cursor: DataCursor, steps: number): { window: Window; cursor: DataCursor };
}

/** A training melody: its events and the steps in its bar (step 0 is on a barline). */
export interface TrainingSequence {
  readonly events: ArrayLike<number>;
  readonly bar: number;
}

/**
 * A window source over `melodies`, inputs and targets as `encoding` lays them out. Melodies
 * shorter than 2 events give no (input, target) pair and are never chosen. Throws when none is
 * long enough.
 */
export function createWindowSource(
  sequences: readonly TrainingSequence[],
  seed: number,
  encoding: EventEncoding,
): WindowSource {
  const melodies = sequences.map((s) => s.events);
  const usable = melodies.flatMap((m, i) => (m.length >= 2 ? [i] : []));
  if (usable.length === 0) throw new Error('No training melody has two or more events');
  let cachedEpoch = -1;
  let order: number[] = [];
  const orderOf = (epoch: number): number[] => {
    if (epoch !== cachedEpoch) {
      order = epochOrder(usable.length, seed, epoch).map((k) => usable[k]!);
      cachedEpoch = epoch;
    }
    return order;
  };
  return {
    next(start, steps) {
      const batch = start.streams.length;
      const n = batch * steps;
      const inputs = sparseRows(n, encoding.perRow);
      const targets = new Int32Array(n);
      const mask = new Float32Array(n);
      const reset = new Uint8Array(batch);
      let { epoch, cursor } = start;
      const streams = start.streams.map((pos, b) => {
        let { melody, offset } = pos;
        if (melody < 0 || offset + 1 >= melodies[melody]!.length) {
          melody = orderOf(epoch)[cursor]!;
          offset = 0;
          reset[b] = 1;
          cursor++;
          if (cursor >= usable.length) {
            epoch++;
            cursor = 0;
          }
        }
        const { events, bar } = sequences[melody]!;
        for (let t = 0; t < steps; t++) {
          const at = offset + t;
          if (at + 1 >= events.length) break;
          const k = t * batch + b;
          encoding.writeInput(events, at, bar, inputs, k);
          targets[k] = encoding.label(events, at + 1, bar);
          mask[k] = 1;
        }
        return { melody, offset: offset + steps };
      });
      return { window: { batch, steps, inputs, targets, mask, reset }, cursor: { epoch, cursor, streams } };
    },
  };
}
