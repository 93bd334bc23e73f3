/**
 * What the melody LSTM reads at each step and what its output classes mean: Magenta's two
 * melody encodings, one interface.
 *
 * basic (basic_rnn, and attention_rnn): the input is the one-hot of the last event (see
 * melody-events.ts); the output classes are the events themselves.
 *
 * lookback (Magenta's lookback_rnn; the layout of its LookbackEventSequenceEncoderDecoder,
 * re-derived here, with one change: the bar follows the melody's meter instead of a fixed 16
 * steps). With C event classes and the two lookback distances one bar and two bars, the input
 * for the step that predicts event n+1 holds, in this order:
 *   [0, C)         one-hot of event n (the last event)
 *   [C, 2C)        one-hot of the event one bar before n+1 (no-event before the melody starts)
 *   [2C, 3C)       one-hot of the event two bars before n+1
 *   [3C, 3C+5)     a 5-bit binary counter of where n+1 falls in its bar, bits as +1 / -1
 *   3C+5, 3C+6     1 when event n repeats the event one bar / two bars before it
 * so 3C + 7 values (121 for the default 38 classes). The output adds two classes to the C
 * events: C "repeat the event of one bar ago", C+1 "repeat the event of two bars ago"; where the
 * melody is not yet that long they stand for no-event. Training teaches, for each event, the
 * first of (repeat two bars, repeat one bar, the event itself) that gives it, as Magenta does.
 * A melody's probability of an event sums every class that gives that event.
 *
 * phrase-lookback (Cantus's own): lookback as above, and besides it the events four and eight
 * bars back, a 3-bit counter of the bar within an eight-bar strain and "repeats the event four /
 * eight bars before it" flags; two more classes, "repeat the event of four / eight bars ago".
 * Folk tunes repeat at those distances (a phrase comes back four bars later, a strain eight bars
 * later) far more than one or two bars later, which is all lookback_rnn can see. Its input is
 * lookback's followed by the new values (so a lookback model can be widened into it):
 *   [3C+7, 4C+7), [4C+7, 5C+7)   one-hot of the event four / eight bars before n+1
 *   [5C+7, 5C+10)                the bar of n+1 within its eight-bar strain (bar index mod 8), +1 / -1
 *   5C+10, 5C+11                 1 when event n repeats the event four / eight bars before it
 * so 5C + 12 values (202 for 38 classes), and C + 4 classes. Training teaches the longest of the
 * new distances at which the event really repeats (inside the melody), else as lookback does.
 *
 * Inputs are written as sparse rows with a fixed number of entries per row (`perRow`), which the
 * training code and the engine multiply into the first layer's weights without building the
 * dense vector.
 */
import type { Steps } from '../music/melody.ts';
import { eventClassCount, NO_EVENT, type MelodyEvent, type PitchRange } from './melody-events.ts';

export type EncodingKind = 'basic' | 'lookback' | 'phrase-lookback';
export const ENCODING_KINDS: readonly EncodingKind[] = ['basic', 'lookback', 'phrase-lookback'];

/** Bits of the within-bar counter (Magenta's lookback_rnn uses 5). */
export const COUNTER_BITS = 5;
/** Longest bar the counter can number. */
export const MAX_BAR_STEPS = 2 ** COUNTER_BITS;
/** Bits of phrase-lookback's counter of the bar within an eight-bar strain. */
export const STRAIN_BITS = 3;
/** The distances, in bars, phrase-lookback adds to lookback's one and two bars. */
export const PHRASE_DISTANCES: readonly number[] = [4, 8];

