/**
 * Chords for chord-conditioned melody models (Magenta's improv_rnn `chord_pitches_improv`): the
 * progression the user writes as symbols, one a bar ("C G Am F"), checked here; which chord
 * sounds at each step of primer and continuation; the primer moved by whole octaves (never
 * transposed, so it still fits the chords) into the model's range; and the continuation put
 * back after the primer. Engine-agnostic: src-engine/magenta-chords.ts runs the model.
 *
 * @example parseChords('C G Am F') // => ok(['C', 'G', 'Am', 'F'])
 */
import { Chord } from 'tonal';
import { stepsPerBar, type Key, type Melody, type Steps } from '../music/melody.ts';
import { fail, ok, type Result } from '../result.ts';
import { MAX_PRIMER_STEPS } from './generate.ts';
import type { PitchRange } from './melody-events.ts';
import { normalizeTrainingMelody } from './training-melodies.ts';

/** More chords than this is not a progression someone typed. */
export const MAX_CHORDS = 256;

/** An example for messages and the Generate panel. */
export const CHORDS_EXAMPLE = 'C G Am F';

const C_MAJOR: Key = { tonic: 'C', mode: 'major' };

/**
 * Whether a model's config.json (parsed, unchecked) is a chord model's: it names a chord encoder.
 * The window asks this before loading (without zod); loadCheckpoint checks the whole file.
 */
export function isChordModelConfig(config: unknown): boolean {
  return typeof (config as { chordEncoder?: unknown } | null)?.chordEncoder === 'string';
}

/**
 * Reads a progression: chord symbols separated by spaces, commas or bar lines, one a bar.
 * Accepts what tonal's Chord knows (C, Am, G7, F#m7b5, Bbmaj7, Dsus4, Cdim, Caug). Slash chords
 * (C/E) are refused, as Magenta's chord encoder does not read them, and so is "no chord" (N.C.):
 * magenta.js 1.23 on tfjs 4 cannot mix it with chords (its encodings differ in number type).
 */
export function parseChords(text: string): Result<string[]> {
  const symbols = text
    .split(/[\s,|]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (symbols.length === 0)
    return fail('chords/empty', `Write the chords, one a bar, as symbols such as ${CHORDS_EXAMPLE}.`);
  if (symbols.length > MAX_CHORDS)
    return fail('chords/too-many', `Write at most ${MAX_CHORDS} chords (one a bar).`);
  const chords: string[] = [];
  for (const symbol of symbols) {
    if (/^n\.?c\.?$/i.test(symbol))
      return fail(
        'chords/no-chord',
        `"${symbol}" (no chord) cannot be given to this model: write a chord for every bar, such as ${CHORDS_EXAMPLE}.`,
      );
    if (symbol.includes('/'))
      return fail(
        'chords/slash',
        `"${symbol}" is a slash chord, which this model does not read: write the chord without its bass note (${symbol.split('/')[0]}).`,
      );
    const chord = Chord.get(symbol);
    if (chord.empty || !chord.tonic)
      return fail(
        'chords/unknown',
        `"${symbol}" is not a chord symbol Cantus knows. Write chords such as C, Am, G7, F#m or Bbmaj7, one a bar (for example ${CHORDS_EXAMPLE}).`,
      );
    chords.push(symbol);
  }
  return ok(chords);
}

/**
 * The chord at every step of a sequence of `primerSteps` primer steps and `steps` new ones: the
 * first chord held under the primer (Cantus does not know the primer's harmony, and "no chord"
 * cannot be mixed with chords in magenta.js), then the progression one chord a bar, bars counted
 * from the start of the melody (a primer ending mid-bar gives the first chord the rest of that
 * bar), started again from its first chord when the new bars outnumber it.
 */
export function chordsPerStep(
  chords: readonly string[],
  primerSteps: Steps,
  steps: Steps,
  bar: Steps,
): string[] {
  if (chords.length === 0) throw new RangeError('A progression needs at least one chord');
  const firstBar = Math.floor(primerSteps / bar);
  return Array.from(
    { length: primerSteps + steps },
    (_, s) => chords[s < primerSteps ? 0 : (Math.floor(s / bar) - firstBar) % chords.length]!,
  );
}

/** A primer ready for a chord model: in its range by whole octaves, and how it was moved. */
export interface ChordPrimer {
  /** The primer's last bars (at most MAX_PRIMER_STEPS, cut at a barline), in the model's range. */
  readonly melody: Melody;
  /** Semitones the primer was moved by (a whole number of octaves). */
  readonly shift: number;
  /** The melody as continued: the primer given, or a middle C when it has no notes. */
  readonly source: Melody;
}

/**
 * Moves the primer by whole octaves so it sits in the middle of `range` (notes still outside
 * are folded in by octaves), keeping only its last bars. Octaves, not a change of key: the
 * chords are written in the primer's own key.
 */
export function prepareChordPrimer(primer: Melody, range: PitchRange): ChordPrimer {
  // With no primer, start from middle C (one sixteenth), as continueMelody does.
  const source: Melody =
    primer.notes.length > 0
      ? primer
      : { ...primer, notes: [{ pitch: 60, start: 0, end: 1, velocity: 80 }], length: 1 };
  const bar = stepsPerBar(source.meter);
  const cut =
    source.length > MAX_PRIMER_STEPS ? Math.ceil((source.length - MAX_PRIMER_STEPS) / bar) * bar : 0;
  const kept: Melody = {
    ...source,
    notes: source.notes
      .filter((n) => n.start >= cut)
      .map((n) => ({ ...n, start: n.start - cut, end: Math.min(n.end, source.length) - cut })),
    length: Math.max(1, source.length - cut),
  };
  // Read in C major, the normalisation moves by whole octaves only.
  const normalized = normalizeTrainingMelody(kept, range, C_MAJOR);
  return { melody: { ...normalized.melody, key: source.key }, shift: normalized.shift, source };
}

/**
 * The primer followed by a continuation the model wrote (its notes counted from the end of the
 * primer, in the model's register), moved back by `shift` and placed after `source`.
 */
export function appendContinuation(
  source: Melody,
  continuation: Melody,
  shift: number,
  steps: Steps,
): Melody {
  const notes = [
    ...source.notes,
    ...continuation.notes
      .filter((n) => n.start < steps)
      .map((n) => ({
        ...n,
        pitch: n.pitch - shift,
        start: n.start + source.length,
        end: Math.min(n.end, steps) + source.length,
      })),
  ];
  return { ...source, notes, length: source.length + steps };
}
