/**
 * Continuing melodies with a step-by-step model, engine-agnostic: any `StepModel` (the tfjs
 * LSTM in src-engine, a fake in tests) predicts the next event's logits for a batch of
 * sequences; sampling, temperature, seeds, variations, transposition into the model's key and
 * range and back, and progress all live here, so every engine behaves the same.
 */
import { estimateKey, keyInSignature } from '../music/key.ts';
import { barGrid, melodyFromBar, meterName } from '../music/bars.ts';
import { fittingTuplets } from '../music/tuplets.ts';
import { stepsPerBar, type Key, type Melody, type Meter, type Steps } from '../music/melody.ts';
import { fail, ok, type Result } from '../result.ts';
import {
  decodeEvents,
  encodeMelody,
  MODEL_PITCH_RANGE,
  type MelodyEvent,
  type PitchRange,
} from './melody-events.ts';
import { MAX_BAR_STEPS, sparseRows, type EventEncoding, type SparseRows } from './event-encoding.ts';
import { createRng, type Rng } from './rng.ts';
import { compileSteering, type EventFilter, type SteerConstraint } from './steering.ts';
import { beamSearch, type BeamOptions } from './beam-search.ts';
import { normalizeTrainingMelody } from './training-melodies.ts';

/** A model that reads one input per sequence and predicts the next event (logits over its classes). */
export interface StepModel {
  readonly range: PitchRange;
  /** How inputs are written and what the classes mean (event-encoding.ts). */
  readonly encoding: EventEncoding;
  /** Starts `batch` sequences from the zero state. */
  reset(batch: number): void;
  /** Feeds one input row per sequence; returns logits, `batch × classes`, row by row. */
  step(input: SparseRows): Promise<Float32Array>;
  /** Keeps the state of these rows, in this order (a row may be kept twice): the new batch. */
  select(rows: Int32Array): void;
  dispose(): void;
}

/**
 * The bar length a model reads a melody in: the meter's steps per bar, or 16 (4/4) for a meter
 * whose bar is not a whole number of steps the lookback counter can number.
 */
export function modelBar(meter: Meter): Steps {
  const bar = stepsPerBar(meter);
  return Number.isInteger(bar) && bar >= 1 && bar <= MAX_BAR_STEPS ? bar : 16;
}

export interface ContinueOptions {
  /** Steps to add after the primer. */
  readonly steps: Steps;
  /** 0.1-2.0: below 1 plays safe, above 1 takes chances. */
  readonly temperature: number;
  /** 1-8 continuations, sampled together in one batch. */
  readonly variations: number;
  readonly seed: number;
  /** Called after each step with how many of `steps` are done. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Checked between steps; when it returns true, generation stops with a "cancelled" result. */
  readonly cancelled?: () => boolean;
  /** The key to continue in, instead of the primer's own (`continuationKey`). */
  readonly key?: Key | null;
  /** Conditions every continuation meets, applied while sampling (steering.ts). */
  readonly steer?: readonly SteerConstraint[];
  /** Beam search as melody_rnn has it (beam-search.ts): keeps the likeliest of many tries. */
  readonly beam?: BeamOptions;
}

export const TEMPERATURE_RANGE = { min: 0.1, max: 2.0 } as const;
export const MAX_VARIATIONS = 8;
/** Primers longer than this are cut to their last bars (the model was trained on 512-step melodies). */
export const MAX_PRIMER_STEPS = 256;

/**
 * Samples a class from logits at `temperature` with the seeded `rng`, among the classes
 * `allowed` marks (all when it is absent); -1 when none is allowed.
 * Logits are divided by the temperature before the softmax; the max is subtracted for stability.
 */
export function sampleEvent(
  logits: Float32Array,
  offset: number,
  classes: number,
  temperature: number,
  rng: Rng,
  allowed?: Uint8Array,
): number {
  let max = -Infinity;
  for (let k = 0; k < classes; k++) if (!allowed || allowed[k]) max = Math.max(max, logits[offset + k]!);
  if (max === -Infinity) return -1;
  let total = 0;
  const weights = new Float64Array(classes);
  for (let k = 0; k < classes; k++) {
    weights[k] = !allowed || allowed[k] ? Math.exp((logits[offset + k]! - max) / temperature) : 0;
    total += weights[k]!;
  }
  let r = rng.next() * total;
  for (let k = 0; k < classes; k++) {
    r -= weights[k]!;
    if (r < 0) return k;
  }
  return classes - 1;
}

