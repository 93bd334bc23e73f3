/**
 * Motifs: short patterns of three or more notes that come back, and every place they do.
 *
 * METHOD. A melody is a set of points (onset, pitch). SIA (D. Meredith, K. Lemström and
 * G. A. Wiggins, "Algorithms for discovering repeated patterns in multidimensional
 * representations of polyphonic music", Journal of New Music Research 31(4), 2002)
 * finds every maximal pattern that reappears under a translation by grouping the
 * difference vectors between pairs of points; SIATEC then collects, for each such
 * pattern, all the translations at which it occurs (its translational equivalence
 * class, TEC). A motif, for a teacher, is a run of consecutive notes whose repeat is also
 * a run of consecutive notes. Such patterns are exactly the runs along the diagonals of
 * the table of pair differences (note i paired with note i + d, for a fixed d), so we
 * walk those diagonals, which takes O(n^2) time instead of SIATEC's O(n^3):
 * two runs of notes are translations of each other when every inter-onset interval
 * and every pitch interval between neighbouring notes is the same.
 *
 * Translation in (onset, pitch) finds exact repeats and real transpositions. The other
 * relations lessons ask about need other point sets, searched the same way:
 * - tonal (diatonic) transposition, as in a tonal sequence: translation in (onset, staff
 *   position), i.e. the same steps along the scale while some interval qualities change
 *   (Meredith's "morphetic pitch" does the same job);
 * - inversion: translation between the melody and its mirror image, i.e. every pitch
 *   interval negated (in semitones, or in staff steps for a diatonic inversion), same
 *   rhythm;
 * - rhythm only: translation in (onset, duration) with any pitches.
 * Pitch relations compare onsets, not how long each note is held (as SIA does), so a
 * repeat played more detached is still a repeat. Rhythm-only relations compare durations
 * too, since there the rhythm is all there is.
 *
 * WHAT COUNTS (a teacher would not call every shared scrap of scale a motif):
 * - at least 3 notes, at least two occurrences that share no note, and the first and last
 *   onsets less than `maxBars` bars apart (2 by default: longer repeats are the business
 *   of phrases and form);
 * - a "plain" pattern (one pitch repeated; a run of three notes by step in one
 *   direction; a longer such run in even notes) counts only as an exact repeat of 4 or
 *   more notes, or as part of a chain of back-to-back occurrences (a sequence);
 * - a 3-note pattern counts as a tonal transposition only back to back (in a sequence):
 *   two intervals in the same rhythm recur by chance all through a tonal melody; and a
 *   3-note motif must be heard at least three times (by pitch, or in rhythm for a
 *   rhythmic one): twice is too little for so short a figure;
 * - inversion needs 4 or more notes and a pattern that turns (rises and falls): a falling
 *   scale is not heard as a rising one upside down;
 * - rhythm-only needs an uneven rhythm (not all values equal) starting at the same place
 *   in the bar; rhythm-only occurrences before the first pitch-related one are left to
 *   their own rhythmic motif.
 *
 * RANKING. Like COSIATEC (D. Meredith, "COSIATEC and SIATECCompress", MIREX 2013), motifs
 * are chosen greedily, each time the one whose pitch-related occurrences cover the most
 * notes not yet covered (ties: more new notes in rhythm-only occurrences, more
 * occurrences, longer, earlier). A pattern that only shows again what a chosen motif
 * shows is dropped: when each of its occurrences has two thirds of its notes inside a
 * different occurrence of that motif. So sub-patterns and near-copies of a repeated idea
 * are not listed again, while a motif that recurs inside one occurrence of a longer one,
 * or a longer passage around a motif, is kept. Melodic motifs (with a pitch relation) are
 * chosen before rhythmic ones (rhythm only). At most `maxMotifs` (8) are returned, of
 * which at most 3 rhythmic: melodic motifs first, then rhythmic ones, each ordered by how
 * many notes their occurrences cover, then by first appearance.
 *
 * Everything is deterministic: equal scores are broken by position, never by chance.
 * Only the first MOTIF_NOTE_LIMIT (1000) notes are searched.
 */