/** Inputs for `rows` steps, `perRow` (index, value) entries each, row-major. */
export interface SparseRows {
  readonly perRow: number;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

export function sparseRows(rows: number, perRow: number): SparseRows {
  return { perRow, indices: new Int32Array(rows * perRow), values: new Float32Array(rows * perRow) };
}

/** One-hot rows of the given ids (the basic encoding's inputs). */
export function oneHotRows(ids: ArrayLike<number>): SparseRows {
  return { perRow: 1, indices: Int32Array.from(ids), values: new Float32Array(ids.length).fill(1) };
}

/** The dense [rows, depth] matrix sparse rows stand for, row-major. */
export function denseRows(rows: SparseRows, depth: number): Float32Array {
  const count = rows.indices.length / rows.perRow;
  const out = new Float32Array(count * depth);
  for (let k = 0; k < rows.indices.length; k++) {
    out[Math.floor(k / rows.perRow) * depth + rows.indices[k]!]! += rows.values[k]!;
  }
  return out;
}

/**
 * (bias +) x · W for `count` sparse rows of `inputs` from row `first`, with W row-major
 * [inputDepth, width] in plain memory: a few rows of W summed instead of a matrix product.
 * Each row starts from the bias, if any, so a one-hot row gives exactly W[id] + bias.
 */
export function sparseProduct(
  inputs: SparseRows,
  first: number,
  count: number,
  weights: Float32Array,
  width: number,
  bias?: Float32Array,
): Float32Array {
  const { perRow, indices, values } = inputs;
  const out = new Float32Array(count * width);
  for (let r = 0; r < count; r++) {
    const row = out.subarray(r * width, (r + 1) * width);
    if (bias) row.set(bias);
    for (let e = 0; e < perRow; e++) {
      const at = (first + r) * perRow + e;
      const v = values[at]!;
      if (v === 0) continue;
      const from = indices[at]! * width;
      if (v === 1) for (let k = 0; k < width; k++) row[k]! += weights[from + k]!;
      else for (let k = 0; k < width; k++) row[k]! += v * weights[from + k]!;
    }
  }
  return out;
}

export interface EventEncoding {
  readonly kind: EncodingKind;
  readonly range: PitchRange;
  /** Event classes (38 for the default range). */
  readonly events: number;
  /** Width of the dense input the sparse rows stand for. */
  readonly inputDepth: number;
  /** Output classes. */
  readonly classes: number;
  /** Entries per sparse input row. */
  readonly perRow: number;
  /**
   * Writes into row `row` of `out` the input that follows `events[0..n]` (n = position), the
   * input from which the model predicts event n+1. `bar` is the melody's steps per bar; step 0
   * is on a barline.
   */
  writeInput(
    events: ArrayLike<MelodyEvent>,
    position: number,
    bar: Steps,
    out: SparseRows,
    row: number,
  ): void;
  /** The class training teaches for `events[position]` given the events before it. */
  label(events: ArrayLike<MelodyEvent>, position: number, bar: Steps): number;
  /**
   * The event each class gives at `position`, after `history[0..position)`, written into `out`
   * (length `classes`).
   */
  classEvents(history: ArrayLike<MelodyEvent>, position: number, bar: Steps, out: Int32Array): void;
}

/** The one-hot encoding of basic_rnn. */
export function basicEncoding(range: PitchRange): EventEncoding {
  const events = eventClassCount(range);
  return {
    kind: 'basic',
    range,
    events,
    inputDepth: events,
    classes: events,
    perRow: 1,
    writeInput(history, position, _bar, out, row) {
      out.indices[row] = history[position]!;
      out.values[row] = 1;
    },
    label(history, position) {
      return history[position]!;
    },
    classEvents(_history, _position, _bar, out) {
      for (let k = 0; k < events; k++) out[k] = k;
    },
  };
}

const checkBar = (bar: Steps): void => {
  if (!Number.isInteger(bar) || bar < 1 || bar > MAX_BAR_STEPS)
    throw new RangeError(`A bar of ${bar} steps cannot be encoded (1-${MAX_BAR_STEPS})`);
};

const eventAt = (events: ArrayLike<MelodyEvent>, position: number): MelodyEvent =>
  position >= 0 ? events[position]! : NO_EVENT;

/** Magenta's lookback encoding, bar-relative (see the file comment). */
export function lookbackEncoding(range: PitchRange): EventEncoding {
  const C = eventClassCount(range);
  const perRow = 3 + COUNTER_BITS + 2;
  return {
    kind: 'lookback',
    range,
    events: C,
    inputDepth: 3 * C + COUNTER_BITS + 2,
    classes: C + 2,
    perRow,
    writeInput(history, position, bar, out, row) {
      checkBar(bar);
      const base = row * perRow;
      const { indices, values } = out;
      const last = history[position]!;
      indices[base] = last;
      values[base] = 1;
      indices[base + 1] = C + eventAt(history, position + 1 - bar);
      values[base + 1] = 1;
      indices[base + 2] = 2 * C + eventAt(history, position + 1 - 2 * bar);
      values[base + 2] = 1;
      const inBar = (position + 1) % bar;
      for (let i = 0; i < COUNTER_BITS; i++) {
        indices[base + 3 + i] = 3 * C + i;
        values[base + 3 + i] = (inBar >> i) & 1 ? 1 : -1;
      }
      for (let d = 0; d < 2; d++) {
        const back = position - (d + 1) * bar;
        indices[base + 3 + COUNTER_BITS + d] = 3 * C + COUNTER_BITS + d;
        values[base + 3 + COUNTER_BITS + d] = back >= 0 && history[back] === last ? 1 : 0;
      }
    },
    label(history, position, bar) {
      checkBar(bar);
      const event = history[position]!;
      if (eventAt(history, position - 2 * bar) === event) return C + 1;
      if (eventAt(history, position - bar) === event) return C;
      return event;
    },
    classEvents(history, position, bar, out) {
      checkBar(bar);
      for (let k = 0; k < C; k++) out[k] = k;
      out[C] = eventAt(history, position - bar);
      out[C + 1] = eventAt(history, position - 2 * bar);
    },
  };
}

/** Lookback with the phrase and strain distances (see the file comment). */
export function phraseLookbackEncoding(range: PitchRange): EventEncoding {
  const inner = lookbackEncoding(range);
  const C = inner.events;
  const D = PHRASE_DISTANCES.length;
  const perRow = inner.perRow + D + STRAIN_BITS + D;
  const from = inner.inputDepth;
  return {
    kind: 'phrase-lookback',
    range,
    events: C,
    inputDepth: from + D * C + STRAIN_BITS + D,
    classes: inner.classes + D,
    perRow,
    writeInput(history, position, bar, out, row) {
      // lookback's entries first: write them into a one-row scratch and copy them over
      const base = row * perRow;
      const { indices, values } = out;
      const own = { perRow: inner.perRow, indices: scratch.indices, values: scratch.values };
      inner.writeInput(history, position, bar, own, 0);
      indices.set(own.indices, base);
      values.set(own.values, base);
      let at = base + inner.perRow;
      const last = history[position]!;
      PHRASE_DISTANCES.forEach((d, i) => {
        indices[at] = from + i * C + eventAt(history, position + 1 - d * bar);
        values[at++] = 1;
      });
      const strainBar = Math.floor((position + 1) / bar) % 2 ** STRAIN_BITS;
      for (let i = 0; i < STRAIN_BITS; i++) {
        indices[at] = from + D * C + i;
        values[at++] = (strainBar >> i) & 1 ? 1 : -1;
      }
      PHRASE_DISTANCES.forEach((d, i) => {
        const back = position - d * bar;
        indices[at] = from + D * C + STRAIN_BITS + i;
        values[at++] = back >= 0 && history[back] === last ? 1 : 0;
      });
    },
    label(history, position, bar) {
      checkBar(bar);
      const event = history[position]!;
      for (let i = D - 1; i >= 0; i--) {
        const back = position - PHRASE_DISTANCES[i]! * bar;
        if (back >= 0 && history[back] === event) return inner.classes + i;
      }
      return inner.label(history, position, bar);
    },
    classEvents(history, position, bar, out) {
      inner.classEvents(history, position, bar, out);
      PHRASE_DISTANCES.forEach((d, i) => {
        out[inner.classes + i] = eventAt(history, position - d * bar);
      });
    },
  };
}

/** One row of lookback input, reused by phrase-lookback (writeInput is synchronous). */
const scratch = sparseRows(1, 3 + COUNTER_BITS + 2);

export function eventEncoding(kind: EncodingKind, range: PitchRange): EventEncoding {
  if (kind === 'lookback') return lookbackEncoding(range);
  if (kind === 'phrase-lookback') return phraseLookbackEncoding(range);
  return basicEncoding(range);
}

/**
 * The encoding a model of this input width and class count uses over `range`, or null when
 * neither fits (the caller names the mismatch).
 */
export function encodingForShape(
  range: PitchRange,
  inputDepth: number,
  classes: number,
  kind?: EncodingKind,
): EventEncoding | null {
  for (const candidate of kind ? [kind] : ENCODING_KINDS) {
    const encoding = eventEncoding(candidate, range);
    if (encoding.inputDepth === inputDepth && encoding.classes === classes) return encoding;
  }
  return null;
}

/**
 * The probability of each event (indexed by event) from the model's class probabilities
 * `probs[offset .. offset + classes)`, summing every class that gives the same event.
 * `classEvents` comes from `EventEncoding.classEvents` for the same history.
 */
export function eventProbabilities(
  probs: ArrayLike<number>,
  offset: number,
  classEvents: Int32Array,
  events: number,
  out: Float64Array = new Float64Array(events),
): Float64Array {
  out.fill(0);
  for (let k = 0; k < classEvents.length; k++) out[classEvents[k]!]! += probs[offset + k]!;
  return out;
}
