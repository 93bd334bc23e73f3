/**
 * What a lesson draws on the score. Pure: the posed question, the student's answer so far and
 * the grade in, score marks out (overlay.ts). The question's notes are blue and labelled "?",
 * the student's choice orange and dashed ("you"), the right answer green and solid ("✓"), so
 * the three can be told apart without colour too.
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

export function lessonMarks(
  melody: Melody,
  question: PosedQuestion,
  chosen: LessonAnswerState,
  grade: Grade | null,
): ScoreMark[] {
  const marks: ScoreMark[] = [];
  const grid = barGrid(melody);
  // Once the answer is drawn on the question's own notes, its tick replaces the question mark.
  const answered = grade !== null && question.marks.every((n) => grade.show.notes.includes(n));
  if (question.marks.length > 0 && !answered)
    marks.push({ kind: 'notes', notes: question.marks, colour: QUESTION, label: '?' });
  // After grading, the tick's label takes the place above the notes; the dashes still say "yours".
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
    for (const bar of grade.show.bars) {
      const notes = notesInBar(melody, bar, grid);
      const number = grid.bars[bar]?.number ?? bar + 1;
      if (notes.length > 0)
        marks.push({ kind: 'bracket', from: notes[0]!, to: notes.at(-1)!, label: `bar ${number} ✓` });
    }
  }
  return marks;
}
