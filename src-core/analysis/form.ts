/**
 * Form: which phrases and bars restate earlier ones, and the letters a teacher writes
 * over them (A A' B A).
 *
 * COMPARING TWO PHRASES. Each phrase is a set of points (onset measured from the phrase's
 * first barline; pitch). Only the phrase's body counts, from its first barline on: a pickup
 * is left out, so a phrase that comes back with or without its upbeat is the same phrase.
 * When one body is the other plus notes in its last half-bar (the upbeat of the next phrase
 * heard at the end of this one), those notes are left out too if that makes the two an
 * exact, transposed or tonal repeat. Against every earlier phrase:
 * - exact: the same rhythm (onsets and note lengths; how long a phrase's last note is
 *   held does not matter) and the same pitches;
 * - transposed: the same rhythm, every pitch moved by the same number of semitones;
 * - tonal: the same rhythm, every note moved the same number of steps along the staff
 *   (a diatonic transposition, as in a tonal sequence);
 * - varied: at least half the points are shared, counted with the MIREX cardinality score
 *   |P n Q| / max(|P|, |Q|) (T. Collins, MIREX "Discovery of repeated themes and
 *   sections", 2013): a changed ending, an added passing note, a new rhythm in one bar.
 *
 * LETTERS. The first phrase is A. A later phrase that is an exact repeat of an earlier one
 * takes its label (A, or A' if it repeats an A'). Otherwise, a transposed, tonal or varied
 * restatement of an earlier phrase takes that phrase's letter with the next prime (A',
 * A'', ...), preferring the strongest relation, then the best score, then the earliest
 * phrase. Anything else takes the next new letter (B, C, ...). The form string is the
 * labels run together: "AA'BA".
 *
 * BARS. Each bar with notes is compared with every earlier bar the same way (onsets from
 * the barline, note lengths cut at the next barline, the last note's length counting
 * too), and the earlier bar it restates most strongly (exact, then transposed, tonal,
 * varied, and finally rhythm only: same onsets and lengths, other pitches), the first
 * such bar on ties, is reported: the answer to "which bars repeat?". A bar is short, so a
 * varied bar must share three quarters of its points (0.75), not half; and a bar of one
 * note can only repeat another exactly or in rhythm (one note is not "transposed").
 *
 * RESTATEMENT: the share of the melody's notes that restate earlier material: every note
 * of a phrase that repeats an earlier one exactly, transposed or tonally; the shared notes
 * of a varied phrase; and every note of a later occurrence of a melodic motif (exact,
 * transposed, tonal or inverted; rhythm-only occurrences do not count, their pitches are new).
 */
import type { Steps } from '../music/melody.ts';
import type { AnalysisContext } from './context.ts';
import type { Motif } from './motifs.ts';
import type { PhraseSpan } from './phrases.ts';

export type PhraseRelation = 'new' | 'exact' | 'transposed' | 'tonal' | 'varied';
export type BarRelation = 'exact' | 'transposed' | 'tonal' | 'varied' | 'rhythm';

export interface PhraseLabel {
  /** "A", "A'", "B", "A''". */
  readonly label: string;
  /** The letter alone: "A". */
  readonly letter: string;
  readonly relation: PhraseRelation;
  /** Index of the earlier phrase it restates, or null for new material. */
  readonly of: number | null;
  /** Cardinality score against `of` (1 for exact, transposed and tonal; 0 for new). */
  readonly similarity: number;
  /** Semitones from `of` for a transposed phrase; else 0. */
  readonly transposition: number;
  /** Staff steps from `of` for a transposed or tonal phrase; else 0. */
  readonly degrees: number;
  /** Notes of this phrase shared with `of` (all of them unless varied). */
  readonly sharedNotes: readonly number[];
}

export interface BarRepeat {
  /** 0-based bar that restates an earlier one. */
  readonly bar: number;
  /** The first earlier bar it matches. */
  readonly of: number;
  readonly relation: BarRelation;
  /** Semitones from `of` for exact and transposed bars; else 0. */
  readonly transposition: number;
}

export interface Restatement {
  /** Notes that restate earlier material, sorted. */
  readonly notes: readonly number[];
  /** notes.length / number of notes (0 for an empty melody). */
  readonly share: number;
}

