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
 * the table of pair differences (note i paired with note i + d, for a fixed d): two runs
 * of notes are translations of each other when every inter-onset interval and every
 * pitch interval between neighbouring notes is the same.
 *
 * KEYS, NOT TABLES. Walking every diagonal takes n^2 steps for n notes. Instead, each
 * step between neighbouring notes becomes a token (its onset gap and interval), and runs
 * of 2^j tokens get numbers, equal for equal runs, by prefix doubling as in building a
 * suffix array (U. Manber and G. Myers, "Suffix arrays", SIAM J. Computing 22(5), 1993);
 * two overlapping such runs make the key of a run of any length. So whether two runs
 * agree is two comparisons; the windows a window may relate to are the ones with its key
 * (or, for an inversion, the key of its mirror image), looked up instead of scanned; and
 * the maximal runs on the diagonals are found from the pairs of equal two-step keys, each
 * extended by binary lifting, then taken up in the order the diagonal walk would meet
 * them. The motifs found are exactly those of the walk (findMotifsExhaustive, which the
 * tests compare on random and long melodies). Time: about n log n plus the number of
 * pairs of equal two-step figures, which grows with n^2 but is a small share of it.
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
 * Motifs are looked for in the first 1000 notes only. Classroom melodies are far shorter.
 * The keyed search no longer needs the n x n tables this limit was set for, but its pairs
 * of equal figures still grow with the square of the length, and raising the limit would
 * change what is reported for the longest files.
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

/** The relations, numbered; this order is also the order candidate windows are met in. */
const REAL = 0;
const TONAL = 1;
const MIRROR = 2;
const MIRROR_TONAL = 3;
const RHYTHM = 4;

/** The steps of a melody (step k goes from note k to k + 1), as 32-bit integers. */
interface StepData {
  /** Steps: one fewer than notes. */
  readonly m: number;
  /** Onset to onset, semitones, staff steps, for each step. */
  readonly ioi: Int32Array;
  readonly semi: Int32Array;
  readonly stf: Int32Array;
  /** How long each note lasts (m + 1 values). */
  readonly dur: Int32Array;
}

function stepData(input: MotifInput, n: number): StepData {
  const m = n - 1;
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
  return { m, ioi, semi, stf, dur };
}

/** True when steps a and b agree under relation r (the definition every search follows). */
function stepAgrees(d: StepData, r: number, a: number, b: number): boolean {
  if (d.ioi[a] !== d.ioi[b]) return false;
  if (r === REAL) return d.semi[a] === d.semi[b];
  if (r === TONAL) return d.stf[a] === d.stf[b];
  if (r === MIRROR) return d.semi[a] === -d.semi[b]!;
  if (r === MIRROR_TONAL) return d.stf[a] === -d.stf[b]!;
  // Rhythm compares how long both notes of the step last, so a run ends on a matching note.
  return d.dur[a] === d.dur[b] && d.dur[a + 1] === d.dur[b + 1];
}

/** How the search compares runs of steps. */
interface StepMatcher {
  /** True when the `steps` steps from a and those from b agree, step by step, under relation r. */
  agree(r: number, a: number, b: number, steps: number): boolean;
  /**
   * Lists of starts, each ascending, that hold every window of `w.len` notes that can
   * relate to w by pitch (and in rhythm, when `rhythm`), perhaps with others, w.x among them.
   */
  near(w: Window, rhythm: boolean): readonly ArrayLike<number>[];
  /** The candidate windows, [start, notes], in the order the diagonal walk meets them. */
  candidates(relations: readonly number[], fullK: Int32Array): [number, number][];
}

/**
 * Calls `visit` with the windows a run of `len` notes from `a` is cut into: from its
 * first note, as many notes as start within `maxBars` (fullK), then again from the next
 * note; pieces of fewer than 3 notes are left out.
 */
