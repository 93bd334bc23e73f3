import { describe, expect, it } from 'vitest';
import type { PosedQuestion } from '../../../src-core/lessons/questions.ts';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';
import { barOfNote, lessonMarks, notesInBar } from '../../../src-renderer/lib/lesson-marks.ts';

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
    expect(after.at(-1)).toEqual({ kind: 'notes', notes: [4, 5], colour: 2, label: '✓' });
    expect(after[1]).toEqual({ kind: 'notes', notes: [4], colour: 1, style: 'dashed' });
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
      { kind: 'notes', notes: [3, 4], colour: 1, style: 'dashed' },
      { kind: 'bracket', from: 5, to: 6, label: 'bar 3 ✓' },
    ]);
  });
});
