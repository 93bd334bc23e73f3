/**
 * Grades an answer to a posed question: a score from 0 to 1, whether it counts as right,
 * feedback saying what was right and what the answer is, and what to draw on the score.
 * Partial credit where an answer has parts: motif occurrences, bars, form letters.
 */
import type { Expected, PosedQuestion } from './questions.ts';

export type Answer =
  /** A choice, or typed text (interval names, form letters). */
  | { readonly type: 'text'; readonly value: string }
  /** Note indices clicked on the score. */
  | { readonly type: 'notes'; readonly notes: readonly number[] }
  /** Bars (0-based) clicked on the score. */
  | { readonly type: 'bars'; readonly bars: readonly number[] };

export interface Grade {
  /** 0 to 1. */
  readonly score: number;
  readonly correct: boolean;
  readonly feedback: string;
  /** The right answer to draw on the score. */
  readonly show: { readonly notes: readonly number[]; readonly bars: readonly number[] };
}

/** Share of the answer needed to count it right. */
export const PASS_SCORE = 0.999;

/** What readIntervalName gives for "tritone": right for an augmented fourth or a diminished fifth. */
export const TRITONE = 'tritone';

/**
 * Reads a typed interval: "M3", "maj3", "major third", "major 3rd", "P5", "perfect fifth",
 * "octave", "unison", "tritone". Returns the short name ("M3", or TRITONE), or null when it is
 * not an interval name.
 */
export function readIntervalName(text: string): string | null {
  const t = text.trim().replace(/^([PpMmAaDd])\s+(?=\d)/, '$1');
  // Names that carry their own quality: an octave and a unison are perfect; a tritone is
  // TRITONE, which grading takes for either of its spellings (A4, d5).
  const alone = t.toLowerCase().replace(/^(an?|the)\s+/, '');
  if (alone === 'octave' || alone === '8ve') return 'P8';
  if (alone === 'unison') return 'P1';
  if (alone === 'tritone' || alone === 'tt') return TRITONE;
  const short = /^(P|M|m|A|d)(\d{1,2})$/.exec(t);
  if (short) return `${short[1]}${Number(short[2])}`;
  // Lower-case p, a and d are still clear (perfect, augmented, diminished); m is minor.
  const loose = /^(p|a|D)(\d{1,2})$/.exec(t);
  if (loose) return `${{ p: 'P', a: 'A', D: 'd' }[loose[1] as 'p']}${Number(loose[2])}`;
  const words = t.toLowerCase().replace(/\s+/g, ' ');
  const m = /^(perfect|major|maj|minor|min|augmented|aug|diminished|dim)\.? ?(\w+)$/.exec(words);
  if (!m) return null;
  const quality = {
    perfect: 'P',
    major: 'M',
    maj: 'M',
    minor: 'm',
    min: 'm',
    augmented: 'A',
    aug: 'A',
    diminished: 'd',
    dim: 'd',
  }[m[1] as 'perfect'];
  const numbers: Record<string, number> = {
    unison: 1,
    second: 2,
    third: 3,
    fourth: 4,
    fifth: 5,
    sixth: 6,
    seventh: 7,
    octave: 8,
    '1st': 1,
    '2nd': 2,
    '3rd': 3,
    '4th': 4,
    '5th': 5,
    '6th': 6,
    '7th': 7,
    '8th': 8,
  };
  const n = numbers[m[2]!] ?? (/^\d{1,2}$/.test(m[2]!) ? Number(m[2]) : undefined);
  return n === undefined ? null : `${quality}${n}`;
}

/**
 * What to say when typed text is not an interval name Cantus reads (so the student can type
 * again without losing the question): a size with no quality gets asked for its quality.
 */
export function intervalNameHelp(text: string): string {
  const size = /^(\d{1,2})(st|nd|rd|th)?$|^(unison|second|third|fourth|fifth|sixth|seventh|octave)$/i.exec(
    text.trim(),
  );
  if (size)
    return `Say which kind too: perfect, major, minor, augmented or diminished (for example P4, M3 or "minor third").`;
  return `"${text.trim().slice(0, 40)}" is not an interval name Cantus reads. Type a short name such as M3, m6 or P5, or words such as "major third".`;
}