/** Cardinality score from which a phrase, or a bar, counts as a varied restatement. */
const PHRASE_VARIED = 0.5;
const BAR_VARIED = 0.75;
const STRENGTH: Readonly<Record<PhraseRelation, number>> = {
  exact: 0,
  transposed: 1,
  tonal: 2,
  varied: 3,
  new: 4,
};

interface Points {
  readonly notes: readonly number[];
  readonly onsets: readonly Steps[];
  /** How long each note lasts (cut at the end of the group for bars). */
  readonly durations: readonly Steps[];
  /** True when the last note's length does not matter (phrases); false for bars. */
  readonly lastFree: boolean;
  /** Each point as one number, onset * 128 + pitch, for counting shared points. */
  readonly keys: ReadonlySet<number>;
}

function makePoints(
  ctx: AnalysisContext,
  notes: readonly number[],
  origin: Steps,
  end: Steps | null,
): Points {
  const onsets = notes.map((i) => ctx.starts[i]! - origin);
  return {
    notes,
    onsets,
    durations: notes.map((i) => (end === null ? ctx.ends[i]! : Math.min(ctx.ends[i]!, end)) - ctx.starts[i]!),
    lastFree: end === null,
    keys: new Set(notes.map((n, k) => onsets[k]! * 128 + ctx.pitches[n]!)),
  };
}

interface Comparison {
  readonly relation: PhraseRelation;
  readonly similarity: number;
  readonly transposition: number;
  readonly degrees: number;
  readonly shared: readonly number[];
}

/** Compares the note groups `b` (later) and `a` (earlier), as described in the header. */
function compare(ctx: AnalysisContext, a: Points, b: Points, threshold: number): Comparison {
  const { pitches, staff } = ctx;
  const none: Comparison = { relation: 'new', similarity: 0, transposition: 0, degrees: 0, shared: [] };
  if (a.notes.length === 0 || b.notes.length === 0) return none;
  const sameRhythm =
    a.notes.length === b.notes.length &&
    a.onsets.every((o, i) => o === b.onsets[i]) &&
    a.durations.every((d, i) => d === b.durations[i] || (a.lastFree && i === a.durations.length - 1));
  if (sameRhythm) {
    const t = pitches[b.notes[0]!]! - pitches[a.notes[0]!]!;
    const d = staff[b.notes[0]!]! - staff[a.notes[0]!]!;
    const real = a.notes.every((ai, i) => pitches[b.notes[i]!]! - pitches[ai]! === t);
    if (real) {
      return {
        relation: t === 0 ? 'exact' : 'transposed',
        similarity: 1,
        transposition: t,
        degrees: d,
        shared: b.notes,
      };
    }
    if (a.notes.every((ai, i) => staff[b.notes[i]!]! - staff[ai]! === d)) {
      return { relation: 'tonal', similarity: 1, transposition: 0, degrees: d, shared: b.notes };
    }
  }
  // A quick bound: fewer notes than the threshold needs cannot be shared.
  const most = Math.max(a.notes.length, b.notes.length);
  if (Math.min(a.notes.length, b.notes.length) < threshold * most) return none;
  const shared = b.notes.filter((bi, i) => a.keys.has(b.onsets[i]! * 128 + pitches[bi]!));
  const similarity = shared.length / most;
  if (similarity >= threshold)
    return { relation: 'varied', similarity, transposition: 0, degrees: 0, shared };
  return { ...none, similarity };
}

/** A phrase for comparison: its body (the notes from its first barline on) and all its notes. */
interface PhrasePoints {
  readonly body: Points;
  readonly all: readonly number[];
  /** Step of the phrase's first barline, and of the barline after its last bar. */
  readonly origin: Steps;
  readonly end: Steps;
}

function phrasePoints(ctx: AnalysisContext, p: PhraseSpan, barOffset: Steps): PhrasePoints {
  const origin = p.firstBar * ctx.barSteps + barOffset;
  const all: number[] = [];
  for (let i = p.firstNote; i <= p.lastNote; i++) all.push(i);
  const inBody = all.filter((i) => ctx.starts[i]! >= origin);
  const body = inBody.length > 0 ? inBody : all;
  return {
    body: makePoints(ctx, body, origin, null),
    all,
    origin,
    end: (p.lastBar + 1) * ctx.barSteps + barOffset,
  };
}

/** The first `count` notes of a phrase's body as points. */
function bodyPrefix(ctx: AnalysisContext, p: PhrasePoints, count: number): Points {
  return makePoints(ctx, p.body.notes.slice(0, count), p.origin, null);
}

