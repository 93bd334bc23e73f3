/**
 * The MIREX pattern-discovery measures, for judging motif finding against patterns a
 * person marked by hand. Defined by T. Collins for the MIREX task "Discovery of Repeated
 * Themes & Sections" (2013), after Collins, Thurlow, Laney, Willis and Garthwaite,
 * "A comparative evaluation of algorithms for discovering translational patterns in
 * Baroque keyboard works", ISMIR 2010.
 *
 * A pattern is a list of occurrences; an occurrence is a set of (onset, pitch) points.
 * - Cardinality score of two occurrences: |P n Q| / max(|P|, |Q|).
 * - Establishment matrix E(i, j): the best cardinality score between any occurrence of
 *   reference pattern i and any occurrence of found pattern j. Establishment precision is
 *   the mean over found patterns of their best E; establishment recall the mean over
 *   reference patterns of theirs. They ask: was each pattern found at all?
 * - Occurrence measures, for the pairs (i, j) with E(i, j) >= c (c = 0.75 or 0.5): the
 *   occurrence precision of the pair is the mean over j's occurrences of their best score
 *   against i's occurrences, its recall the mean over i's occurrences of their best score
 *   against j's. Occurrence precision is the mean over the found patterns that establish
 *   some reference pattern of their best pair precision; occurrence recall the mean over
 *   the reference patterns established by some found pattern of their best pair recall.
 *   They ask: once a pattern is found, are all its occurrences found, and only those?
 * F1 is the harmonic mean of a precision and a recall.
 */
import type { Motif } from '../../../src-core/analysis/motifs.ts';
import type { Melody } from '../../../src-core/music/melody.ts';

export type Point = readonly [onset: number, pitch: number];
export type Occurrence = readonly Point[];
export type Pattern = readonly Occurrence[];

export interface Scores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

const key = (p: Point): string => `${p[0]}:${p[1]}`;

/** |P n Q| / max(|P|, |Q|); 0 when both are empty. */
export function cardinalityScore(p: Occurrence, q: Occurrence): number {
  const size = Math.max(p.length, q.length);
  if (size === 0) return 0;
  const inP = new Set(p.map(key));
  const shared = new Set(q.map(key).filter((k) => inP.has(k)));
  return shared.size / size;
}

function scoreMatrix(p: Pattern, q: Pattern): number[][] {
  return p.map((occP) => q.map((occQ) => cardinalityScore(occP, occQ)));
}

function f1(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

const mean = (xs: readonly number[]): number =>
  xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
const max = (xs: readonly number[]): number => xs.reduce((a, b) => Math.max(a, b), 0);

/** Establishment matrix: E[i][j] for reference pattern i and found pattern j. */
export function establishmentMatrix(reference: readonly Pattern[], found: readonly Pattern[]): number[][] {
  return reference.map((p) => found.map((q) => max(scoreMatrix(p, q).flat())));
}

/** Establishment precision, recall and F1. */
export function establishment(reference: readonly Pattern[], found: readonly Pattern[]): Scores {
  if (reference.length === 0 || found.length === 0) return { precision: 0, recall: 0, f1: 0 };
  const e = establishmentMatrix(reference, found);
  const precision = mean(found.map((_, j) => max(e.map((row) => row[j]!))));
  const recall = mean(e.map((row) => max(row)));
  return { precision, recall, f1: f1(precision, recall) };
}

/** Occurrence precision, recall and F1 at threshold `c` (MIREX reports c = 0.75 and 0.5). */
export function occurrence(reference: readonly Pattern[], found: readonly Pattern[], c = 0.75): Scores {
  const e = establishmentMatrix(reference, found);
  const pairPrecision = new Map<string, number>();
  const pairRecall = new Map<string, number>();
  reference.forEach((p, i) => {
    found.forEach((q, j) => {
      if (e[i]![j]! < c) return;
      const s = scoreMatrix(p, q);
      // Columns are found occurrences, rows reference occurrences.
      pairPrecision.set(`${i},${j}`, mean(q.map((_, l) => max(s.map((row) => row[l]!)))));
      pairRecall.set(`${i},${j}`, mean(s.map((row) => max(row))));
    });
  });
  if (pairPrecision.size === 0) return { precision: 0, recall: 0, f1: 0 };
  const foundIds = [...new Set([...pairPrecision.keys()].map((k) => Number(k.split(',')[1])))];
  const refIds = [...new Set([...pairRecall.keys()].map((k) => Number(k.split(',')[0])))];
  const precision = mean(
    foundIds.map((j) => max(reference.map((_, i) => pairPrecision.get(`${i},${j}`) ?? 0))),
  );
  const recall = mean(refIds.map((i) => max(found.map((_, j) => pairRecall.get(`${i},${j}`) ?? 0))));
  return { precision, recall, f1: f1(precision, recall) };
}

/** The notes `indices` of `melody` as (onset, pitch) points. */
export function pointsOf(melody: Melody, indices: readonly number[]): Occurrence {
  return indices.map((i) => {
    const n = melody.notes[i];
    if (!n) throw new RangeError(`No note ${i}`);
    return [n.start, n.pitch] as const;
  });
}

/**
 * Found motifs as MIREX patterns: each occurrence as the points of its notes. MIREX
 * patterns are repeats of notes, so rhythm-only occurrences are left out, and so are
 * rhythmic motifs (which have nothing else).
 */
export function motifsToPatterns(melody: Melody, motifs: readonly Motif[]): Pattern[] {
  return motifs
    .filter((m) => m.kind === 'melodic')
    .map((m) => m.occurrences.filter((o) => o.relation !== 'rhythm').map((o) => pointsOf(melody, o.notes)));
}

/** A hand-marked pattern from runs of notes: each occurrence is [first note, count]. */
export function patternFromRuns(melody: Melody, runs: readonly (readonly [number, number])[]): Pattern {
  return runs.map(([first, count]) =>
    pointsOf(
      melody,
      Array.from({ length: count }, (_, k) => first + k),
    ),
  );
}