function eachWindow(
  fullK: Int32Array,
  a: number,
  len: number,
  visit: (pos: number, k: number) => void,
): void {
  let pos = a;
  const end = a + len;
  while (end - pos >= MIN_LENGTH) {
    const k = Math.min(fullK[pos]!, end - pos);
    if (k >= MIN_LENGTH) visit(pos, k);
    pos += k;
  }
}

/** Notes in the window a run of `notes` notes at distance d stands for (d < notes: it overlaps its repeat). */
function runWindow(d: number, notes: number): number {
  return d < notes ? Math.min(d * Math.ceil(MIN_LENGTH / d), notes) : notes;
}

/**
 * The exhaustive search: every pair of steps compared directly, every diagonal walked.
 * Quadratic or worse; the definition the keyed search must match, for tests.
 */
function exhaustiveMatcher(d: StepData, n: number): StepMatcher {
  const m = d.m;
  const agree = (r: number, a: number, b: number, steps: number): boolean => {
    if (a === b) return true;
    for (let k = 0; k < steps; k++) if (!stepAgrees(d, r, a + k, b + k)) return false;
    return true;
  };
  return {
    agree,
    near: (w) => [range(0, n - w.len + 1)],
    candidates(relations, fullK) {
      const seen = new Set<number>();
      const out: [number, number][] = [];
      const visit = (pos: number, k: number): void => {
        if (seen.has(pos * (n + 1) + k)) return;
        seen.add(pos * (n + 1) + k);
        out.push([pos, k]);
      };
      for (const r of relations) {
        for (let dist = 1; dist < m; dist++) {
          for (let a = 0; a + dist + 1 < m; a++) {
            const b = a + dist;
            // A run of at least two steps that starts here.
            if (!agree(r, a, b, MIN_LENGTH - 1) || (a > 0 && stepAgrees(d, r, a - 1, b - 1))) continue;
            let steps = MIN_LENGTH - 1;
            while (b + steps < m && stepAgrees(d, r, a + steps, b + steps)) steps++;
            eachWindow(fullK, a, runWindow(dist, steps + 1), visit);
          }
        }
      }
      return out;
    },
  };
}

/**
 * Numbers 0, 1, 2 ... for the distinct keys (non-negative, below 2^31), in order of first
 * appearance; -1 for a key of -1. An open-addressing table, since this is the inner loop
 * of the keyed search.
 */
function numberKeys(keys: Int32Array): { ids: Int32Array; count: number } {
  let bits = 4;
  while (1 << bits < 2 * keys.length) bits++;
  const mask = (1 << bits) - 1;
  const slotKey = new Int32Array(1 << bits).fill(-1);
  const slotId = new Int32Array(1 << bits);
  const ids = new Int32Array(keys.length);
  let count = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key < 0) {
      ids[i] = -1;
      continue;
    }
    let h = Math.imul(key, 0x9e3779b1) >>> (32 - bits);
    while (slotKey[h] !== -1 && slotKey[h] !== key) h = (h + 1) & mask;
    if (slotKey[h] === -1) {
      slotKey[h] = key;
      slotId[h] = count++;
    }
    ids[i] = slotId[h]!;
  }
  return { ids, count };
}

/** Keys a * base + b for pairs of numbers below `base`; callers keep base * base below 2^31. */
function checkPairBase(base: number): void {
  if (base * base >= 2 ** 31) throw new Error(`Too many different runs to number (${base})`);
}

/** Numbers 0, 1, 2 ... for the distinct tuples (parts[0][i], parts[1][i], ...). */
function tokenIds(parts: readonly Int32Array[]): { ids: Int32Array; count: number } {
  const length = parts[0]!.length;
  let numbered: { ids: Int32Array; count: number } = { ids: new Int32Array(length), count: 1 };
  for (const part of parts) {
    const own = new Map<number, number>();
    for (let i = 0; i < length; i++) if (!own.has(part[i]!)) own.set(part[i]!, own.size);
    const base = Math.max(numbered.count, own.size);
    checkPairBase(base);
    const keys = new Int32Array(length);
    for (let i = 0; i < length; i++) keys[i] = numbered.ids[i]! * base + own.get(part[i]!)!;
    numbered = numberKeys(keys);
  }
  return numbered;
}