/**
 * Compares phrase `b` (later) with `a` (earlier) by their bodies (see the header): the
 * pickup does not count, nor a lead-in to the next phrase at the end of the longer body.
 */
function comparePhrases(ctx: AnalysisContext, a: PhrasePoints, b: PhrasePoints): Comparison {
  const c = compare(ctx, a.body, b.body, PHRASE_VARIED);
  const strong = (x: Comparison): boolean =>
    x.relation === 'exact' || x.relation === 'transposed' || x.relation === 'tonal';
  const whole = (x: Comparison): Comparison => ({ ...x, shared: b.all });
  if (strong(c)) return whole(c);
  const na = a.body.notes.length;
  const nb = b.body.notes.length;
  if (na === nb) return c;
  const [shorter, longer] = na < nb ? [a, b] : [b, a];
  const count = shorter.body.notes.length;
  const leadIn = longer.body.notes.slice(count);
  if (leadIn.some((i) => ctx.starts[i]! < longer.end - ctx.barSteps / 2)) return c;
  const trimmed = bodyPrefix(ctx, longer, count);
  const t =
    na < nb ? compare(ctx, a.body, trimmed, PHRASE_VARIED) : compare(ctx, trimmed, b.body, PHRASE_VARIED);
  return strong(t) ? whole(t) : c;
}

/**
 * Labels phrases A, A', B ... (see the header). `barOffset` is the phrases' grid offset
 * (PhraseStructure.barOffset), 0 when they are cut on the melody's own barlines.
 */
export function labelPhrases(
  ctx: AnalysisContext,
  phrases: readonly PhraseSpan[],
  barOffset: Steps = 0,
): PhraseLabel[] {
  const points = phrases.map((p) => phrasePoints(ctx, p, barOffset));
  const labels: PhraseLabel[] = [];
  const primes = new Map<string, number>();
  let nextLetter = 0;
  points.forEach((here, i) => {
    let best: { of: number; c: Comparison } | null = null;
    for (let j = 0; j < i; j++) {
      const c = comparePhrases(ctx, points[j]!, here);
      if (c.relation === 'new') continue;
      if (
        !best ||
        STRENGTH[c.relation] < STRENGTH[best.c.relation] ||
        (STRENGTH[c.relation] === STRENGTH[best.c.relation] && c.similarity > best.c.similarity + 1e-9)
      ) {
        best = { of: j, c };
      }
    }
    if (!best) {
      const letter = letterName(nextLetter++);
      primes.set(letter, 0);
      labels.push({
        label: letter,
        letter,
        relation: 'new',
        of: null,
        similarity: 0,
        transposition: 0,
        degrees: 0,
        sharedNotes: [],
      });
      return;
    }
    const source = labels[best.of]!;
    let label = source.label;
    if (best.c.relation !== 'exact') {
      const count = (primes.get(source.letter) ?? 0) + 1;
      primes.set(source.letter, count);
      label = `${source.letter}${"'".repeat(count)}`;
    }
    labels.push({
      label,
      letter: source.letter,
      relation: best.c.relation,
      of: best.of,
      similarity: best.c.similarity,
      transposition: best.c.relation === 'transposed' ? best.c.transposition : 0,
      degrees: best.c.relation === 'tonal' || best.c.relation === 'transposed' ? best.c.degrees : 0,
      sharedNotes: best.c.shared,
    });
  });
  return labels;
}

/** A, B, ... Z, then AA, AB ... (a melody with 27 different phrases is unusual). */
function letterName(i: number): string {
  const base = String.fromCharCode(65 + (i % 26));
  return i < 26 ? base : `${letterName(Math.floor(i / 26) - 1)}${base}`;
}

/**
 * Bars that restate an earlier bar (see the header). Only an earlier bar with the same
 * rhythm, or sharing enough points for a varied repeat, can match, and nothing comes
 * before the first exact repeat (the same rhythm and pitches); so those bars are looked up
 * by rhythm, by content and by point instead of comparing every pair of bars.
 */
