import { describe, expect, it } from 'vitest';
import {
  CSV_COLUMNS,
  exportProgressCsv,
  importClassSummary,
  isMastered,
  parseProgressCsv,
  summarizeAttempts,
  type Attempt,
  type Profile,
} from '../../../src-core/lessons/progress.ts';

let counter = 0;
function attempt(profileId: string, lessonId: string, score: number, minute: number): Attempt {
  counter++;
  return {
    id: `a${counter}`,
    profileId,
    packId: 'intervals-1',
    lessonId,
    questionKind: 'interval-name',
    score,
    correct: score === 1,
    at: new Date(Date.UTC(2025, 0, 10, 9, minute)).toISOString(),
  };
}

const header = CSV_COLUMNS.join(',');

describe('isMastered', () => {
  it.each([
    [[], false],
    [[1, 1], false],
    [[0.8, 0.8, 0.8], true],
    [[0.2, 0.9, 0.8, 1], true],
    [[1, 1, 1, 0.2], false],
    [[0.7, 0.8, 0.8], false],
  ])('%j -> %s', (scores, expected) => {
    expect(isMastered(scores)).toBe(expected);
  });
});

describe('summarizeAttempts', () => {
  it('summarises a very long history of one lesson (no argument spread)', () => {
    const many = Array.from({ length: 300_000 }, (_, i) =>
      attempt('p1', 'seconds', i === 123_456 ? 1 : 0.5, i),
    );
    const [summary] = summarizeAttempts(many);
    expect(summary).toMatchObject({ attempts: 300_000, best: 1, last: 0.5 });
  });

  it('groups by student and lesson, in time order', () => {
    const attempts = [
      attempt('p1', 'seconds', 1, 5),
      attempt('p1', 'seconds', 0.5, 1),
      attempt('p2', 'seconds', 0.25, 2),
      attempt('p1', 'thirds', 1, 3),
      attempt('p1', 'seconds', 0.9, 4),
    ];
    const summaries = summarizeAttempts(attempts);
    expect(summaries).toHaveLength(3);
    expect(summaries[0]).toMatchObject({
      profileId: 'p1',
      lessonId: 'seconds',
      attempts: 3,
      correct: 1,
      best: 1,
      last: 1,
      mastered: true,
    });
    expect(summaries[1]).toMatchObject({ profileId: 'p2', attempts: 1, last: 0.25, mastered: false });
    expect(summaries[2]).toMatchObject({ lessonId: 'thirds', attempts: 1, mastered: false });
  });
});

