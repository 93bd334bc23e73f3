/**
 * What a lesson draws on the score. Pure: the posed question, the student's answer so far and
 * the grade in, score marks out (overlay.ts). The question's notes are blue and labelled "?",
 * the student's choice orange and dashed ("you"), the right answer green and solid ("✓"). Once
 * an answer picked on the score is graded, each pick and each missed note says what it was by
 * shape and symbol as well as colour: a right pick a solid box with ✓, a wrong one a hatched,
 * dashed box with ✗, a note of the answer not picked a dotted ring with ○. A partly right
 * answer so shows its ticks beside its rings, never as wrong.
 */
import type { Grade } from '../../src-core/lessons/grade.ts';
import type { PosedQuestion } from '../../src-core/lessons/questions.ts';
import { barGrid, type BarGrid } from '../../src-core/music/bars.ts';
import type { Melody } from '../../src-core/music/melody.ts';
import type { ScoreMark } from './overlay.ts';

/** Colour indices in overlay.ts's palette. */
const QUESTION = 0;
const CHOSEN = 1;
const ANSWER = 2;

/** The bar (0-based, a pickup being bar 0, as in the analysis: music/bars.ts) each note starts in. */
export function barOfNote(melody: Melody, index: number): number {
  const note = melody.notes[index];
  return note ? barGrid(melody).barAt(note.start) : -1;
}

/** Indices of the notes that start in `bar`. */
export function notesInBar(melody: Melody, bar: number, grid: BarGrid = barGrid(melody)): number[] {
  const out: number[] = [];
  melody.notes.forEach((n, i) => {
    if (grid.barAt(n.start) === bar) out.push(i);
  });
  return out;
}

export interface LessonAnswerState {
  readonly notes: readonly number[];
  readonly bars: readonly number[];
}

/** The symbols drawn by each graded pick, and said in the legend under the question. */
export const PICK_SYMBOLS = { right: '✓', wrong: '✗', missed: '○' } as const;

/** A graded answer picked on the score, note by note (indices of melody notes). */
export interface GradedPicks {
  /** Picked, and part of the answer. */
  readonly right: readonly number[];
  /** Picked, and not part of the answer (the question's own notes are not counted). */
  readonly wrong: readonly number[];
  /** Part of the answer, and not picked. */
  readonly missed: readonly number[];
  /** How many of each, counted in what the student picked: notes, or bars for a question on bars. */
  readonly count: { readonly right: number; readonly wrong: number; readonly missed: number };
  readonly unit: 'note' | 'bar';
}

/**
 * Sorts the picks of a graded question answered on the score into right, wrong and missed; null
 * for a question answered otherwise (a choice, typed text), or before grading.
 */
export function gradedPicks(
  melody: Melody,
  question: PosedQuestion,
  chosen: LessonAnswerState,
  grade: Grade | null,
): GradedPicks | null {
  const type = question.expected.type;
  if (!grade || (type !== 'occurrences' && type !== 'bars')) return null;
  const grid = barGrid(melody);
  const notesOf = (bars: readonly number[]) => bars.flatMap((b) => notesInBar(melody, b, grid));
  const picked = new Set(type === 'bars' ? notesOf(chosen.bars) : chosen.notes);
  const answer = new Set(type === 'bars' ? notesOf(grade.show.bars) : grade.show.notes);
  const sorted = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b);
  const right = sorted([...picked].filter((n) => answer.has(n)));
  const wrong = sorted([...picked].filter((n) => !answer.has(n) && !question.marks.includes(n)));
  const missed = sorted([...answer].filter((n) => !picked.has(n)));
  if (type === 'occurrences')
    return {
      right,
      wrong,
      missed,
      count: { right: right.length, wrong: wrong.length, missed: missed.length },
      unit: 'note',
    };
  const bars = new Set(chosen.bars);
  const count = {
    right: [...bars].filter((b) => grade.show.bars.includes(b)).length,
    wrong: [...bars].filter((b) => !grade.show.bars.includes(b)).length,
    missed: grade.show.bars.filter((b) => !bars.has(b)).length,
  };
  return { right, wrong, missed, count, unit: 'bar' };
}

export function lessonMarks(
  melody: Melody,
  question: PosedQuestion,
  chosen: LessonAnswerState,
  grade: Grade | null,
): ScoreMark[] {
  const grid = barGrid(melody);
  const marks = questionMarks(question, grade);
  const picks = gradedPicks(melody, question, chosen, grade);
  if (picks) return [...marks, ...pickMarks(picks), ...barBrackets(melody, grade!, grid)];
  // Before grading the dashes say "yours"; after it, the tick's label takes the place above the notes.
  if (chosen.notes.length > 0)
    marks.push({
      kind: 'notes',
      notes: chosen.notes,
      colour: CHOSEN,
      style: 'dashed',
      ...(grade ? {} : { label: 'you' }),
    });
  for (const bar of chosen.bars) {
    const notes = notesInBar(melody, bar, grid);
    if (notes.length > 0) marks.push({ kind: 'notes', notes, colour: CHOSEN, style: 'dashed' });
  }
  if (grade) {
    if (grade.show.notes.length > 0)
      marks.push({ kind: 'notes', notes: grade.show.notes, colour: ANSWER, label: '✓' });
    marks.push(...barBrackets(melody, grade, grid));
  }
  return marks;
}

/** The question's own notes ("?"); once the answer is drawn on them, its tick takes their place. */
function questionMarks(question: PosedQuestion, grade: Grade | null): ScoreMark[] {
  const answered = grade !== null && question.marks.every((n) => grade.show.notes.includes(n));
  return question.marks.length > 0 && !answered
    ? [{ kind: 'notes', notes: question.marks, colour: QUESTION, label: '?' }]
    : [];
}

/** Right picks, wrong picks and missed notes, told apart by shape and symbol as well as colour. */
function pickMarks(picks: GradedPicks): ScoreMark[] {
  const marks: ScoreMark[] = [];
  if (picks.right.length > 0)
    marks.push({ kind: 'notes', notes: picks.right, colour: ANSWER, symbol: PICK_SYMBOLS.right });
  if (picks.wrong.length > 0)
    marks.push({
      kind: 'notes',
      notes: picks.wrong,
      colour: CHOSEN,
      style: 'dashed',
      hatched: true,
      symbol: PICK_SYMBOLS.wrong,
    });
  if (picks.missed.length > 0)
    marks.push({
      kind: 'notes',
      notes: picks.missed,
      colour: ANSWER,
      style: 'dotted',
      shape: 'ring',
      symbol: PICK_SYMBOLS.missed,
    });
  return marks;
}

/** A bracket over each bar of the answer, with its number as the score prints it. */
function barBrackets(melody: Melody, grade: Grade, grid: BarGrid): ScoreMark[] {
  const marks: ScoreMark[] = [];
  for (const bar of grade.show.bars) {
    const notes = notesInBar(melody, bar, grid);
    const number = grid.bars[bar]?.number ?? bar + 1;
    if (notes.length > 0)
      marks.push({ kind: 'bracket', from: notes[0]!, to: notes.at(-1)!, label: `bar ${number} ✓` });
  }
  return marks;
}
