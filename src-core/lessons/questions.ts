/**
 * Poses a lesson's questions on a melody from its analysis, so any fresh melody is a new
 * exercise. Randomness is a parameter (`rng`), so a question can be replayed from a seed.
 * A question that does not fit the melody (no motif to find, no repeated bar) is refused
 * with a reason; the lesson engine then moves on or generates another melody.
 */
import type { Analysis } from '../analysis/analyze.ts';
import type { ContourShape } from '../analysis/contour.ts';
import type { MelodicInterval } from '../analysis/intervals.ts';
import { displayKeyName, displayNoteName, displayTonic } from '../music/describe.ts';
import { hasMajorThird, modeScale, tonicPitchClass } from '../music/key.ts';
import { spelledName, spellPitch } from '../music/spelling.ts';
import { fail, ok, type Result } from '../result.ts';
import type { QuestionKind, QuestionSpec } from './schema.ts';

/** What a correct answer is, for grading and for drawing it on the score. */
export type Expected =
  | {
      readonly type: 'interval';
      readonly name: string;
      readonly fullName: string;
      readonly notes: readonly [number, number];
    }
  | {
      readonly type: 'choice';
      readonly value: string;
      readonly notes: readonly number[];
      /** Why it is the answer, said after grading: "It is in A minor: ...". */
      readonly why?: string;
    }
  | { readonly type: 'occurrences'; readonly occurrences: readonly (readonly number[])[] }
  | {
      readonly type: 'bars';
      readonly bars: readonly number[];
      /** The number a score prints on bar 0 (0 with a pickup); 1 when absent. */
      readonly firstBarNumber?: number;
      /** Which earlier bar each repeats, said after grading. */
      readonly why?: string;
    }
  | { readonly type: 'letters'; readonly letters: string };

export interface PosedQuestion {
  readonly id: string;
  readonly kind: QuestionKind;
  /** Plain teacher English. */
  readonly prompt: string;
  /** Note indices to draw marked on the score. */
  readonly marks: readonly number[];
  /** False for questions by ear: the score stays hidden until the answer. */
  readonly showScore: boolean;
  /** For multiple choice; absent when the answer is typed or clicked. */
  readonly choices?: readonly string[];
  readonly hint?: string;
  readonly expected: Expected;
}

export interface PoseInput {
  readonly analysis: Analysis;
  /** For 'which-repeats-more': the two variations to compare. */
  readonly variations?: readonly [Analysis, Analysis];
}

export type Rng = () => number;

const pick = <T>(items: readonly T[], rng: Rng): T =>
  items[Math.min(items.length - 1, Math.floor(rng() * items.length))]!;

function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Interval names offered as wrong choices, smallest first. */
const INTERVAL_POOL = ['m2', 'M2', 'm3', 'M3', 'P4', 'A4', 'P5', 'm6', 'M6', 'm7', 'M7', 'P8'];
const CONTOURS: readonly ContourShape[] = [
  'ascending',
  'descending',
  'arch',
  'inverted-arch',
  'wave',
  'level',
];
export const MOTIONS = ['step', 'skip', 'leap'] as const;
export const VARIATION_CHOICES = ['the first', 'the second'] as const;

/** Up to four interval choices: the right one and the nearest others, shuffled. */
function intervalChoices(name: string, rng: Rng): string[] {
  const at = Math.max(0, INTERVAL_POOL.indexOf(name));
  const near = INTERVAL_POOL.filter((n) => n !== name)
    .map((n) => ({ n, d: Math.abs(INTERVAL_POOL.indexOf(n) - at) + rng() }))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((x) => x.n);
  return shuffle([name, ...near], rng);
}

/** Intervals worth asking about: between sounding neighbours, not repeated notes. */
const askable = (a: Analysis): MelodicInterval[] =>
  a.intervals.filter((i) => i.semitones !== 0 && !i.acrossRest);

/** The intervals whose size within the octave is one of `sizes` (all when none are given). */
const ofSizes = (pool: MelodicInterval[], sizes: readonly number[] | undefined): MelodicInterval[] =>
  sizes ? pool.filter((i) => sizes.includes(i.simpleNumber)) : pool;

const SIZE_WORDS = ['', 'unison', '2nd', '3rd', '4th', '5th', '6th', '7th', 'octave'];