/** Runs that are equal: for each start its group, and the starts in each group. */
interface RunGroups {
  /** Group of the run from each token (both halves); -1 where it would cross its half's end. */
  readonly id: Int32Array;
  /** Starts in the first half, group by group, each group ascending: members[from[g] ... from[g + 1] - 1]. */
  readonly members: Int32Array;
  readonly from: Int32Array;
}

/**
 * Runs of tokens numbered so that equal runs get equal numbers, whatever their place:
 * levels[j][p] numbers the 2^j tokens from p (prefix doubling, as in building a suffix
 * array), -1 where they would run past the end of p's half. Numbering stops at the first
 * level where no two runs are equal (no longer run can then be equal either).
 */
interface RunKeys {
  readonly levels: Int32Array[];
  /** Numbers used at each level. */
  readonly counts: number[];
  /** Tokens come in halves of this length (the steps, then, for pitch, their mirror image). */
  readonly half: number;
  /** Groups of equal runs, by run length, made when first asked for (see groupsOf). */
  readonly groups: Map<number, RunGroups>;
}

function numberRuns(parts: readonly Int32Array[], half: number): RunKeys {
  const first = tokenIds(parts);
  const levels = [first.ids];
  const counts = [first.count];
  const size = first.ids.length;
  let defined = size;
  for (let span = 1; 2 * span <= half && counts[counts.length - 1]! < defined; span *= 2) {
    const prev = levels[levels.length - 1]!;
    const base = counts[counts.length - 1]!;
    checkPairBase(base);
    const keys = new Int32Array(size).fill(-1);
    defined = 0;
    for (let h = 0; h < size; h += half) {
      for (let p = h; p + 2 * span <= h + half; p++) {
        keys[p] = prev[p]! * base + prev[p + span]!;
        defined++;
      }
    }
    const next = numberKeys(keys);
    levels.push(next.ids);
    counts.push(next.count);
  }
  return { levels, counts, half, groups: new Map() };
}

/** True when the `steps` tokens from p and from q are equal (both within their halves). */
function isSameRun(keys: RunKeys, p: number, q: number, steps: number): boolean {
  if (steps <= 0) return true;
  const j = 31 - Math.clz32(steps);
  if (j >= keys.levels.length) return false;
  const level = keys.levels[j]!;
  const back = steps - (1 << j);
  return level[p] === level[q] && level[p + back] === level[q + back];
}

/** How many tokens from p equal those from q, at most `limit` (q's half must hold them). */
function commonRun(keys: RunKeys, p: number, q: number, limit: number): number {
  let length = 0;
  for (let j = keys.levels.length - 1; j >= 0; j--) {
    const level = keys.levels[j]!;
    if (length + (1 << j) <= limit && level[p + length] === level[q + length]) length += 1 << j;
  }
  return length;
}

/** The groups of equal runs of `steps` tokens (two overlapping runs of 2^j tokens make the key). */
function groupsOf(keys: RunKeys, steps: number): RunGroups {
  const known = keys.groups.get(steps);
  if (known) return known;
  const size = keys.levels[0]!.length;
  const half = keys.half;
  const j = 31 - Math.clz32(steps);
  const fits = (p: number): boolean => (p % half) + steps <= half;
  let numbered: { ids: Int32Array; count: number };
  if (j < keys.levels.length) {
    const level = keys.levels[j]!;
    const base = keys.counts[j]!;
    checkPairBase(base);
    const back = steps - (1 << j);
    const pairKeys = new Int32Array(size);
    for (let p = 0; p < size; p++) pairKeys[p] = fits(p) ? level[p]! * base + level[p + back]! : -1;
    numbered = numberKeys(pairKeys);
  } else {
    // No two runs this long are equal: each is a group of its own.
    const ids = new Int32Array(size);
    for (let p = 0; p < size; p++) ids[p] = fits(p) ? p : -1;
    numbered = { ids, count: size };
  }
  const { ids, count } = numbered;
  const from = new Int32Array(count + 1);
  for (let p = 0; p < half; p++) if (ids[p]! >= 0) from[ids[p]! + 1]!++;
  for (let g = 0; g < count; g++) from[g + 1]! += from[g]!;
  const members = new Int32Array(from[count]!);
  const filled = from.slice(0, count);
  for (let p = 0; p < half; p++) if (ids[p]! >= 0) members[filled[ids[p]!]!++] = p;
  const groups = { id: ids, members, from };
  keys.groups.set(steps, groups);
  return groups;
}