import type { MidiPitch, Steps } from '../music/melody.ts';

export type MotifRelation = 'exact' | 'transposed' | 'tonal' | 'inverted' | 'rhythm';

export interface MotifOccurrence {
  /** Index of the first note. */
  readonly start: number;
  /** Indices of its notes: start, start + 1, ... (consecutive melody notes). */
  readonly notes: readonly number[];
  /** Onset of the first note, in steps. */
  readonly onset: Steps;
  /**
   * How it relates to the first occurrence: "exact" (same pitches and rhythm),
   * "transposed" (real transposition: every interval the same in semitones), "tonal"
   * (same steps along the scale, some interval qualities differ), "inverted" (intervals
   * mirrored), "rhythm" (same rhythm, other pitches). The first occurrence is "exact".
   */
  readonly relation: MotifRelation;
  /** Semitones from the first occurrence's first note to this one's first note. */
  readonly transposition: number;
  /** Staff steps (letter names) between the same two notes: 1 = a second higher. */
  readonly degrees: number;
  /** True when it starts on the note right after the previous occurrence's last note. */
  readonly follows: boolean;
}

export interface Motif {
  /** "x", "y", "z", "w", ... in rank order. */
  readonly label: string;
  /** "melodic": recurs with a pitch relation; "rhythmic": only its rhythm recurs. */
  readonly kind: 'melodic' | 'rhythmic';
  /** Notes in each occurrence. */
  readonly length: number;
  /** From the first onset to the end of the last note of the first occurrence, in steps. */
  readonly span: Steps;
  /** Semitone intervals between the notes of the first occurrence. */
  readonly intervals: readonly number[];
  /** Onsets of the first occurrence's notes relative to its first note, in steps. */
  readonly rhythm: readonly Steps[];
  /** Sorted by start; the first is the reference the relations are measured from. */
  readonly occurrences: readonly MotifOccurrence[];
  /** Notes in all occurrences, and that as a share of the melody's notes. */
  readonly coveredNotes: number;
  readonly coverage: number;
  /**
   * "real" or "tonal" when two or more occurrences at different pitches follow each
   * other back to back (a sequence); "tonal" if any of those steps is tonal. Else null.
   */
  readonly sequence: 'real' | 'tonal' | null;
}

export interface MotifOptions {
  /** Most motifs returned (default 8). */
  readonly maxMotifs?: number;
  /** Longest motif, as bars between its first and last onset (default 2). */
  readonly maxBars?: number;
  /** Look for inversions (default true). */
  readonly inversions?: boolean;
  /** Look for rhythm-only repeats (default true). */
  readonly rhythm?: boolean;
}

/** What motif finding needs to know about the notes. */
export interface MotifInput {
  readonly pitches: readonly MidiPitch[];
  readonly starts: readonly Steps[];
  readonly ends: readonly Steps[];
  /** Staff positions (context.ts) for tonal relations. */
  readonly staff: readonly number[];
  readonly barSteps: Steps;
}

const LABELS = ['x', 'y', 'z', 'w', 'v', 'u', 't', 's', 'r', 'q'];

/**
 * Motifs are looked for in the first 1000 notes only: the search keeps five tables of
 * n x n run lengths (10 MB at this size). Classroom melodies are far shorter.
 */
export const MOTIF_NOTE_LIMIT = 1000;
const MIN_LENGTH = 3;
/** Rhythmic motifs come after the melodic ones, three at most. */
const MAX_RHYTHMIC = 3;
/** Relation order: stronger first. */
const STRENGTH: Readonly<Record<MotifRelation, number>> = {
  exact: 0,
  transposed: 1,
  tonal: 2,
  inverted: 3,
  rhythm: 4,
};

