/**
 * What every analysis step needs to know about a melody, worked out once: the key it is
 * read in, how each note is written in that key, and the bar and beat lengths.
 *
 * KEY: `options.key`, else the key the melody declares, else the Krumhansl-Schmuckler
 * estimate (music/key.ts), respelled like the score does when it would need more than
 * seven sharps or flats. This is exactly the rule `buildScore` follows, so interval names
 * here always agree with the notes the score shows.
 *
 * SPELLING: each note is written with `spellPitch` in that key (music/spelling.ts), the
 * same function the score uses. Interval names come from these written notes, so F to G#
 * in A minor is an augmented second, not a minor third.
 */
import { estimateKey, keyCandidates, keyName, normalizeKey } from '../music/key.ts';
import {
  stepsPerBar,
  type Key,
  type Melody,
  type Meter,
  type MidiPitch,
  type Steps,
} from '../music/melody.ts';
import { spellPitch, spelledName } from '../music/spelling.ts';
import type { SpelledPitch } from '../score/types.ts';

/** Where the key of an analysis came from. */
export type KeySource = 'given' | 'declared' | 'estimated';

/** The key an analysis reads the melody in. */
export interface AnalysisKey extends Key {
  /** "D major", "F# minor". */
  readonly name: string;
  /** "given": passed in the options; "declared": the melody's own; "estimated": from its notes. */
  readonly source: KeySource;
  /**
   * The three best-matching keys with their Krumhansl-Schmuckler scores (Pearson
   * correlation, -1..1), best first; the first is the estimate even when the key was
   * given or declared. Empty for a melody without notes.
   */
  readonly candidates: readonly { readonly key: Key; readonly score: number }[];
}

export interface ContextOptions {
  /** Read the melody in this key instead of its own or the estimated one. */
  readonly key?: Key;
}

/** A melody prepared for analysis. All arrays are indexed by note. */
export interface AnalysisContext {
  readonly melody: Melody;
  readonly key: AnalysisKey;
  readonly pitches: readonly MidiPitch[];
  readonly starts: readonly Steps[];
  readonly ends: readonly Steps[];
  /** Each note as written in the key. */
  readonly spelled: readonly SpelledPitch[];
  /** Each note's written name, e.g. "F#4". */
  readonly names: readonly string[];
  /**
   * Each note's staff position: letter index (C = 0 ... B = 6) plus 7 per octave. The
   * difference of two positions is the interval's generic size minus one (a third = 2).
   */
  readonly staff: readonly number[];
  /** Steps in a bar, and in a beat (a dotted quarter in 6/8, 9/8, 12/8; else 1/denominator). */
  readonly barSteps: Steps;
  readonly beatSteps: Steps;
}

const LETTER_INDEX = { C: 0, D: 1, E: 2, F: 3, G: 4, A: 5, B: 6 } as const;

/** The key an analysis uses for `melody` (see the header). */
export function resolveKey(melody: Melody, options: ContextOptions = {}): AnalysisKey {
  const candidates = melody.notes.length > 0 ? keyCandidates(melody.notes).slice(0, 3) : [];
  const source: KeySource = options.key ? 'given' : melody.key ? 'declared' : 'estimated';
  const key = normalizeKey(options.key ?? melody.key ?? estimateKey(melody.notes));
  return {
    tonic: key.tonic,
    mode: key.mode,
    name: keyName(key),
    source,
    candidates: candidates.map((c) => ({ key: c.key, score: c.score })),
  };
}

/** Beat length in steps: dotted quarter in compound meters (6/8, 9/8, 12/8), else one denominator unit. */
export function beatSteps(meter: Meter): Steps {
  if (meter.denominator === 8 && meter.numerator % 3 === 0) return 6;
  return 16 / meter.denominator;
}

/** Prepares `melody` for analysis. */
export function makeContext(melody: Melody, options: ContextOptions = {}): AnalysisContext {
  const key = resolveKey(melody, options);
  const spelled = melody.notes.map((n) => spellPitch(n.pitch, key));
  return {
    melody,
    key,
    pitches: melody.notes.map((n) => n.pitch),
    starts: melody.notes.map((n) => n.start),
    ends: melody.notes.map((n) => n.end),
    spelled,
    names: spelled.map(spelledName),
    staff: spelled.map(staffPosition),
    barSteps: stepsPerBar(melody.meter),
    beatSteps: beatSteps(melody.meter),
  };
}

/** Staff position of a written pitch: C4 = 28, D4 = 29, ... (7 per octave). */
export function staffPosition(p: SpelledPitch): number {
  return p.octave * 7 + LETTER_INDEX[p.letter];
}