/**
 * The smallest value in the ascending lists for which `test` holds, trying each value once,
 * in ascending order; -1 if none.
 */
function firstAscending(lists: readonly ArrayLike<number>[], test: (y: number) => boolean): number {
  const at = lists.map(() => 0);
  for (;;) {
    let next = -1;
    for (let i = 0; i < lists.length; i++) {
      const l = lists[i]!;
      if (at[i]! < l.length && (next < 0 || l[at[i]!]! < next)) next = l[at[i]!]!;
    }
    if (next < 0) return -1;
    for (let i = 0; i < lists.length; i++) if (lists[i]![at[i]!] === next) at[i]!++;
    if (test(next)) return next;
  }
}

/**
 * The keyed search (see METHOD in the header). Steps are tokens: (onset gap, semitones)
 * for real relations, (onset gap, staff steps) for tonal ones, each followed by its
 * mirror image (the intervals negated), and (onset gap, both notes' lengths) for rhythm.
 */
function keyedMatcher(d: StepData, n: number): StepMatcher {
  const m = d.m;
  const twice = (a: Int32Array, b: Int32Array): Int32Array => {
    const out = new Int32Array(2 * m);
    out.set(a);
    out.set(b, m);
    return out;
  };
  const negated = (a: Int32Array): Int32Array => a.map((v) => -v);
  const real = numberRuns([twice(d.ioi, d.ioi), twice(d.semi, negated(d.semi))], m);
  const tonal = numberRuns([twice(d.ioi, d.ioi), twice(d.stf, negated(d.stf))], m);
  const rhythm = numberRuns([d.ioi, d.dur.subarray(0, m), d.dur.subarray(1)], m);
  const keysOf = [real, tonal, real, tonal, rhythm];
  // For an inversion, the mirror image of one run must equal the other run.
  const mirrorOffset = [0, 0, m, m, 0];
  const agree = (r: number, a: number, b: number, steps: number): boolean =>
    a === b || isSameRun(keysOf[r]!, a + mirrorOffset[r]!, b, steps);
  return {
    agree,
    near(w, withRhythm) {
      const lists: Int32Array[] = [];
      const add = (keys: RunKeys, p: number): void => {
        const groups = groupsOf(keys, w.len - 1);
        const g = groups.id[p]!;
        if (g >= 0 && groups.from[g + 1]! > groups.from[g]!) {
          lists.push(groups.members.subarray(groups.from[g]!, groups.from[g + 1]!));
        }
      };
      add(real, w.x);
      add(tonal, w.x);
      if (w.canInvert) {
        add(real, w.x + m);
        add(tonal, w.x + m);
      }
      if (withRhythm && w.canRhythm) add(rhythm, w.x);
      return lists;
    },
    candidates(relations, fullK) {
      // Each window's place in the diagonal walk: the first (relation, distance, start)
      // of a run that yields it, then its own start.
      const base = new Int32Array(n + 1);
      for (let pos = 0; pos < n; pos++) base[pos + 1] = base[pos]! + fullK[pos]! + 1;
      const order = new Float64Array(base[n]!).fill(Infinity);
      let at = 0;
      const visit = (pos: number, k: number): void => {
        const i = base[pos]! + k;
        if (at < order[i]!) order[i] = at;
      };
      for (const r of relations) {
        const keys = keysOf[r]!;
        const offset = mirrorOffset[r]!;
        const { id, members, from } = groupsOf(keys, MIN_LENGTH - 1);
        // A run of two or more steps from (a, b) that does not go on from (a - 1, b - 1).
        const consider = (a: number, b: number): void => {
          if (a > 0 && agree(r, a - 1, b - 1, 1)) return;
          const notes = commonRun(keys, a + offset, b, m - b) + 1;
          at = (r * m + (b - a)) * m + a;
          eachWindow(fullK, a, runWindow(b - a, notes), visit);
        };
        if (offset === 0) {
          for (let g = 0; g + 1 < from.length; g++) {
            for (let i = from[g]!; i < from[g + 1]!; i++) {
              for (let k = i + 1; k < from[g + 1]!; k++) consider(members[i]!, members[k]!);
            }
          }
        } else {
          for (let a = 0; a + MIN_LENGTH - 1 <= m; a++) {
            const g = id[a + offset]!;
            if (g < 0) continue;
            for (let i = from[g]!; i < from[g + 1]!; i++) if (members[i]! > a) consider(a, members[i]!);
          }
        }
      }
      const found: { at: number; pos: number; k: number }[] = [];
      for (let pos = 0; pos < n; pos++) {
        for (let k = MIN_LENGTH; k <= fullK[pos]!; k++) {
          const first = order[base[pos]! + k]!;
          if (first !== Infinity) found.push({ at: first, pos, k });
        }
      }
      found.sort((p, q) => p.at - q.at || p.pos - q.pos);
      return found.map((f) => [f.pos, f.k]);
    },
  };
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
  readonly runs: StepMatcher;
  readonly useInversion: boolean;
  readonly useRhythm: boolean;
  /** Scratch: notes taken by the occurrences kept so far (all 0 between uses). */
  readonly taken: Uint8Array;
  /** earliestByPitch, remembered by x * 65536 + len: candidates share their earlier windows. */
  readonly earliest: Map<number, number>;
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
  if (runs.agree(REAL, x, y, need)) return s.pitches[x] === s.pitches[y] ? 'exact' : 'transposed';
  if (runs.agree(TONAL, x, y, need)) return 'tonal';
  if (w.canInvert && (runs.agree(MIRROR, x, y, need) || runs.agree(MIRROR_TONAL, x, y, need)))
    return 'inverted';
  if (
    w.canRhythm &&
    runs.agree(RHYTHM, x, y, need) &&
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

/** The earliest window other than (x, len) related to it by pitch, or -1. */
function earliestByPitch(s: Search, x: number, len: number): number {
  const key = x * 65536 + len;
  let earliest = s.earliest.get(key);
  if (earliest === undefined) {
    const w = windowOf(s, x, len);
    earliest = firstAscending(s.runs.near(w, false), (y) => y !== x && isPitchRelation(relate(s, w, y)));
    s.earliest.set(key, earliest);
  }
  return earliest;
}

/** The earliest window related to (c, len), by pitch if any, else by rhythm. */
function prototypeOf(s: Search, c: number, len: number): { proto: number; melodic: boolean } | null {
  let x = c;
  let melodic = false;
  for (let round = 0; round < 4; round++) {
    const earliest = earliestByPitch(s, x, len);
    if (earliest < 0) break;
    melodic = true;
    if (earliest >= x) break;
    x = earliest;
  }
  if (melodic) return { proto: x, melodic };
  const w = windowOf(s, x, len);
  const y = firstAscending(s.runs.near(w, true), (z) => z !== x && relate(s, w, z) === 'rhythm');
  return y < 0 ? null : { proto: Math.min(x, y), melodic: false };
}

function byStart(a: Found, b: Found): number {
  return a.start - b.start;
}

/** All occurrences of the motif whose first occurrence is (x, len), none sharing a note. */
function occurrencesOf(s: Search, x: number, len: number, melodic: boolean): Found[] {
  // Related windows by the strength of their relation, each list by start.
  const related: Found[][] = [[], [], [], [], []];
  const w = windowOf(s, x, len);
  firstAscending(s.runs.near(w, true), (y) => {
    if (y === x) return false;
    const relation = relate(s, w, y);
    if (relation === null) return false;
    // Before the first occurrence only rhythm can match (it is the earliest by pitch); leave that out.
    if (y < x && (melodic ? relation === 'rhythm' : true)) return false;
    related[STRENGTH[relation]]!.push({ start: y, relation });
    return false;
  });
  const taken = s.taken;
  taken.fill(1, x, x + len);
  const kept: Found[] = [{ start: x, relation: 'exact' }];
  for (const group of related) {
    for (const f of group) {
      let free = true;
      for (let i = f.start; i < f.start + len && free; i++) if (taken[i]) free = false;
      if (free) {
        taken.fill(1, f.start, f.start + len);
        kept.push(f);
      }
    }
  }
  for (const f of kept) taken.fill(0, f.start, f.start + len);
  return kept.sort(byStart);
}

/** The notes of the occurrences, in order. */
function notesOf(occurrences: readonly Found[], len: number): number[] {
  const notes = new Array<number>(occurrences.length * len);
  let at = 0;
  for (const f of occurrences) for (let i = 0; i < len; i++) notes[at++] = f.start + i;
  return notes;
}

/**
 * Greedy choice by newly covered notes, melodic motifs first (see RANKING). `pool` is in
 * the order ties are broken in. Each candidate's count of notes not yet covered is kept up
 * to date as notes are covered, and each is checked for redundancy once against each
 * chosen motif, so a round costs one pass over the pool.
 */
function chooseMotifs(pool: readonly Candidate[], n: number, maxMotifs: number): Candidate[] {
  const freshMain = new Int32Array(pool.length);
  const freshOther = new Int32Array(pool.length);
  // holders[first[k] ... first[k + 1] - 1]: the candidates holding note k, as 2 * index (+ 1 for other notes).
  const first = new Int32Array(n + 1);
  pool.forEach((c, i) => {
    freshMain[i] = c.mainNotes.length;
    freshOther[i] = c.otherNotes.length;
    for (const k of c.mainNotes) first[k + 1]!++;
    for (const k of c.otherNotes) first[k + 1]!++;
  });
  for (let k = 0; k < n; k++) first[k + 1]! += first[k]!;
  const holders = new Int32Array(first[n]!);
  const filled = first.slice(0, n);
  pool.forEach((c, i) => {
    for (const k of c.mainNotes) holders[filled[k]!++] = 2 * i;
    for (const k of c.otherNotes) holders[filled[k]!++] = 2 * i + 1;
  });
  const covered = new Uint8Array(n);
  const cover = (k: number): void => {
    if (covered[k]) return;
    covered[k] = 1;
    for (let h = first[k]!; h < first[k + 1]!; h++) {
      const holder = holders[h]!;
      if (holder & 1) freshOther[holder >> 1]!--;
      else freshMain[holder >> 1]!--;
    }
  };

  const chosen: Candidate[] = [];
  const alive = new Uint8Array(pool.length);
  // How many chosen motifs each candidate is known not to be redundant with.
  const checked = new Int32Array(pool.length);
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
        while (checked[i]! < chosen.length && !isRedundant(c, chosen[checked[i]!]!)) checked[i]!++;
        if (checked[i]! < chosen.length) {
          alive[i] = 0;
          continue;
        }
        score[0] = freshMain[i]!;
        score[1] = freshOther[i]!;
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
      for (const k of c.mainNotes) cover(k);
      for (const k of c.otherNotes) cover(k);
    }
  }
  return chosen;
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
  return searchMotifs(input, options, keyedMatcher);
}