export function findBarRepeats(ctx: AnalysisContext): BarRepeat[] {
  const { starts, pitches } = ctx;
  const byBar = new Map<number, number[]>();
  starts.forEach((s, i) => {
    const b = ctx.bars.barAt(s);
    const list = byBar.get(b);
    if (list) list.push(i);
    else byBar.set(b, [i]);
  });
  const bars = [...byBar.keys()].sort((a, b) => a - b);
  const points = bars.map((b) => {
    const bar = ctx.bars.bars[b]!;
    return makePoints(ctx, byBar.get(b)!, bar.start, bar.start + bar.length);
  });
  const rhythms = points.map((p) => p.onsets.map((o, i) => `${o}+${p.durations[i]}`).join(','));
  // Earlier bars (indices into `bars`, ascending): by rhythm, the first by content, by point (compare's keys).
  const byRhythm = new Map<string, number[]>();
  const byContent = new Map<string, number>();
  const byPoint = new Map<number, number[]>();
  const shared = new Int32Array(bars.length);
  const repeats: BarRepeat[] = [];
  bars.forEach((b, k) => {
    const here = points[k]!;
    const content = `${rhythms[k]}|${here.notes.map((i) => pitches[i]).join(',')}`;
    const exact = byContent.get(content);
    let candidates: number[];
    if (exact !== undefined) {
      candidates = [exact];
    } else {
      // A bar of another rhythm counts only as a varied repeat (never for a single note).
      const varied: number[] = [];
      if (here.notes.length > 1) {
        const touched: number[] = [];
        here.notes.forEach((bi, i) => {
          for (const j of byPoint.get(here.onsets[i]! * 128 + pitches[bi]!) ?? []) {
            if (shared[j]!++ === 0) touched.push(j);
          }
        });
        for (const j of touched) {
          const most = Math.max(points[j]!.notes.length, here.notes.length);
          if (rhythms[j] !== rhythms[k] && shared[j]! / most >= BAR_VARIED) varied.push(j);
          shared[j] = 0;
        }
      }
      candidates = [...(byRhythm.get(rhythms[k]!) ?? []), ...varied].sort((x, y) => x - y);
    }
    let found: BarRepeat | null = null;
    for (const j of candidates) {
      const a = bars[j]!;
      const c = compare(ctx, points[j]!, here, BAR_VARIED);
      let relation: BarRelation | null = null;
      const single = here.notes.length === 1;
      if (c.relation === 'exact' || (c.relation !== 'new' && !single)) relation = c.relation;
      else if (rhythms[j] === rhythms[k]) relation = 'rhythm';
      if (relation === null) continue;
      const candidate: BarRepeat = {
        bar: b,
        of: a,
        relation,
        transposition:
          relation === 'exact' || relation === 'transposed'
            ? pitches[here.notes[0]!]! - pitches[points[j]!.notes[0]!]!
            : 0,
      };
      if (!found || BAR_STRENGTH[relation] < BAR_STRENGTH[found.relation]) found = candidate;
      if (relation === 'exact') break;
    }
    if (found) repeats.push(found);
    const sameRhythm = byRhythm.get(rhythms[k]!);
    if (sameRhythm) sameRhythm.push(k);
    else byRhythm.set(rhythms[k]!, [k]);
    if (exact === undefined) byContent.set(content, k);
    for (const key of here.keys) {
      const list = byPoint.get(key);
      if (list) list.push(k);
      else byPoint.set(key, [k]);
    }
  });
  return repeats;
}

const BAR_STRENGTH: Readonly<Record<BarRelation, number>> = {
  exact: 0,
  transposed: 1,
  tonal: 2,
  varied: 3,
  rhythm: 4,
};

/** Notes that restate earlier material (see the header). */
export function findRestatement(
  ctx: AnalysisContext,
  phrases: readonly PhraseSpan[],
  labels: readonly PhraseLabel[],
  motifs: readonly Motif[],
): Restatement {
  const n = ctx.pitches.length;
  const marked = new Uint8Array(n);
  labels.forEach((l, i) => {
    if (l.relation === 'new') return;
    const p = phrases[i]!;
    if (l.relation === 'varied') for (const k of l.sharedNotes) marked[k] = 1;
    else marked.fill(1, p.firstNote, p.lastNote + 1);
  });
  for (const m of motifs) {
    m.occurrences.forEach((o, i) => {
      if (i > 0 && o.relation !== 'rhythm') for (const k of o.notes) marked[k] = 1;
    });
  }
  const notes: number[] = [];
  marked.forEach((v, i) => {
    if (v) notes.push(i);
  });
  return { notes, share: n === 0 ? 0 : notes.length / n };
}