/** Precision and recall as one number (their harmonic mean); 1 when both sets are empty. */
function f1(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

const list = (xs: readonly (string | number)[]): string =>
  xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;

/**
 * Grades occurrences found by clicking notes. Recall: the share of occurrences whose notes
 * were all clicked. Precision: the share of clicked notes that belong to an occurrence
 * (clicks on the marked first occurrence are ignored).
 */
export function gradeOccurrences(
  expected: readonly (readonly number[])[],
  clicked: readonly number[],
  ignore: readonly number[] = [],
): { precision: number; recall: number; score: number; found: number } {
  const chosen = new Set(clicked.filter((n) => !ignore.includes(n)));
  const inSome = new Set(expected.flat());
  const found = expected.filter((o) => o.every((n) => chosen.has(n))).length;
  const recall = expected.length === 0 ? 1 : found / expected.length;
  const precision =
    chosen.size === 0
      ? expected.length === 0
        ? 1
        : 0
      : [...chosen].filter((n) => inSome.has(n)).length / chosen.size;
  return { precision, recall, score: f1(precision, recall), found };
}

function gradeExpected(expected: Expected, answer: Answer, posed: PosedQuestion): Grade {
  const none = { notes: [] as number[], bars: [] as number[] };
  const wrongShape = (what: string): Grade => ({
    score: 0,
    correct: false,
    feedback: `This question is answered by ${what}.`,
    show: none,
  });
  switch (expected.type) {
    case 'interval': {
      if (answer.type !== 'text') return wrongShape('naming an interval');
      const given = readIntervalName(answer.value);
      const right =
        given === expected.name || (given === TRITONE && (expected.name === 'A4' || expected.name === 'd5'));
      const word = `${expected.fullName} (${expected.name})`;
      return {
        score: right ? 1 : 0,
        correct: right,
        feedback: right
          ? `Right: it is a ${word}.`
          : given === null
            ? `"${answer.value}" is not an interval name Cantus reads. The answer is a ${word}.`
            : `Not quite: you said ${given}; it is a ${word}.`,
        show: { notes: expected.notes, bars: [] },
      };
    }
    case 'choice': {
      if (answer.type !== 'text') return wrongShape('choosing an answer');
      const right = answer.value.trim().toLowerCase() === expected.value.toLowerCase();
      return {
        score: right ? 1 : 0,
        correct: right,
        feedback:
          (right ? `Right: ${expected.value}.` : `Not quite: the answer is ${expected.value}.`) +
          (expected.why ? ` ${expected.why}` : ''),
        show: { notes: expected.notes, bars: [] },
      };
    }
    case 'occurrences': {
      if (answer.type !== 'notes') return wrongShape('clicking notes');
      const g = gradeOccurrences(expected.occurrences, answer.notes, posed.marks);
      const total = expected.occurrences.length;
      const stray = Math.round(
        (1 - g.precision) * new Set(answer.notes.filter((n) => !posed.marks.includes(n))).size,
      );
      const correct = g.score >= PASS_SCORE;
      const parts = [
        `You found ${g.found} of the ${total} place${total === 1 ? '' : 's'} where the motif comes back.`,
      ];
      if (stray > 0)
        parts.push(`${stray} of the notes you clicked ${stray === 1 ? 'is' : 'are'} not part of it.`);
      if (!correct) parts.push('Every place is now marked on the score.');
      return {
        score: g.score,
        correct,
        feedback: parts.join(' '),
        show: { notes: expected.occurrences.flat(), bars: [] },
      };
    }
    case 'bars': {
      if (answer.type !== 'bars') return wrongShape('clicking bars');
      const chosen = new Set(answer.bars);
      const right = expected.bars.filter((b) => chosen.has(b)).length;
      const precision = chosen.size === 0 ? 0 : right / chosen.size;
      const recall = expected.bars.length === 0 ? 1 : right / expected.bars.length;
      const score = f1(precision, recall);
      const correct = score >= PASS_SCORE;
      const names = expected.bars.map((b) => b + (expected.firstBarNumber ?? 1));
      const why = expected.why ? ` ${expected.why}` : '';
      return {
        score,
        correct,
        feedback: correct
          ? `Right: bar${names.length === 1 ? '' : 's'} ${list(names)} repeat${names.length === 1 ? 's' : ''} an earlier bar.${why}`
          : `You found ${right} of ${expected.bars.length}. The bar${names.length === 1 ? '' : 's'} that repeat${names.length === 1 ? 's' : ''} an earlier bar: ${list(names)}.${extraBars(answer.bars, expected.bars, expected.firstBarNumber ?? 1)}${why}`,
        show: { notes: [], bars: expected.bars },
      };
    }
    case 'letters': {
      if (answer.type !== 'text') return wrongShape('writing letters');
      const given = answer.value.toUpperCase().replace(/[^A-Z]/g, '');
      const want = expected.letters;
      const same = given.length === want.length ? [...want].filter((c, i) => given[i] === c).length : 0;
      const score = want.length === 0 ? 1 : same / want.length;
      const correct = given === want;
      return {
        score,
        correct,
        feedback: correct
          ? `Right: the form is ${want}.`
          : given.length !== want.length
            ? `The melody has ${want.length} phrases, so the form has ${want.length} letters: ${want}.`
            : `${same} of ${want.length} letters ${same === 1 ? 'is' : 'are'} right. The form is ${want}.`,
        show: { notes: [], bars: [] },
      };
    }
  }
}

/** " Bar 2 does not repeat an earlier bar." for bars chosen that are not in the answer. */
function extraBars(chosen: readonly number[], expected: readonly number[], firstBarNumber: number): string {
  const wrong = [...new Set(chosen)].filter((b) => !expected.includes(b)).sort((a, b) => a - b);
  if (wrong.length === 0) return '';
  const names = wrong.map((b) => b + firstBarNumber);
  return ` Bar${names.length === 1 ? '' : 's'} ${list(names)} ${names.length === 1 ? 'does' : 'do'} not repeat an earlier bar exactly.`;
}

/** Grades `answer` to `posed`. */
export function gradeAnswer(posed: PosedQuestion, answer: Answer): Grade {
  return gradeExpected(posed.expected, answer, posed);
}