const REAL = 0;
const TONAL = 1;
const MIRROR = 2;
const MIRROR_TONAL = 3;
const RHYTHM = 4;

/**
 * Run lengths along the diagonals: for steps a < b (step k goes from note k to k + 1),
 * how many consecutive steps from (a, b) on agree under each relation.
 */
class DiagonalRuns {
  readonly tables: Uint16Array[];
  constructor(
    readonly steps: number,
    input: MotifInput,
  ) {
    const m = steps;
    const { pitches, starts, ends, staff } = input;
    const ioi = new Int32Array(m);
    const semi = new Int32Array(m);
    const stf = new Int32Array(m);
    const dur = new Int32Array(m + 1);
    for (let k = 0; k <= m; k++) dur[k] = ends[k]! - starts[k]!;
    for (let k = 0; k < m; k++) {
      ioi[k] = starts[k + 1]! - starts[k]!;
      semi[k] = pitches[k + 1]! - pitches[k]!;
      stf[k] = staff[k + 1]! - staff[k]!;
    }
    this.tables = [0, 1, 2, 3, 4].map(() => new Uint16Array(m * m));
    const [real, tonal, mirror, mirrorTonal, rhythm] = this.tables as [
      Uint16Array,
      Uint16Array,
      Uint16Array,
      Uint16Array,
      Uint16Array,
    ];
    for (let a = m - 2; a >= 0; a--) {
      for (let b = m - 1; b > a; b--) {
        if (ioi[a] !== ioi[b]) continue;
        const here = a * m + b;
        const next = b + 1 < m ? here + m + 1 : -1;
        const sa = semi[a]!;
        const sb = semi[b]!;
        const ta = stf[a]!;
        const tb = stf[b]!;
        if (sa === sb) real[here] = next >= 0 ? real[next]! + 1 : 1;
        if (ta === tb) tonal[here] = next >= 0 ? tonal[next]! + 1 : 1;
        if (sa === -sb) mirror[here] = next >= 0 ? mirror[next]! + 1 : 1;
        if (ta === -tb) mirrorTonal[here] = next >= 0 ? mirrorTonal[next]! + 1 : 1;
        // Rhythm compares how long both notes of the step last, so a run ends on a matching note.
        if (dur[a] === dur[b] && dur[a + 1] === dur[b + 1]) rhythm[here] = next >= 0 ? rhythm[next]! + 1 : 1;
      }
    }
  }

  /** Agreeing steps from note pair (a, b) on, under relation `r`. */
  run(r: number, a: number, b: number): number {
    if (a === b) return this.steps - a;
    const t = this.tables[r]!;
    return a < b ? t[a * this.steps + b]! : t[b * this.steps + a]!;
  }
}

interface Found {
  readonly start: number;
  readonly relation: MotifRelation;
}

interface Candidate {
  readonly proto: number;
  readonly length: number;
  readonly kind: 'melodic' | 'rhythmic';
  /** Sorted by start, the first being the reference. */
  readonly occurrences: readonly Found[];
  /** Starts of the occurrences that define the motif: the pitch-related ones (melodic), all (rhythmic). */
  readonly main: readonly number[];
  /** Starts of all occurrences. */
  readonly all: readonly number[];
  /** Notes of those occurrences, and of the others (rhythm-only occurrences of a melodic motif). */
  readonly mainNotes: readonly number[];
  readonly otherNotes: readonly number[];
}

/** What the search for one melody's motifs works from. */
interface Search {
  readonly n: number;
  readonly pitches: readonly MidiPitch[];
  readonly starts: readonly Steps[];
  readonly ends: readonly Steps[];
  readonly barSteps: Steps;
  readonly runs: DiagonalRuns;
  readonly useInversion: boolean;
  readonly useRhythm: boolean;
}

/** A window of notes (x, x + 1, ... x + len - 1) with what its relations depend on, worked out once. */
interface Window {
  readonly x: number;
  readonly len: number;
  readonly canInvert: boolean;
  readonly canRhythm: boolean;
  readonly lastDuration: Steps;
  readonly barOffset: Steps;
  readonly plain: boolean;
}

