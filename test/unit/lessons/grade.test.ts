import { describe, expect, it } from 'vitest';
import { analyzeMelody } from '../../../src-core/analysis/analyze.ts';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';
import { meetsConstraints } from '../../../src-core/lessons/constraints.ts';
import {
  gradeAnswer,
  gradeOccurrences,
  intervalNameHelp,
  readIntervalName,
  TRITONE,
} from '../../../src-core/lessons/grade.ts';
import { markdownToHtml, parseMarkdown } from '../../../src-core/lessons/markdown.ts';
import { poseQuestion, type PosedQuestion } from '../../../src-core/lessons/questions.ts';
import type { QuestionSpec } from '../../../src-core/lessons/schema.ts';

const melody = (notes: string) =>
  makeMelody({ notes: parseNotes(notes), key: { tonic: 'C', mode: 'major' } });
const analyse = (notes: string) => analyzeMelody(melody(notes));
/** A seeded generator (mulberry32) for replayable questions. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pose = (spec: QuestionSpec, notes: string, seed = 1): PosedQuestion => {
  const r = poseQuestion(spec, { analysis: analyse(notes) }, seeded(seed));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('typed interval names', () => {
  it.each([
    ['M3', 'M3'],
    ['p4', 'P4'],
    ['P 5', 'P5'],
    ['a4', 'A4'],
    ['D5', 'd5'],
    ['m6', 'm6'],
    ['major third', 'M3'],
    ['perfect 4th', 'P4'],
    ['4th', null],
    ['fourth', null],
    ['M', null],
    ['octave', 'P8'],
    ['an octave', 'P8'],
    ['Unison', 'P1'],
    ['tritone', TRITONE],
  ])('%j reads as %j', (typed, name) => expect(readIntervalName(typed)).toBe(name));
  it('takes "tritone" as right for an augmented fourth and a diminished fifth, not for a fifth', () => {
    const interval = (name: string, fullName: string): PosedQuestion => ({
      id: 'q',
      kind: 'interval-name',
      prompt: '',
      marks: [0, 1],
      showScore: true,
      expected: { type: 'interval', name, fullName, notes: [0, 1] },
    });
    const answer = { type: 'text' as const, value: 'tritone' };
    expect(gradeAnswer(interval('A4', 'augmented fourth'), answer).correct).toBe(true);
    expect(gradeAnswer(interval('d5', 'diminished fifth'), answer).correct).toBe(true);
    expect(gradeAnswer(interval('P5', 'perfect fifth'), answer).correct).toBe(false);
    expect(gradeAnswer(interval('P8', 'perfect octave'), { type: 'text', value: 'octave' }).correct).toBe(
      true,
    );
  });
  it('asks for the quality when only a size is typed, else says what to type', () => {
    expect(intervalNameHelp('4th')).toMatch(/^Say which kind too/);
    expect(intervalNameHelp('fifth')).toMatch(/^Say which kind too/);
    expect(intervalNameHelp('banana')).toMatch(/^"banana" is not an interval name/);
  });
});

describe('interval questions limited to some sizes', () => {
  // Seconds, thirds, fourths and fifths, up and down, and a ninth (a compound 2nd).
  const tune = 'C4 D4 F4 C5 G4 E4 D4 A3 B4 C4';
  it('asks only about the sizes the lesson names, whatever the seed', () => {
    const a = analyse(tune);
    for (let seed = 1; seed <= 40; seed++) {
      const posed = pose({ id: 'q', kind: 'interval-name', answer: 'choices', sizes: [4, 5] }, tune, seed);
      const iv = a.intervals.find((i) => i.from === posed.marks[0] && i.to === posed.marks[1])!;
      expect([4, 5]).toContain(iv.simpleNumber);
    }
    // A 9th counts as a 2nd (and is a leap, not a step).
    const motions = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const posed = pose({ id: 'q', kind: 'step-skip-leap', sizes: [2] }, tune, seed);
      const iv = a.intervals.find((i) => i.from === posed.marks[0] && i.to === posed.marks[1])!;
      expect(iv.simpleNumber).toBe(2);
      if (posed.expected.type === 'choice') motions.add(posed.expected.value);
    }
    expect([...motions].sort()).toEqual(['leap', 'step']);
  });
  it('refuses a melody without those sizes, saying which', () => {
    const r = poseQuestion(
      { id: 'q', kind: 'interval-by-ear', answer: 'choices', sizes: [6, 8] },
      { analysis: analyse(tune) },
      seeded(1),
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'lessons/question-does-not-fit' } });
    if (!r.ok) expect(r.error.message).toContain('6th or octave');
  });
});

describe('interval questions', () => {
  // C4 -> E4 is the only move between different notes: a major third.
  const posed = pose({ id: 'q', kind: 'interval-name', answer: 'choices' }, 'C4 C4 E4');
  it('marks the two notes and offers the right name among four', () => {
    expect(posed.marks).toEqual([1, 2]);
    expect(posed.choices).toHaveLength(4);
    expect(posed.choices).toContain('M3');
    expect(posed.showScore).toBe(true);
  });
  it.each([
    ['M3', 1],
    ['major third', 1],
    ['maj 3', 1],
    ['m3', 0],
    ['banana', 0],
  ])('grades %j as %d', (value, score) => {
    expect(gradeAnswer(posed, { type: 'text', value }).score).toBe(score);
  });
  it('hides the score for the by-ear kind and says the answer when wrong', () => {
    const ear = pose({ id: 'q', kind: 'interval-by-ear', answer: 'typed' }, 'C4 G4');
    expect(ear.showScore).toBe(false);
    expect(ear.choices).toBeUndefined();
    expect(gradeAnswer(ear, { type: 'text', value: 'P4' }).feedback).toMatch(/perfect fifth \(P5\)/);
  });
  it('reads interval names', () => {
    expect(readIntervalName('perfect 5th')).toBe('P5');
    expect(readIntervalName('min second')).toBe('m2');
  });
});

describe('other kinds', () => {
  it('step, skip or leap', () => {
    const p = pose({ id: 'q', kind: 'step-skip-leap' }, 'C4 D4');
    expect(p.expected).toEqual({
      type: 'choice',
      value: 'step',
      notes: [0, 1],
      why: 'From C4 to D4 is a second: the next letter, a step.',
    });
    expect(gradeAnswer(p, { type: 'text', value: 'Step' }).correct).toBe(true);
    expect(gradeAnswer(p, { type: 'text', value: 'leap' }).feedback).toBe(
      'Not quite: the answer is step. From C4 to D4 is a second: the next letter, a step.',
    );
  });
  it('says which letter a skip jumps over, up or down, and that a leap jumps over more', () => {
    const skip = pose({ id: 'q', kind: 'step-skip-leap' }, 'E4 G4');
    expect(skip.expected).toMatchObject({
      value: 'skip',
      why: 'From E4 to G4 is a third: it skips over the letter F.',
    });
    const down = pose({ id: 'q', kind: 'step-skip-leap' }, 'C5 A4');
    expect(down.expected).toMatchObject({ why: 'From C5 to A4 is a third: it skips over the letter B.' });
    const leap = pose({ id: 'q', kind: 'step-skip-leap' }, 'C4 A4');
    expect(leap.expected).toMatchObject({
      value: 'leap',
      why: 'From C4 to A4 is a sixth: it jumps over more than one letter, a leap.',
    });
  });
  it('contour of a rising line', () => {
    const p = pose({ id: 'q', kind: 'contour' }, 'C4 D4 E4 F4 G4 A4');
    expect(p.expected).toMatchObject({ value: 'ascending' });
    expect(p.choices).toContain('ascending');
  });
  it('repeated bars', () => {
    // Bar 3 (index 2) repeats bar 1 exactly.
    const p = pose({ id: 'q', kind: 'repeated-bars' }, 'C4 D4 E4 C4 G4 A4 B4 G4 C4 D4 E4 C4');
    expect(p.expected).toEqual({
      type: 'bars',
      bars: [2],
      firstBarNumber: 1,
      why: 'Bar 3 is bar 1 again, note for note.',
    });
    expect(gradeAnswer(p, { type: 'bars', bars: [2] }).feedback).toBe(
      'Right: bar 3 repeats an earlier bar. Bar 3 is bar 1 again, note for note.',
    );
    expect(gradeAnswer(p, { type: 'bars', bars: [2] }).score).toBe(1);
    expect(gradeAnswer(p, { type: 'bars', bars: [1, 2] }).score).toBeCloseTo(2 / 3);
    // A wrong bar is named, so the student knows which choice was off.
    expect(gradeAnswer(p, { type: 'bars', bars: [1, 2] }).feedback).toMatch(
      /Bar 2 does not repeat an earlier bar exactly\. Bar 3 is bar 1 again, note for note\.$/,
    );
    expect(gradeAnswer(p, { type: 'bars', bars: [2] }).feedback).not.toMatch(/does not repeat/);
  });
  it('which of two variations repeats more', () => {
    const r = poseQuestion(
      { id: 'q', kind: 'which-repeats-more' },
      {
        analysis: analyse('C4 D4'),
        variations: [
          analyse('C4/2 E4/6 G4 B4/2 D5/8 F5/3 A5/1 C6/16'),
          analyse('C4 D4 E4 C4 C4 D4 E4 C4 C4 D4 E4 C4 C4 D4 E4 C4'),
        ],
      },
      seeded(3),
    );
    expect(r.ok && r.value.expected).toMatchObject({ value: 'the second' });
  });
  it('refuses a question the melody does not fit', () => {
    expect(
      poseQuestion({ id: 'q', kind: 'find-motif' }, { analysis: analyse('C4 E4 G4') }, seeded(1)).ok,
    ).toBe(false);
  });
  it('is replayable from a seed', () => {
    const notes = 'C4 E4 D4 G4 F4 A4 G4 C5';
    const spec: QuestionSpec = { id: 'q', kind: 'interval-name', answer: 'choices' };
    expect(pose(spec, notes, 7)).toEqual(pose(spec, notes, 7));
  });
});

describe('key questions, worded for students', () => {
  // All declared with C major's signature, as many files store them.
  const A_MINOR = 'A3 C4 E4 A4 G#4 B4 A4/8 E4 C4 B3 G#3 A3/8';
  const C_MAJOR = 'C4 E4 G4 C5 B4 D5 C5/8 G4 E4 D4 B3 C4/8';
  const D_DORIAN = 'D4 F4 A4 B4 A4 C5 A4 G4 F4 E4 C4 D4/8';

  it('major or minor: a minor tune stored as its relative major is minor, and says why', () => {
    const p = pose({ id: 'q', kind: 'major-or-minor' }, A_MINOR);
    expect(p.choices).toEqual(['major', 'minor']);
    expect(p.prompt).toMatch(/^Is this tune major or minor\? Listen to where it comes to rest/);
    expect(p.expected).toMatchObject({ type: 'choice', value: 'minor', notes: [11] });
    const right = gradeAnswer(p, { type: 'text', value: 'Minor' });
    expect(right.correct).toBe(true);
    expect(right.feedback).toBe(
      'Right: minor. It is in A minor: home is A, and the third up from A is C, a minor third.',
    );
    expect(gradeAnswer(p, { type: 'text', value: 'major' }).feedback).toMatch(
      /^Not quite: the answer is minor\./,
    );
    expect(pose({ id: 'q', kind: 'major-or-minor' }, C_MAJOR).expected).toMatchObject({ value: 'major' });
  });

  it('a Dorian tune is minor-sounding, and the feedback names the mode', () => {
    const p = pose({ id: 'q', kind: 'major-or-minor' }, D_DORIAN);
    expect(p.expected).toMatchObject({
      value: 'minor',
      why: 'It is in D Dorian, a minor-sounding mode: home is D, and the third up from D is F, a minor third.',
    });
  });

  it('home note: the tonic among other notes of the scale, named without octaves', () => {
    const p = pose({ id: 'q', kind: 'home-note' }, A_MINOR, 3);
    expect(p.choices).toHaveLength(4);
    expect(p.choices).toContain('A');
    expect(p.choices!.every((c) => /^[A-G][♯♭]?$/.test(c))).toBe(true);
    expect(p.expected).toMatchObject({ value: 'A', why: 'The tune is in A minor and ends on A.' });
    expect(gradeAnswer(p, { type: 'text', value: 'A' }).correct).toBe(true);
    // A tune that stops away from home says so.
    const open = pose({ id: 'q', kind: 'home-note' }, 'C4 E4 G4 C5 G4 E4 C4/8 F4 A4 G4 F4 E4/4 D4/4');
    expect(open.expected).toMatchObject({ value: 'C' });
    expect((open.expected as { why: string }).why).toBe(
      'The tune is in C major; this one ends on D, away from home, so it wants to go on.',
    );
  });

  it('refuses a melody too short to hear a key', () => {
    for (const kind of ['major-or-minor', 'home-note'] as const) {
      expect(poseQuestion({ id: 'q', kind }, { analysis: analyse('C4 E4 G4') }, seeded(1)).ok).toBe(false);
    }
  });
});

describe('find-motif partial credit', () => {
  it('scores occurrence recall and note precision', () => {
    const expected = [
      [4, 5, 6],
      [8, 9, 10],
    ];
    expect(gradeOccurrences(expected, [4, 5, 6, 8, 9, 10]).score).toBe(1);
    const half = gradeOccurrences(expected, [4, 5, 6]);
    expect([half.precision, half.recall]).toEqual([1, 0.5]);
    const sloppy = gradeOccurrences(expected, [4, 5, 6, 8, 9, 10, 11, 12]);
    expect([sloppy.precision, sloppy.recall]).toEqual([0.75, 1]);
    expect(gradeOccurrences(expected, [0, 1, 2], [0, 1, 2]).score).toBe(0);
  });
  it('poses on a repeated figure and grades clicks', () => {
    const p = pose({ id: 'q', kind: 'find-motif' }, 'C4 D4 E4 C4 C4 D4 E4 C4 G4/16');
    expect(p.expected.type).toBe('occurrences');
    if (p.expected.type !== 'occurrences') return;
    const all = p.expected.occurrences.flat();
    const g = gradeAnswer(p, { type: 'notes', notes: all });
    expect(g.correct).toBe(true);
    expect(gradeAnswer(p, { type: 'notes', notes: [] }).score).toBe(0);
  });
});

describe('form letters', () => {
  const posed: PosedQuestion = {
    id: 'q',
    kind: 'form-letters',
    prompt: '',
    marks: [],
    showScore: true,
    expected: { type: 'letters', letters: 'AABA' },
  };
  it.each([
    ['AABA', 1],
    ["a a' b a", 1],
    ['AABB', 0.75],
    ['ABA', 0],
  ])('%j scores %d', (value, score) => expect(gradeAnswer(posed, { type: 'text', value }).score).toBe(score));
  it('counts right letters in words that agree: "1 of 4 letters is right", "3 of 4 letters are right"', () => {
    expect(gradeAnswer(posed, { type: 'text', value: 'BBBB' }).feedback).toBe(
      '1 of 4 letters is right. The form is AABA.',
    );
    expect(gradeAnswer(posed, { type: 'text', value: 'AABB' }).feedback).toBe(
      '3 of 4 letters are right. The form is AABA.',
    );
  });
});

describe('meetsConstraints', () => {
  const check = (notes: string) => {
    const m = melody(notes);
    return meetsConstraints(m, analyzeMelody(m), ['two-bar-repeat', 'steps-and-thirds-only', 'ends-on-tonic'])
      .failed;
  };
  it.each([
    ['E4 D4 C4 D4 E4 F4 E4/8 E4 D4 C4 D4 E4 F4 E4/8 D4/8 C4/8', []],
    ['C4 E4 G4 F4 E4 D4 C4/8 C4 E4 G4 F4 E4 D4 C4/8 D4/8 E4/8', ['ends-on-tonic']],
    ['C4 D4 E4 C4 E4 F4 G4/8 C4 D4 E4 C4 E4 F4 G4/8 C5/16', ['steps-and-thirds-only']],
    ['C4 D4 E4 F4 G4 F4 E4 D4 C4/16', ['two-bar-repeat']],
  ])('%s fails %j', (notes, failed) => expect(check(notes)).toEqual(failed));
});

describe('markdown', () => {
  it('renders the subset and escapes everything else', () => {
    expect(markdownToHtml('Hello **bold** and *it* `x<y`\n\n- one\n- two')).toBe(
      '<p>Hello <strong>bold</strong> and <em>it</em> <code>x&lt;y</code></p>\n<ul><li>one</li><li>two</li></ul>',
    );
    expect(markdownToHtml('<script>alert(1)</script> [click](javascript:void)')).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt; click</p>',
    );
    // An autolink shows its address as plain text.
    expect(markdownToHtml('See <https://example.org/reels?a=1&b=2>.')).toBe(
      '<p>See https://example.org/reels?a=1&amp;b=2.</p>',
    );
    expect(parseMarkdown('1. a\n2. b')).toEqual([
      { kind: 'list', ordered: true, items: [[{ kind: 'text', text: 'a' }], [{ kind: 'text', text: 'b' }]] },
    ]);
  });
});