/**
 * Natural-log probability of `event` under the logits row at `offset`: the log of the summed
 * probabilities of every class that gives it (`classEvents`, from the model's encoding).
 */
export function logProbability(
  logits: Float32Array,
  offset: number,
  classEvents: Int32Array,
  event: number,
): number {
  const classes = classEvents.length;
  let max = -Infinity;
  for (let k = 0; k < classes; k++) max = Math.max(max, logits[offset + k]!);
  let total = 0;
  let mine = 0;
  for (let k = 0; k < classes; k++) {
    const w = Math.exp(logits[offset + k]! - max);
    total += w;
    if (classEvents[k] === event) mine += w;
  }
  return Math.log(mine) - Math.log(total);
}

/** Where the key a melody is continued in comes from. */
export type ContinuationKeySource = 'given' | 'declared' | 'estimated';

/** How the window and the command line say where the continuation's key came from. */
export const KEY_SOURCE_WORDS: Readonly<Record<ContinuationKeySource, string>> = {
  given: 'as asked',
  declared: 'the key signature in the file',
  estimated: 'estimated from the notes',
};

/**
 * The key a melody is continued in: the one asked for; else the key signature the file declares,
 * read as major or as its relative minor by the notes (`keyInSignature`); else the key of the
 * whole primer estimated from its notes.
 */
export function continuationKey(
  primer: Melody,
  given?: Key | null,
): { readonly key: Key; readonly source: ContinuationKeySource } {
  if (given) return { key: given, source: 'given' };
  if (primer.key) return { key: keyInSignature(primer.key, primer.notes), source: 'declared' };
  return { key: estimateKey(primer.notes), source: 'estimated' };
}

/**
 * Primer events the model understands: the melody moved to C major / A minor and into the
 * model's range (as in training), its last `MAX_PRIMER_STEPS` steps, cut at a barline.
 */
export function preparePrimer(
  primer: Melody,
  range: PitchRange = MODEL_PITCH_RANGE,
  key: Key = continuationKey(primer).key,
): Result<{ events: MelodyEvent[]; shift: number; cut: Steps; modelKey: Key; meter: Meter }> {
  // The model counts bars from its first step in one meter, so the primer it reads starts at a
  // barline of the meter the melody ends in: after a pickup and after the last change of time
  // signature, and no more than MAX_PRIMER_STEPS before the end (music/bars.ts).
  const grid = barGrid(primer);
  const lastChange = (primer.meterChanges ?? []).reduce((m, c) => Math.max(m, c.at), 0);
  const from = grid.bars.find(
    (b) =>
      !b.pickup &&
      b.start >= lastChange &&
      b.start >= primer.length - MAX_PRIMER_STEPS &&
      b.start < primer.length,
  );
  const cut = from?.start ?? 0;
  const meter = from?.meter ?? primer.meter;
  const trimmed = melodyFromBar(primer, cut);
  const normalized = normalizeTrainingMelody(trimmed, range, key);
  const events = encodeMelody(normalized.melody, range);
  if (!events.ok) return fail(events.error.code, events.error.message);
  return ok({ events: events.value, shift: normalized.shift, cut, modelKey: normalized.melody.key!, meter });
}

/**
 * Continues `primer`: returns `variations` melodies, each the primer followed by `steps` new
 * steps, in the primer's own key and register. The same primer, options and seed give the
 * same melodies.
 */
/** Times variations that came out the same are written again before they are kept as they are. */
export const DUPLICATE_ROUNDS = 8;