function duration(s: Search, i: number): Steps {
  return s.ends[i]! - s.starts[i]!;
}

/** True when the onsets are evenly spaced. */
function isEvenOnsets(s: Search, x: number, len: number): boolean {
  const first = s.starts[x + 1]! - s.starts[x]!;
  for (let k = x + 1; k < x + len - 1; k++) if (s.starts[k + 1]! - s.starts[k]! !== first) return false;
  return true;
}

/** True when the onsets are evenly spaced and every note, the last included, lasts as long. */
function isEven(s: Search, x: number, len: number): boolean {
  if (!isEvenOnsets(s, x, len)) return false;
  for (let i = x + 1; i < x + len; i++) if (duration(s, i) !== duration(s, x)) return false;
  return true;
}

/** One pitch repeated; three notes by step one way; a longer run by step one way in even onsets. */
function isPlain(s: Search, x: number, len: number): boolean {
  const first = s.pitches[x + 1]! - s.pitches[x]!;
  for (let k = x; k < x + len - 1; k++) {
    const d = s.pitches[k + 1]! - s.pitches[k]!;
    if (first === 0 ? d !== 0 : Math.sign(d) !== Math.sign(first) || Math.abs(d) > 2) return false;
  }
  return first === 0 || len === 3 || isEvenOnsets(s, x, len);
}

/** True when the window both rises and falls. */
function turns(s: Search, x: number, len: number): boolean {
  let up = false;
  let down = false;
  for (let k = x; k < x + len - 1; k++) {
    const d = s.pitches[k + 1]! - s.pitches[k]!;
    if (d > 0) up = true;
    if (d < 0) down = true;
  }
  return up && down;
}

function windowOf(s: Search, x: number, len: number): Window {
  return {
    x,
    len,
    canInvert: s.useInversion && len >= 4 && turns(s, x, len),
    canRhythm: s.useRhythm && !isEven(s, x, len),
    lastDuration: duration(s, x + len - 1),
    barOffset: mod(s.starts[x]!, s.barSteps),
    plain: isPlain(s, x, len),
  };
}

function isPitchRelation(r: MotifRelation | null): boolean {
  return r !== null && r !== 'rhythm';
}

/** How window (y, len) relates to window w, or null, before the rules on plain patterns. */
function relateAny(s: Search, w: Window, y: number): MotifRelation | null {
  const { x, len } = w;
  if (x === y) return 'exact';
  const need = len - 1;
  const runs = s.runs;
  if (runs.run(REAL, x, y) >= need) return s.pitches[x] === s.pitches[y] ? 'exact' : 'transposed';
  if (runs.run(TONAL, x, y) >= need) return 'tonal';
  if (w.canInvert && (runs.run(MIRROR, x, y) >= need || runs.run(MIRROR_TONAL, x, y) >= need))
    return 'inverted';
  if (
    w.canRhythm &&
    runs.run(RHYTHM, x, y) >= need &&
    duration(s, y + len - 1) === w.lastDuration &&
    mod(s.starts[y]!, s.barSteps) === w.barOffset
  ) {
    return 'rhythm';
  }
  return null;
}

/**
 * How window (y, len) relates to window w, or null. A plain pattern's repeats (except
 * exact ones of 4 notes or more) and a 3-note pattern's tonal transpositions count only
 * in a chain of back-to-back occurrences from w to y.
 */
function relate(s: Search, w: Window, y: number): MotifRelation | null {
  const relation = relateAny(s, w, y);
  const { x, len } = w;
  if (x === y || !isPitchRelation(relation)) return relation;
  const conditional = (len === 3 && relation === 'tonal') || (w.plain && !(relation === 'exact' && len >= 4));
  if (!conditional) return relation;
  if ((y - x) % len !== 0) return null;
  const step = y > x ? len : -len;
  for (let z = x + step; z !== y; z += step) if (!isPitchRelation(relateAny(s, w, z))) return null;
  return relation;
}