/**
 * The same search comparing every pair of notes directly, along every diagonal: quadratic
 * or worse in time. For tests that check findMotifs finds exactly what it finds.
 */
export function findMotifsExhaustive(input: MotifInput, options: MotifOptions = {}): Motif[] {
  return searchMotifs(input, options, exhaustiveMatcher);
}

/**
 * The candidate windows, [start, notes], in the order the search takes them up: the order
 * in which the walk along the diagonals meets them. For tests that check the keyed search
 * takes them up in the same order as the exhaustive one.
 */
export function listCandidateWindows(
  input: MotifInput,
  options: MotifOptions = {},
  exhaustive = false,
): [number, number][] {
  return startSearch(input, options, exhaustive ? exhaustiveMatcher : keyedMatcher)?.candidates ?? [];
}

type MakeMatcher = (d: StepData, n: number) => StepMatcher;

/** The search's working data and its candidate windows; null when there are too few notes. */
function startSearch(
  input: MotifInput,
  options: MotifOptions,
  matcher: MakeMatcher,
): { search: Search; candidates: [number, number][] } | null {
  const n = Math.min(input.pitches.length, MOTIF_NOTE_LIMIT);
  if (n < 2 * MIN_LENGTH) return null;
  const cap = (options.maxBars ?? 2) * input.barSteps;
  const useInversion = options.inversions ?? true;
  const useRhythm = options.rhythm ?? true;
  const runs = matcher(stepData(input, n), n);
  const { pitches, starts, ends, barSteps } = input;
  const taken = new Uint8Array(n);
  const search: Search = {
    n,
    pitches,
    starts,
    ends,
    barSteps,
    runs,
    useInversion,
    useRhythm,
    taken,
    earliest: new Map(),
  };

  // Candidate windows from the maximal runs along every diagonal, for every relation.
  // fullK[pos]: notes from pos on that start less than `cap` after it (1 at least).
  const fullK = new Int32Array(n);
  for (let pos = 0; pos < n; pos++) {
    let k = 1;
    while (pos + k < n && starts[pos + k]! - starts[pos]! < cap) k++;
    fullK[pos] = k;
  }
  const relations = [
    REAL,
    TONAL,
    ...(useInversion ? [MIRROR, MIRROR_TONAL] : []),
    ...(useRhythm ? [RHYTHM] : []),
  ];
  return { search, candidates: runs.candidates(relations, fullK) };
}