export async function continueMelody(
  model: StepModel,
  primer: Melody,
  options: ContinueOptions,
): Promise<Result<Melody[]>> {
  const { steps, variations } = options;
  if (!Number.isInteger(steps) || steps < 1 || steps > 4096)
    return fail('generate/bad-length', 'Choose a length between 1 step and 256 bars.');
  if (!Number.isInteger(variations) || variations < 1 || variations > MAX_VARIATIONS)
    return fail('generate/bad-variations', `Choose between 1 and ${MAX_VARIATIONS} variations.`);
  const temperature = Math.min(TEMPERATURE_RANGE.max, Math.max(TEMPERATURE_RANGE.min, options.temperature));
  // With no primer, start from middle C (one sixteenth), as Magenta's melody_rnn does.
  const source: Melody =
    primer.notes.length > 0
      ? primer
      : { ...primer, notes: [{ pitch: 60, start: 0, end: 1, velocity: 80 }], length: 1 };
  const key = continuationKey(primer, options.key).key;
  const prepared = preparePrimer(source, model.range, key);
  if (!prepared.ok) return prepared;
  const { events: primerEvents, shift, modelKey } = prepared.value;
  const { encoding } = model;
  const bar = modelBar(prepared.value.meter);
  let filter: EventFilter | null = null;
  if (options.steer && options.steer.length > 0) {
    const compiled = compileSteering(options.steer, {
      key: modelKey,
      shift,
      offset: source.length - primerEvents.length,
      bar,
      primerLength: primerEvents.length,
      end: primerEvents.length + steps,
      range: model.range,
    });
    if (!compiled.ok) return compiled;
    filter = compiled.value;
  }
  const rng = createRng(options.seed);
  const chooser = createChooser(encoding, bar, filter);
  const conflict = (position: number) =>
    fail(
      'generate/constraints-conflict',
      `The conditions asked for cannot all be met in bar ${Math.floor((position + source.length - primerEvents.length) / bar) + 1}; leave one out and try again.`,
    );
  const context = { steps, variations, temperature, rng, chooser, bar, conflict, options };
  const written = options.beam
    ? await beamSearch(model, primerEvents, { ...context, ...options.beam })
    : await sampleSequences(model, primerEvents, context);
  if (!written.ok) return written;
  const sequences = written.value;
  if (!options.beam) {
    // Variations are meant to differ: a model sure of itself (after a whole strain, the
    // phrase-lookback model often brings the opening back note for note) can write the same one
    // twice. Those are written again, up to DUPLICATE_ROUNDS times, from the same seeded generator.
    const key = (events: readonly MelodyEvent[]) => events.slice(primerEvents.length).join(',');
    for (let round = 0; round < DUPLICATE_ROUNDS; round++) {
      const seen = new Set<string>();
      const twice: number[] = [];
      sequences.forEach((events, i) => {
        const k = key(events);
        if (seen.has(k)) twice.push(i);
        else seen.add(k);
      });
      if (twice.length === 0) break;
      const again = await sampleSequences(model, primerEvents, { ...context, variations: twice.length });
      if (!again.ok) return again;
      again.value.forEach((events, j) => {
        if (!seen.has(key(events))) {
          seen.add(key(events));
          sequences[twice[j]!] = events;
        }
      });
    }
  }

  // Decode each whole sequence in the model's key, keep the notes that start after the primer
  // (and the primer's last note if the model held it on), and move them back to the primer's
  // key, register and place.
  const P = primerEvents.length;
  const offset = source.length - P; // sequence step s is melody step s + offset
  return ok(
    sequences.map((events) => {
      const decoded = decodeEvents(events, { range: model.range });
      const held = decoded.notes.find((n) => n.start < P && n.end > P);
      const notes = source.notes.map((n, i) =>
        held && i === source.notes.length - 1 && n.end === source.length
          ? { ...n, end: held.end + offset }
          : n,
      );
      for (const n of decoded.notes) {
        if (n.start >= P)
          notes.push({ ...n, pitch: n.pitch - shift, start: n.start + offset, end: n.end + offset });
      }
      return { ...source, notes, length: source.length + steps };
    }),
  );
}

/** Reads the primer into `model` (reset to `batch` rows), up to its last event. */
export async function readPrimer(
  model: StepModel,
  primerEvents: readonly MelodyEvent[],
  batch: number,
  bar: Steps,
): Promise<void> {
  model.reset(batch);
  const input = sparseRows(batch, model.encoding.perRow);
  for (let t = 0; t < primerEvents.length - 1; t++) {
    for (let v = 0; v < batch; v++) model.encoding.writeInput(primerEvents, t, bar, input, v);
    await model.step(input);
  }
}

/** Which classes may be sampled next, and what event each gives. */
export interface Chooser {
  /** Fills `classEvents` and returns the allowed-class mask (undefined: every class). */
  prepare(history: readonly MelodyEvent[], position: number): Uint8Array | undefined;
  readonly classEvents: Int32Array;
}

export function createChooser(encoding: EventEncoding, bar: Steps, filter: EventFilter | null): Chooser {
  const classEvents = new Int32Array(encoding.classes);
  const allowedEvents = new Uint8Array(encoding.events);
  const allowedClasses = new Uint8Array(encoding.classes);
  return {
    classEvents,
    prepare(history, position) {
      encoding.classEvents(history, position, bar, classEvents);
      if (!filter) return undefined;
      filter(history, position, allowedEvents);
      for (let k = 0; k < classEvents.length; k++) allowedClasses[k] = allowedEvents[classEvents[k]!]!;
      return allowedClasses;
    },
  };
}