/** The earliest window related to (c, len), by pitch if any, else by rhythm. */
function prototypeOf(s: Search, c: number, len: number): { proto: number; melodic: boolean } | null {
  let x = c;
  let melodic = false;
  for (let round = 0; round < 4; round++) {
    let earliest = -1;
    const w = windowOf(s, x, len);
    for (let y = 0; y <= s.n - len; y++) {
      if (y !== x && isPitchRelation(relate(s, w, y))) {
        earliest = y;
        break;
      }
    }
    if (earliest < 0) break;
    melodic = true;
    if (earliest >= x) break;
    x = earliest;
  }
  if (melodic) return { proto: x, melodic };
  const w = windowOf(s, x, len);
  for (let y = 0; y <= s.n - len; y++) {
    if (y !== x && relate(s, w, y) === 'rhythm') return { proto: Math.min(x, y), melodic: false };
  }
  return null;
}

function byStrengthThenStart(a: Found, b: Found): number {
  return STRENGTH[a.relation] - STRENGTH[b.relation] || a.start - b.start;
}

function byStart(a: Found, b: Found): number {
  return a.start - b.start;
}

/** All occurrences of the motif whose first occurrence is (x, len), none sharing a note. */
function occurrencesOf(s: Search, x: number, len: number, melodic: boolean): Found[] {
  const related: Found[] = [];
  const w = windowOf(s, x, len);
  for (let y = 0; y <= s.n - len; y++) {
    if (y === x) continue;
    const relation = relate(s, w, y);
    if (relation === null) continue;
    // Before the first occurrence only rhythm can match (it is the earliest by pitch); leave that out.
    if (y < x && (melodic ? relation === 'rhythm' : true)) continue;
    related.push({ start: y, relation });
  }
  related.sort(byStrengthThenStart);
  const taken = new Uint8Array(s.n);
  taken.fill(1, x, x + len);
  const kept: Found[] = [{ start: x, relation: 'exact' }];
  for (const f of related) {
    let free = true;
    for (let i = f.start; i < f.start + len; i++) if (taken[i]) free = false;
    if (free) {
      taken.fill(1, f.start, f.start + len);
      kept.push(f);
    }
  }
  return kept.sort(byStart);
}

/** How many of `notes` are not yet covered. */
function countFresh(notes: readonly number[], covered: Uint8Array): number {
  let count = 0;
  for (const i of notes) if (!covered[i]) count++;
  return count;
}

/** Lexicographic comparison of scores: higher is better, earlier entries first. */
function isBetter(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! !== b[i]!) return a[i]! > b[i]!;
  }
  return false;
}

/**
 * True when `c` only restates what the chosen motif `a` already shows: each of its
 * defining occurrences has at least two thirds of its notes inside a defining occurrence
 * of `a` (any occurrence of `a`, when `c` is rhythmic), and no occurrence of `a` holds two
 * of them. A motif that recurs within one occurrence of `a`, or elsewhere, or that
 * reaches well beyond `a`, is not redundant.
 */
function isRedundant(c: Candidate, a: Candidate): boolean {
  const against = c.kind === 'rhythmic' ? a.all : a.main;
  const inside = Math.ceil((2 * c.length) / 3);
  let previous = -1;
  for (const s of c.main) {
    // Occurrences are sorted and do not overlap, so each can only land in a later one of `a`.
    let hit = -1;
    for (const t of against) {
      if (Math.min(s + c.length, t + a.length) - Math.max(s, t) >= inside) {
        hit = t;
        break;
      }
    }
    if (hit < 0 || hit === previous) return false;
    previous = hit;
  }
  return true;
}

/**
 * Finds the motifs of a melody (see the header for the rules).
 * @example findMotifs(input).map(m => m.occurrences.map(o => o.start))
 */