/** "4th or 5th", "2nd, 3rd or 4th". */
export function sizesText(sizes: readonly number[]): string {
  const words = [...new Set(sizes)].sort((x, y) => x - y).map((n) => SIZE_WORDS[n] ?? `${n}th`);
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** Why an interval question does not fit: "The melody has no 4th or 5th between two different notes." */
const noneOf = (sizes: readonly number[] | undefined, what: 'interval' | 'move'): string =>
  `The melody has no ${sizes ? sizesText(sizes) : what} between two different notes.`;

/** "up a 3rd" style names for how far a sequence moves, from staff steps. */
export function movementName(degrees: number): string {
  const size = Math.abs(degrees) + 1;
  const ordinal = size === 2 ? '2nd' : size === 3 ? '3rd' : `${size}th`;
  return `${degrees > 0 ? 'up' : 'down'} a ${ordinal}`;
}

/** Poses one question on the melody; fails with a reason when the melody does not fit it. */
export function poseQuestion(spec: QuestionSpec, input: PoseInput, rng: Rng): Result<PosedQuestion> {
  const a = input.analysis;
  const base = { id: spec.id, kind: spec.kind, ...(spec.hint !== undefined ? { hint: spec.hint } : {}) };
  const refuse = (why: string) => fail<PosedQuestion>('lessons/question-does-not-fit', why);
  switch (spec.kind) {
    case 'interval-name':
    case 'interval-by-ear': {
      const pool = ofSizes(askable(a), spec.sizes);
      if (pool.length === 0) return refuse(noneOf(spec.sizes, 'interval'));
      const iv = pick(pool, rng);
      const byEar = spec.kind === 'interval-by-ear';
      return ok({
        ...base,
        prompt: byEar
          ? 'Listen to the two notes. What is the interval between them?'
          : 'What is the interval between the two marked notes?',
        marks: [iv.from, iv.to],
        showScore: !byEar,
        ...(spec.answer === 'choices' ? { choices: intervalChoices(iv.simpleName, rng) } : {}),
        expected: { type: 'interval', name: iv.simpleName, fullName: iv.fullName, notes: [iv.from, iv.to] },
      });
    }
    case 'step-skip-leap': {
      const pool = ofSizes(askable(a), spec.sizes);
      if (pool.length === 0) return refuse(noneOf(spec.sizes, 'move'));
      const iv = pick(pool, rng);
      return ok({
        ...base,
        prompt: 'Is the move between the two marked notes a step, a skip or a leap?',
        marks: [iv.from, iv.to],
        showScore: true,
        choices: [...MOTIONS],
        expected: { type: 'choice', value: iv.motion, notes: [iv.from, iv.to], why: motionWhy(a, iv) },
      });
    }
    case 'contour': {
      if (a.notes.length < 3) return refuse('The melody is too short to have a shape.');
      const shape = a.contour.shape;
      const others = shuffle(
        CONTOURS.filter((c) => c !== shape),
        rng,
      ).slice(0, 3);
      return ok({
        ...base,
        prompt: 'Which word best describes the shape of the whole melody?',
        marks: [],
        showScore: true,
        choices: shuffle([shape, ...others], rng),
        expected: { type: 'choice', value: shape, notes: [] },
      });
    }
    case 'find-motif': {
      const motifs = a.motifs.filter((m) => m.kind === 'melodic' && m.occurrences.length >= 2);
      if (motifs.length === 0) return refuse('The melody has no melodic motif that comes back.');
      const preferred = motifs.filter((m) => !m.withinRepeatedPhrases);
      const motif = (preferred.length > 0 ? preferred : motifs)[0]!;
      const [first, ...rest] = motif.occurrences;
      return ok({
        ...base,
        prompt: `The marked notes are a motif. Click the notes of every other place where it comes back (exactly, moved up or down, or changed a little).`,
        marks: first!.notes,
        showScore: true,
        expected: { type: 'occurrences', occurrences: rest.map((o) => o.notes) },
      });
    }
    case 'repeated-bars': {
      const repeats = a.barRepeats.filter((r) => r.relation === 'exact').sort((x, y) => x.bar - y.bar);
      if (repeats.length === 0) return refuse('No bar repeats an earlier bar exactly.');
      const n = (bar: number) => bar + a.firstBarNumber;
      return ok({
        ...base,
        prompt: 'Click every bar that repeats an earlier bar exactly.',
        marks: [],
        showScore: true,
        expected: {
          type: 'bars',
          bars: repeats.map((r) => r.bar),
          firstBarNumber: a.firstBarNumber,
          why: `${repeats.map((r, i) => `${i === 0 ? 'Bar' : 'bar'} ${n(r.bar)} is bar ${n(r.of)} again`).join('; ')}, note for note.`,
        },
      });
    }
    case 'form-letters': {
      if (a.phrases.length < 2) return refuse('The melody has only one phrase.');
      return ok({
        ...base,
        prompt: `The melody has ${a.phrases.length} phrases. Write its form with a letter for each phrase, like AABA.`,
        marks: [],
        showScore: true,
        expected: { type: 'letters', letters: a.phrases.map((p) => p.letter).join('') },
      });
    }
    case 'sequence': {
      for (const motif of a.motifs) {
        if (motif.sequence === null) continue;
        const occ = motif.occurrences;
        for (let k = 1; k < occ.length; k++) {
          const prev = occ[k - 1]!;
          const cur = occ[k]!;
          const moved = cur.degrees - prev.degrees;
          if (!cur.follows || moved === 0) continue;
          const value = movementName(moved);
          const options = [1, 2, -1, -2, 3, -3].map(movementName).filter((c) => c !== value);
          return ok({
            ...base,
            prompt:
              'The marked notes begin a sequence: the same figure is played again straight after, higher or lower. How far does it move?',
            marks: prev.notes,
            showScore: true,
            choices: shuffle([value, ...shuffle(options, rng).slice(0, 3)], rng),
            expected: { type: 'choice', value, notes: [...prev.notes, ...cur.notes] },
          });
        }
      }
      return refuse('The melody has no sequence.');
    }
    case 'major-or-minor': {
      if (a.notes.length < 4) return refuse('The melody is too short to hear its key.');
      const home = homeOf(a);
      const value = hasMajorThird(a.key.mode) ? 'major' : 'minor';
      const third = spelledNoteName(home.tonicPitch + (value === 'major' ? 4 : 3), a);
      const modal = a.key.mode !== 'major' && a.key.mode !== 'minor';
      return ok({
        ...base,
        prompt:
          'Is this tune major or minor? Listen to where it comes to rest, and to the third note up from there: bright (major) or dark (minor)?',
        marks: [],
        showScore: true,
        choices: ['major', 'minor'],
        expected: {
          type: 'choice',
          value,
          notes: home.lastTonic === null ? [] : [home.lastTonic],
          why: `It is in ${displayKeyName(a.key)}${modal ? `, a ${value}-sounding mode` : ''}: home is ${home.name}, and the third up from ${home.name} is ${third}, a ${value} third.`,
        },
      });
    }
    case 'home-note': {
      if (a.notes.length < 4) return refuse('The melody is too short to hear its home note.');
      const home = homeOf(a);
      const scale = modeScale(a.key.mode).map((d) => spelledNoteName(home.tonicPitch + d, a));
      const others = shuffle(
        scale.filter((n) => n !== home.name),
        rng,
      ).slice(0, 3);
      const ends = a.notes[a.notes.length - 1]!;
      const endsHome = home.lastTonic === a.notes.length - 1;
      return ok({
        ...base,
        prompt: 'Which note is home? Listen to where the tune comes to rest and feels finished.',
        marks: [],
        showScore: true,
        choices: shuffle([home.name, ...others], rng),
        expected: {
          type: 'choice',
          value: home.name,
          notes: home.lastTonic === null ? [] : [home.lastTonic],
          why: `The tune is in ${displayKeyName(a.key)}${endsHome ? ` and ends on ${home.name}` : `; this one ends on ${noteName(ends.name)}, away from home, so it wants to go on`}.`,
        },
      });
    }
    case 'which-repeats-more': {
      const v = input.variations;
      if (!v) return refuse('This question needs two variations of the melody.');
      const [x, y] = v;
      if (Math.abs(x.restatement.share - y.restatement.share) < 0.1)
        return refuse('The two variations repeat themselves about equally.');
      return ok({
        ...base,
        prompt: 'Listen to both variations. Which one repeats its own material more?',
        marks: [],
        showScore: true,
        choices: [...VARIATION_CHOICES],
        expected: {
          type: 'choice',
          value: x.restatement.share > y.restatement.share ? 'the first' : 'the second',
          notes: [],
        },
      });
    }
  }
}

/** The key's home note: its written name ("F♯"), a pitch on it, and the last note on it, if any. */
function homeOf(a: Analysis): { name: string; tonicPitch: number; lastTonic: number | null } {
  const tonicPitch = 60 + tonicPitchClass(a.key);
  let lastTonic: number | null = null;
  a.notes.forEach((n, i) => {
    if ((((n.pitch - tonicPitch) % 12) + 12) % 12 === 0) lastTonic = i;
  });
  return { name: spelledNoteName(tonicPitch, a), tonicPitch, lastTonic };
}

const LETTERS = 'CDEFGAB';

/**
 * Why a move is a step, a skip or a leap, from the notes as written: a step goes to the next
 * letter, a skip jumps over one letter, a leap over more.
 * @example "From E4 to G4 is a third: it skips over the letter F."
 */
function motionWhy(a: Analysis, iv: MelodicInterval): string {
  const from = a.notes[iv.from]!;
  const to = a.notes[iv.to]!;
  const names = `From ${displayNoteName(from.name)} to ${displayNoteName(to.name)} is ${iv.fullName.replace(/^\w+ /, 'a ')}`;
  if (iv.motion === 'repeat') return `${names}: the same note again.`;
  if (iv.motion === 'step') return `${names}: the next letter, a step.`;
  if (iv.motion === 'skip') {
    const up = to.pitch > from.pitch ? 1 : -1;
    const over = LETTERS[(LETTERS.indexOf(from.spelled.letter) + up + 7) % 7];
    return `${names}: it skips over the letter ${over}.`;
  }
  return `${names}: it jumps over more than one letter, a leap.`;
}

/** A pitch's letter name in the analysis key, without its octave: "F♯", "B♭". */
function spelledNoteName(pitch: number, a: Analysis): string {
  return noteName(spelledName(spellPitch(pitch, a.key)));
}

/** "F#4" -> "F♯". */
function noteName(name: string): string {
  return displayTonic(name.replace(/-?\d+$/, ''));
}