describe('CSV export and import', () => {
  const profiles: Profile[] = [
    { id: 'p1', name: 'O\'Brien, "Al"' },
    { id: 'p2', name: '=cmd' },
    { id: 'p3', name: "'Quoted" },
  ];

  it('quotes awkward names and disarms formulas', () => {
    const csv = exportProgressCsv(profiles, [attempt('p1', 'seconds', 1, 1), attempt('p2', 'seconds', 0, 2)]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(header);
    expect(lines[1]).toMatch(/^"O'Brien, ""Al""",p1,/);
    expect(lines[2]).toMatch(/^'=cmd,p2,/);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('round-trips names, scores and times', () => {
    const attempts = [
      attempt('p1', 'seconds', 0.75, 1),
      attempt('p2', 'thirds', 1 / 3, 2),
      attempt('p3', 'thirds', 0, 3),
    ];
    const parsed = parseProgressCsv(exportProgressCsv(profiles, attempts), 'a.csv');
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.map((a) => a.student)).toEqual(profiles.map((p) => p.name));
    expect(parsed.value.map(({ student: _s, ...a }) => a)).toEqual(attempts);
  });

  it('scores whole runs: the last and best run are the mean of each run’s answers, in the list and the class summary', () => {
    // Four runs of a lesson with 3 questions, scored 25-33% each: the best single answer was 100%.
    const runs = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0, 0],
    ];
    const attempts: Attempt[] = runs.flatMap((scores, r) =>
      scores.map((score, q) => ({
        ...attempt('a1', 'seconds', score, 10 * r + q),
        id: `r${r}q${q}`,
        runId: `run-${r}`,
      })),
    );
    const [summary] = summarizeAttempts(attempts);
    expect(summary).toMatchObject({ attempts: 13, best: 1, runs: 4, lastRun: 0.25 });
    expect(summary!.bestRun).toBeCloseTo(1 / 3, 9);
    const csv = exportProgressCsv([{ id: 'a1', name: 'Ana' }], attempts);
    const classSummary = importClassSummary([{ name: 'a.csv', text: csv }]);
    if (!classSummary.ok) throw new Error(classSummary.error.message);
    expect(classSummary.value.students[0]).toMatchObject({ runs: 4, lastRun: 0.25 });
    expect(classSummary.value.lessons[0]).toMatchObject({ meanLastRun: 0.25, struggled: ['Ana'] });
  });

  it('imports an export made before runs were recorded (no run_id column): each answer a run', () => {
    const old = exportProgressCsv([{ id: 'a1', name: 'Ana' }], [attempt('a1', 'seconds', 0.5, 1)])
      .split('\r\n')
      .map((line) => line.replace(/,[^,]*$/, ''))
      .join('\r\n');
    expect(
      old.startsWith('student,profile_id,pack,lesson,question_kind,score,correct,at,attempt_id\r\n'),
    ).toBe(true);
    const summary = importClassSummary([{ name: 'old.csv', text: old }]);
    if (!summary.ok) throw new Error(summary.error.message);
    expect(summary.value.students[0]).toMatchObject({ runs: 1, lastRun: 0.5 });
  });

  it('imports two exports into a class summary', () => {
    const computerA = exportProgressCsv(
      [{ id: 'a1', name: 'Ana' }],
      [
        attempt('a1', 'seconds', 1, 1),
        attempt('a1', 'seconds', 0.8, 2),
        attempt('a1', 'seconds', 0.9, 3),
        attempt('a1', 'thirds', 0.5, 4),
      ],
    );
    const shared = attempt('b1', 'thirds', 0.2, 5);
    const computerB = exportProgressCsv(
      [{ id: 'b1', name: 'Ben' }],
      [attempt('b1', 'seconds', 0.6, 1), shared, attempt('b1', 'thirds', 0.4, 6)],
    );
    const benAgain = exportProgressCsv([{ id: 'b1', name: 'Ben' }], [shared]);
    const summary = importClassSummary([
      { name: 'a.csv', text: computerA },
      { name: 'b.csv', text: computerB },
      { name: 'ben.csv', text: benAgain },
    ]);
    if (!summary.ok) throw new Error(summary.error.message);
    expect(summary.value.students).toEqual([
      {
        student: 'Ana',
        packId: 'intervals-1',
        lessonId: 'seconds',
        attempts: 3,
        meanScore: 0.9,
        mastered: true,
        runs: 3,
        lastRun: 0.9,
        bestRun: 1,
      },
      {
        student: 'Ana',
        packId: 'intervals-1',
        lessonId: 'thirds',
        attempts: 1,
        meanScore: 0.5,
        mastered: false,
        runs: 1,
        lastRun: 0.5,
        bestRun: 0.5,
      },
      {
        student: 'Ben',
        packId: 'intervals-1',
        lessonId: 'seconds',
        attempts: 1,
        meanScore: 0.6,
        mastered: false,
        runs: 1,
        lastRun: 0.6,
        bestRun: 0.6,
      },
      {
        student: 'Ben',
        packId: 'intervals-1',
        lessonId: 'thirds',
        attempts: 2,
        meanScore: expect.closeTo(0.3, 9),
        mastered: false,
        runs: 2,
        lastRun: 0.4,
        bestRun: 0.4,
      },
    ]);
    const [seconds, thirds] = summary.value.lessons;
    expect(seconds).toMatchObject({ lessonId: 'seconds', students: 2, struggled: [] });
    expect(thirds).toMatchObject({ lessonId: 'thirds', students: 2, struggled: ['Ana', 'Ben'] });
  });
});

describe('malformed CSV', () => {
  const row = 'Ana,p1,intervals-1,seconds,interval-name,1,true,2025-01-10T09:00:00.000Z,a1';
  it.each([
    ['', 'progress-csv/empty', 'empty'],
    ['name,score\r\n', 'progress-csv/bad-header', 'Line 1'],
    [`${header}\r\n${row}\r\nAna,p1,intervals-1\r\n`, 'progress-csv/missing-fields', 'Line 3'],
    [
      `${header}\r\n${row.replace(',1,true', ',lots,true')}\r\n`,
      'progress-csv/bad-value',
      'Line 2 of class.csv: the score',
    ],
    [`${header}\r\n${row.replace('true', 'yes')}\r\n`, 'progress-csv/bad-value', 'correct'],
    [`${header}\r\n${row.replace('2025-01-10', 'yesterday')}\r\n`, 'progress-csv/bad-value', 'at value'],
    [`${header}\r\n${row}\r\n"Ana, p1,intervals-1\r\n`, 'progress-csv/unclosed-quote', 'Line 3'],
    [`${header}\r\n"Ana"x,p1\r\n`, 'progress-csv/bad-quote', 'Line 2'],
    [`${header}\r\nA"na,p1\r\n`, 'progress-csv/bad-quote', 'Line 2'],
  ])('%j -> %s', (text, code, words) => {
    const result = parseProgressCsv(text, 'class.csv');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message).toContain(words);
    expect(result.error.path).toBe('class.csv');
  });

  it('names the file and line a class import stopped at', () => {
    const result = importClassSummary([
      { name: 'good.csv', text: `${header}\r\n` },
      { name: 'bad.csv', text: `${header}\r\nAna,p1\r\n` },
    ]);
    expect(result.ok ? '' : result.error.message).toMatch(/^Line 2 of bad\.csv/);
  });
});