/** What the writing loops share. */
export interface WriteContext {
  readonly steps: number;
  readonly variations: number;
  readonly temperature: number;
  readonly rng: Rng;
  readonly chooser: Chooser;
  readonly bar: Steps;
  /** The failure for conditions that leave nothing to sample at `position`. */
  readonly conflict: (position: number) => Result<never>;
}

/** Plain sampling: `variations` sequences in one batch, each step sampled at the temperature. */
async function sampleSequences(
  model: StepModel,
  primerEvents: readonly MelodyEvent[],
  c: WriteContext & { readonly options: ContinueOptions },
): Promise<Result<MelodyEvent[][]>> {
  const { encoding } = model;
  const { classes } = encoding;
  const sequences: MelodyEvent[][] = Array.from({ length: c.variations }, () => [...primerEvents]);
  await readPrimer(model, primerEvents, c.variations, c.bar);
  const input = sparseRows(c.variations, encoding.perRow);
  for (let t = 0; t < c.steps; t++) {
    if (c.options.cancelled?.()) return fail('generate/cancelled', 'Generation was cancelled.');
    const position = primerEvents.length + t; // of the event sampled now
    for (let v = 0; v < c.variations; v++) encoding.writeInput(sequences[v]!, position - 1, c.bar, input, v);
    const logits = await model.step(input);
    for (let v = 0; v < c.variations; v++) {
      const allowed = c.chooser.prepare(sequences[v]!, position);
      const chosen = sampleEvent(logits, v * classes, classes, c.temperature, c.rng, allowed);
      if (chosen < 0) return c.conflict(position);
      sequences[v]!.push(c.chooser.classEvents[chosen]!);
    }
    c.options.onProgress?.(t + 1, c.steps);
  }
  return ok(sequences);
}

/** Progress and cancelling for `melodyLogLikelihood`, which steps the model once a step of the melody. */
export interface LikelihoodOptions {
  /** Called after each step scored, with the number of steps to score in all. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Checked before each step; when it returns true, scoring stops with a "cancelled" result. */
  readonly cancelled?: () => boolean;
}

/**
 * How expected a melody is to the model: the mean natural-log probability of each of its
 * events given those before (the first event has no context and is not scored), after moving
 * it into the model's key and range as for generation, and per-note surprise for the score.
 */
export async function melodyLogLikelihood(
  model: StepModel,
  melody: Melody,
  options: LikelihoodOptions = {},
): Promise<Result<{ meanLogLikelihood: number; steps: number; perStep: Float64Array }>> {
  const normalized = normalizeTrainingMelody(melody, model.range);
  const events = encodeMelody(normalized.melody, model.range);
  if (!events.ok) return events;
  const { encoding } = model;
  const list = events.value;
  if (list.length < 2)
    return fail('model/too-short', 'The melody is too short to score: it needs at least two steps.');
  const bar = modelBar(melody.meter);
  model.reset(1);
  const input = sparseRows(1, encoding.perRow);
  const classEvents = new Int32Array(encoding.classes);
  const perStep = new Float64Array(list.length);
  let total = 0;
  const steps = list.length - 1;
  for (let t = 0; t < steps; t++) {
    if (options.cancelled?.()) return fail('generate/cancelled', 'Scoring the melody was cancelled.');
    encoding.writeInput(list, t, bar, input, 0);
    const logits = await model.step(input);
    encoding.classEvents(list, t + 1, bar, classEvents);
    const lp = logProbability(logits, 0, classEvents, list[t + 1]!);
    perStep[t + 1] = lp;
    total += lp;
    options.onProgress?.(t + 1, steps);
  }
  return ok({ meanLogLikelihood: total / steps, steps, perStep });
}

/**
 * What the model reads differently from the score, in words for the Generate panel (empty when
 * nothing): triplets heard on the 16th grid, and only the bars after the last change of time
 * signature, whose meter it continues in (`preparePrimer`).
 */
export function primerReadingWords(primer: Melody): string[] {
  const words: string[] = [];
  if (fittingTuplets(primer).length > 0) {
    words.push('The model hears the triplets as sixteenth notes, and writes on the sixteenth grid.');
  }
  const last = (primer.meterChanges ?? []).filter((c) => c.at > (primer.pickup ?? 0)).at(-1);
  if (last) {
    const grid = barGrid(primer);
    const bar = grid.bars[grid.barAt(last.at)]!;
    words.push(
      `The time signature changes, so the model reads from bar ${bar.number} on, in ${meterName(bar.meter)}, and continues in ${meterName(bar.meter)}.`,
    );
  }
  return words;
}