export function findMotifs(input: MotifInput, options: MotifOptions = {}): Motif[] {
  const n = Math.min(input.pitches.length, MOTIF_NOTE_LIMIT);
  if (n < 2 * MIN_LENGTH) return [];
  const maxMotifs = options.maxMotifs ?? 8;
  const cap = (options.maxBars ?? 2) * input.barSteps;
  const useInversion = options.inversions ?? true;
  const useRhythm = options.rhythm ?? true;
  const m = n - 1;
  const runs = new DiagonalRuns(m, input);
  const { pitches, starts, ends, barSteps } = input;

  const search: Search = { n, pitches, starts, ends, barSteps, runs, useInversion, useRhythm };

  // Candidate windows from the maximal runs along every diagonal, for every relation.
  const seen = new Uint8Array(n * (n + 1));
  const candidates: [number, number][] = [];
  const addWindow = (a: number, len: number): void => {
    let pos = a;
    const end = a + len;
    while (end - pos >= MIN_LENGTH) {
      let k = 1;
      while (pos + k < end && starts[pos + k]! - starts[pos]! < cap) k++;
      if (k >= MIN_LENGTH) {
        if (!seen[pos * (n + 1) + k]) {
          seen[pos * (n + 1) + k] = 1;
          candidates.push([pos, k]);
        }
      }
      pos += k;
    }
  };
  const relations = [
    REAL,
    TONAL,
    ...(useInversion ? [MIRROR, MIRROR_TONAL] : []),
    ...(useRhythm ? [RHYTHM] : []),
  ];
  for (const r of relations) {
    const table = runs.tables[r]!;
    for (let d = 1; d < m; d++) {
      for (let a = 0; a + d < m; a++) {
        const b = a + d;
        const here = a * m + b;
        const steps = table[here]!;
        if (steps < MIN_LENGTH - 1) continue;
        if (a > 0 && table[here - m - 1]! > 0) continue; // not where the run starts
        const notes = steps + 1;
        if (d < notes) {
          // The run overlaps its own repeat: the repeating unit is d notes long.
          const unit = d * Math.ceil(MIN_LENGTH / d);
          addWindow(a, Math.min(unit, notes));
        } else {
          addWindow(a, notes);
        }
      }
    }
  }

  // Each candidate becomes a motif with its first occurrence as the reference.
  const motifs = new Map<number, Candidate>();
  const rejected = new Set<number>();
  for (const [c, len] of candidates) {
    const found = prototypeOf(search, c, len);
    if (!found) continue;
    const key = found.proto * 65536 + len;
    if (motifs.has(key) || rejected.has(key)) continue;
    const occurrences = occurrencesOf(search, found.proto, len, found.melodic);
    const byPitch = occurrences.filter((f) => f.start === found.proto || isPitchRelation(f.relation)).length;
    const melodic = byPitch >= 2;
    const defining = melodic ? byPitch : occurrences.length;
    if (occurrences.length < 2 || (len === MIN_LENGTH && defining < 3)) {
      rejected.add(key);
      continue;
    }
    const isMain = (f: Found): boolean => !melodic || f.start === found.proto || isPitchRelation(f.relation);
    motifs.set(key, {
      proto: found.proto,
      length: len,
      kind: melodic ? 'melodic' : 'rhythmic',
      occurrences,
      main: occurrences.filter(isMain).map((f) => f.start),
      all: occurrences.map((f) => f.start),
      mainNotes: occurrences.filter(isMain).flatMap((f) => range(f.start, len)),
      otherNotes: occurrences.filter((f) => !isMain(f)).flatMap((f) => range(f.start, len)),
    });
  }

  // Greedy choice by newly covered notes, melodic motifs first.
  const pool = [...motifs.values()].sort((a, b) => a.proto - b.proto || a.length - b.length);
  const covered = new Uint8Array(n);
  const chosen: Candidate[] = [];
  const alive = new Uint8Array(pool.length);
  const score = [0, 0, 0, 0];
  const bestScore = [0, 0, 0, 0];
  for (const kind of ['melodic', 'rhythmic'] as const) {
    for (let i = 0; i < pool.length; i++) alive[i] = pool[i]!.kind === kind ? 1 : 0;
    const limit = kind === 'melodic' ? maxMotifs : Math.min(maxMotifs, chosen.length + MAX_RHYTHMIC);
    while (chosen.length < limit) {
      let best = -1;
      for (let i = 0; i < pool.length; i++) {
        if (!alive[i]) continue;
        const c = pool[i]!;
        let redundant = false;
        for (const a of chosen) if (isRedundant(c, a)) redundant = true;
        if (redundant) {
          alive[i] = 0;
          continue;
        }
        score[0] = countFresh(c.mainNotes, covered);
        score[1] = countFresh(c.otherNotes, covered);
        score[2] = c.occurrences.length;
        score[3] = c.length;
        if (best < 0 || isBetter(score, bestScore)) {
          best = i;
          for (let k = 0; k < 4; k++) bestScore[k] = score[k]!;
        }
      }
      if (best < 0 || bestScore[0]! < MIN_LENGTH) break;
      const c = pool[best]!;
      alive[best] = 0;
      chosen.push(c);
      for (const i of c.mainNotes) covered[i] = 1;
      for (const i of c.otherNotes) covered[i] = 1;
    }
  }

  const ranked = chosen
    .map((c) => toMotif(c, input, runs))
    .sort(
      (a, b) =>
        (a.kind === b.kind ? 0 : a.kind === 'melodic' ? -1 : 1) ||
        b.coveredNotes - a.coveredNotes ||
        a.occurrences[0]!.start - b.occurrences[0]!.start ||
        a.length - b.length,
    );
  return ranked.map((motif, i) => ({ ...motif, label: motifLabel(i) }));
}