function searchMotifs(input: MotifInput, options: MotifOptions, matcher: MakeMatcher): Motif[] {
  const started = startSearch(input, options, matcher);
  if (!started) return [];
  const { search, candidates } = started;
  const { n, runs } = search;
  const maxMotifs = options.maxMotifs ?? 8;

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
    const main = occurrences.filter(isMain);
    const others = occurrences.filter((f) => !isMain(f));
    motifs.set(key, {
      proto: found.proto,
      length: len,
      kind: melodic ? 'melodic' : 'rhythmic',
      occurrences,
      main: main.map((f) => f.start),
      all: occurrences.map((f) => f.start),
      mainNotes: notesOf(main, len),
      otherNotes: notesOf(others, len),
    });
  }

  const pool = [...motifs.values()].sort((a, b) => a.proto - b.proto || a.length - b.length);
  const chosen = chooseMotifs(pool, n, maxMotifs);

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

function toMotif(c: Candidate, input: MotifInput, runs: StepMatcher): Omit<Motif, 'label'> {
  const { pitches, starts, ends, staff } = input;
  const len = c.length;
  const x = c.proto;
  let sequence: 'real' | 'tonal' | null = null;
  const occurrences: MotifOccurrence[] = c.occurrences.map((f, i) => {
    const previous = c.occurrences[i - 1];
    const follows = previous !== undefined && previous.start + len === f.start;
    if (follows && previous !== undefined) {
      // A sequence step: the same pattern again at another pitch, straight after.
      const realStep = runs.agree(REAL, previous.start, f.start, len - 1);
      const tonalStep = runs.agree(TONAL, previous.start, f.start, len - 1);
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
