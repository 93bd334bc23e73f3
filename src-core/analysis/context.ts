/**
 * What every analysis step needs to know about a melody, worked out once: the key it is
 * read in, how each note is written in that key, and the bar and beat lengths.
 *
 * KEY: `readMelodyKey` (music/key-finding.ts): `options.key`, else the key signature the melody
 * declares read in the key its notes are in (a minor tune stored with its relative major's
 * signature is read as minor; a Dorian tune as Dorian), else the key found from the notes. This
 * is exactly the rule `buildScore` follows, so interval names here always agree with the notes
 * the score shows.
 *
 * SPELLING: each note is written with `spellPitch` in the key of its bar's region (the key
 * regions of music/key-regions.ts; the whole melody is one region unless its key changes), with
 * the same function (music/spelling.ts) and regions the score uses. Interval names come from these written notes, so F to G#
 * in A minor is an augmented second, not a minor third.
 */
import { barGrid, type BarGrid } from '../music/bars.ts';
import { describeKeyReading, readMelodyKey, type KeySource } from '../music/key-finding.ts';
import { keyName } from '../music/key.ts';
import { melodyKeyRegions, regionAtBar } from '../music/key-regions.ts';
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

export type { KeySource };

/** The key an analysis reads the melody in. */
export interface AnalysisKey extends Key {
  /** "D major", "F# minor", "A dorian". */
  readonly name: string;
  /** Where it came from (see KeySource in music/key-finding.ts). */
  readonly source: KeySource;
  /** The key the melody's file declared, or null. */
  readonly declared: Key | null;
  /** In plain words: "A minor; the file's key signature is that of C major". */
  readonly explanation: string;
  /**
   * The three best-matching keys with their scores (higher is likelier; comparable within one
   * melody only), best first: among the declared signature's keys when there is one, else among
   * all keys. Empty for a melody without notes.
   */
  readonly candidates: readonly { readonly key: Key; readonly score: number }[];
  /**
   * The keys of the melody bar by bar (0-based, inclusive), in order: one region when the key
   * never changes, more when a stretch moves to another key (music/key-regions.ts). Notes are
   * spelled in their region's key. Empty for a melody without notes.
   */
  readonly regions: readonly {
    readonly firstBar: number;
    readonly lastBar: number;
    readonly tonic: string;
    readonly mode: Key['mode'];
    readonly name: string;
  }[];
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
  /**
   * The melody's own bars (music/bars.ts): its pickup and time signature changes. Bar numbers in
   * an analysis are indices into `bars.bars`; a score prints `bars.bars[i].number`.
   */
  readonly bars: BarGrid;
  /**
   * Where the melody's barlines lie on a grid of `barSteps` from step 0: its pickup's length
   * (0 without one). Phrases are cut on this grid unless the notes say otherwise (phrases.ts).
   */
  readonly barOrigin: Steps;
  /** Steps in a bar of `melody.meter`, and in a beat (a dotted quarter in 6/8, 9/8, 12/8; else 1/denominator). */
  readonly barSteps: Steps;
  readonly beatSteps: Steps;
}

const LETTER_INDEX = { C: 0, D: 1, E: 2, F: 3, G: 4, A: 5, B: 6 } as const;

/** The key an analysis uses for `melody` (see the header). */
export function resolveKey(
  melody: Melody,
  options: ContextOptions = {},
  bars: BarGrid = barGrid(melody),
): AnalysisKey {
  const reading = readMelodyKey(melody, options.key);
  const regions = melody.notes.length === 0 ? [] : melodyKeyRegions(melody, reading, bars);
  return {
    tonic: reading.key.tonic,
    mode: reading.key.mode,
    name: keyName(reading.key),
    source: reading.source,
    declared: reading.declared,
    explanation: describeKeyReading(reading),
    candidates: reading.candidates.slice(0, 3).map((c) => ({ key: c.key, score: c.score })),
    regions: regions.map((r) => ({
      firstBar: r.firstBar,
      lastBar: r.lastBar,
      tonic: r.key.tonic,
      mode: r.key.mode,
      name: keyName(r.key),
    })),
  };
}

/** Beat length in steps: dotted quarter in compound meters (6/8, 9/8, 12/8), else one denominator unit. */
export function beatSteps(meter: Meter): Steps {
  if (meter.denominator === 8 && meter.numerator % 3 === 0) return 6;
  return 16 / meter.denominator;
}

/** Prepares `melody` for analysis. */
export function makeContext(melody: Melody, options: ContextOptions = {}): AnalysisContext {
  const bars = barGrid(melody);
  const key = resolveKey(melody, options, bars);
  const barSteps = stepsPerBar(melody.meter);
  const spelled = melody.notes.map((n) =>
    spellPitch(n.pitch, regionAtBar(key.regions, bars.barAt(n.start)) ?? key),
  );
  return {
    melody,
    key,
    pitches: melody.notes.map((n) => n.pitch),
    starts: melody.notes.map((n) => n.start),
    ends: melody.notes.map((n) => n.end),
    spelled,
    names: spelled.map(spelledName),
    staff: spelled.map(staffPosition),
    bars,
    barOrigin: (bars.bars[0]!.pickup ? bars.bars[0]!.length : 0) % barSteps,
    barSteps,
    beatSteps: beatSteps(melody.meter),
  };
}

/** Staff position of a written pitch: C4 = 28, D4 = 29, ... (7 per octave). */
export function staffPosition(p: SpelledPitch): number {
  return p.octave * 7 + LETTER_INDEX[p.letter];
}