function toMotif(c: Candidate, input: MotifInput, runs: DiagonalRuns): Omit<Motif, 'label'> {
  const { pitches, starts, ends, staff } = input;
  const len = c.length;
  const x = c.proto;
  let sequence: 'real' | 'tonal' | null = null;
  const occurrences: MotifOccurrence[] = c.occurrences.map((f, i) => {
    const previous = c.occurrences[i - 1];
    const follows = previous !== undefined && previous.start + len === f.start;
    if (follows && previous !== undefined) {
      // A sequence step: the same pattern again at another pitch, straight after.
      const realStep = runs.run(REAL, previous.start, f.start) >= len - 1;
      const tonalStep = runs.run(TONAL, previous.start, f.start) >= len - 1;
      if (realStep && pitches[previous.start] !== pitches[f.start]) sequence ??= 'real';
      else if (tonalStep && staff[previous.start] !== staff[f.start]) sequence = 'tonal';
    }
    return {
      start: f.start,
      notes: range(f.start, len),
      onset: starts[f.start]!,
      relation: f.relation,
      transposition: pitches[f.start]! - pitches[x]!,
      degrees: staff[f.start]! - staff[x]!,
      follows,
    };
  });
  const unique = new Set([...c.mainNotes, ...c.otherNotes]);
  return {
    kind: c.kind,
    length: len,
    span: ends[x + len - 1]! - starts[x]!,
    intervals: range(x, len - 1).map((i) => pitches[i + 1]! - pitches[i]!),
    rhythm: range(x, len).map((i) => starts[i]! - starts[x]!),
    occurrences,
    coveredNotes: unique.size,
    coverage: unique.size / pitches.length,
    sequence,
  };
}

/** The label of the motif ranked `i` (from 0): x, y, z, w, v, u, t, s, r, q, then m11, m12 ... */
export function motifLabel(i: number): string {
  return LABELS[i] ?? `m${i + 1}`;
}

function range(from: number, count: number): number[] {
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = from + i;
  return out;
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
