import { describe, expect, it } from 'vitest';
import type { PosedQuestion } from '../../../src-core/lessons/questions.ts';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';
import { barOfNote, gradedPicks, lessonMarks, notesInBar } from '../../../src-renderer/lib/lesson-marks.ts';

// Three bars of 3/4: C D E | F G | A (half) B.
const melody = makeMelody({
  notes: parseNotes('C4 D4 E4 F4/8 G4 A4/8 B4'),
  meter: { numerator: 3, denominator: 4 },
  tempo: 100,
  key: null,
});

const motifQuestion: PosedQuestion = {
  id: 'q',
  kind: 'find-motif',
  prompt: 'Find it',
  marks: [0, 1],
  showScore: true,
  expected: { type: 'occurrences', occurrences: [[4, 5]] },
};

describe('lesson marks', () => {
  it('knows which bar each note starts in', () => {
    expect(melody.notes.map((_, i) => barOfNote(melody, i))).toEqual([0, 0, 0, 1, 1, 2, 2]);
    expect(notesInBar(melody, 1)).toEqual([3, 4]);
    expect(notesInBar(melody, 5)).toEqual([]);
    expect(barOfNote(melody, 99)).toBe(-1);
  });

  it("draws the question's notes, the student's choice and the answer apart, not by colour alone", () => {
    const before = lessonMarks(melody, motifQuestion, { notes: [4], bars: [] }, null);
    expect(before).toEqual([
      { kind: 'notes', notes: [0, 1], colour: 0, label: '?' },
      { kind: 'notes', notes: [4], colour: 1, label: 'you', style: 'dashed' },
    ]);
    const after = lessonMarks(
      melody,
      motifQuestion,
      { notes: [4], bars: [] },
      {
        score: 0.5,
        correct: false,
        feedback: '',
        show: { notes: [4, 5], bars: [] },
      },
    );
    // Graded: the pick that was right is ticked, the note of the answer not picked is ringed.
    expect(after.slice(1)).toEqual([
      { kind: 'notes', notes: [4], colour: 2, symbol: '✓' },
      { kind: 'notes', notes: [5], colour: 2, style: 'dotted', shape: 'ring', symbol: '○' },
    ]);
  });

  it("replaces the question mark with the tick when the answer is on the question's notes", () => {
    const q: PosedQuestion = {
      ...motifQuestion,
      kind: 'step-skip-leap',
      marks: [1, 2],
      choices: ['step', 'skip', 'leap'],
      expected: { type: 'choice', value: 'step', notes: [1, 2] },
    };
    const grade = { score: 0, correct: false, feedback: '', show: { notes: [1, 2], bars: [] } };
    expect(lessonMarks(melody, q, { notes: [], bars: [] }, grade)).toEqual([
      { kind: 'notes', notes: [1, 2], colour: 2, label: '✓' },
    ]);
  });

  it('marks chosen bars by their notes and brackets the right bars with their numbers', () => {
    const q: PosedQuestion = {
      ...motifQuestion,
      kind: 'repeated-bars',
      marks: [],
      expected: { type: 'bars', bars: [2] },
    };
    const marks = lessonMarks(
      melody,
      q,
      { notes: [], bars: [1] },
      {
        score: 0,
        correct: false,
        feedback: '',
        show: { notes: [], bars: [2] },
      },
    );
    expect(marks).toEqual([
      { kind: 'notes', notes: [3, 4], colour: 1, style: 'dashed', hatched: true, symbol: '✗' },
      { kind: 'notes', notes: [5, 6], colour: 2, style: 'dotted', shape: 'ring', symbol: '○' },
      { kind: 'bracket', from: 5, to: 6, label: 'bar 3 ✓' },
    ]);
    // Before grading, the chosen bar is only "yours".
    expect(lessonMarks(melody, q, { notes: [], bars: [1] }, null)).toEqual([
      { kind: 'notes', notes: [3, 4], colour: 1, style: 'dashed' },
    ]);
  });

  it('after grading, tells right picks, wrong picks and missed notes apart by shape and sign', () => {
    const q: PosedQuestion = {
      ...motifQuestion,
      expected: {
        type: 'occurrences',
        occurrences: [
          [3, 4],
          [5, 6],
        ],
      },
    };
    const grade = { score: 0.57, correct: false, feedback: '', show: { notes: [3, 4, 5, 6], bars: [] } };
    // Picked 3, 4 (right), 2 (wrong) and 0 (a question note: neither); missed 5, 6.
    const chosen = { notes: [3, 4, 2, 0], bars: [] };
    expect(gradedPicks(melody, q, chosen, grade)).toEqual({
      right: [3, 4],
      wrong: [2],
      missed: [5, 6],
      count: { right: 2, wrong: 1, missed: 2 },
      unit: 'note',
    });
    expect(lessonMarks(melody, q, chosen, grade)).toEqual([
      { kind: 'notes', notes: [0, 1], colour: 0, label: '?' },
      { kind: 'notes', notes: [3, 4], colour: 2, symbol: '✓' },
      { kind: 'notes', notes: [2], colour: 1, style: 'dashed', hatched: true, symbol: '✗' },
      { kind: 'notes', notes: [5, 6], colour: 2, style: 'dotted', shape: 'ring', symbol: '○' },
    ]);
    // Not before grading, nor for a question answered by a choice.
    expect(gradedPicks(melody, q, chosen, null)).toBeNull();
    const choice: PosedQuestion = { ...q, expected: { type: 'choice', value: 'step', notes: [1, 2] } };
    expect(gradedPicks(melody, choice, chosen, grade)).toBeNull();
  });

  it('counts graded bars as bars, and draws their notes by what they were', () => {
    const q: PosedQuestion = { ...motifQuestion, marks: [], expected: { type: 'bars', bars: [1, 2] } };
    const grade = { score: 0.5, correct: false, feedback: '', show: { notes: [], bars: [1, 2] } };
    const picks = gradedPicks(melody, q, { notes: [], bars: [0, 1] }, grade);
    expect(picks).toEqual({
      right: [3, 4],
      wrong: [0, 1, 2],
      missed: [5, 6],
      count: { right: 1, wrong: 1, missed: 1 },
      unit: 'bar',
    });
  });
});
