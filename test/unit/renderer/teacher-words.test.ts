import { describe, expect, it } from 'vitest';
import { lessonProblemWords, teacherWords } from '../../../src-renderer/lib/teacher-words.ts';

describe("the editor's wording of pack messages", () => {
  it('drops the file, the JSON path and the field ids, and starts with a capital', () => {
    expect(
      teacherWords(
        'pack.json, lessons[0].melody.constraints: after 20 tries (160 melodies) none met "contains a two-bar repeat" (two-bar-repeat). Loosen the constraints, change the opening notes (primer), or raise the Adventure (temperature).',
      ),
    ).toBe(
      'After 20 tries (160 melodies) none met "contains a two-bar repeat". Loosen the constraints, change the opening notes, or raise the Adventure.',
    );
  });
  it('leaves other messages as they are', () => {
    expect(teacherWords('The melody model stopped.')).toBe('The melody model stopped.');
  });
});

describe('why a lesson could not start', () => {
  const check =
    'pack.json, lessons[1].melody.constraints: after 20 tries (80 melodies) none met "only steps and thirds" (steps-and-thirds-only). Loosen the constraints, change the opening notes (primer), or raise the Adventure (temperature).';

  it('tells a student what to do, with no file or field names', () => {
    const words = lessonProblemWords(check, false);
    expect(words.text).not.toMatch(/pack\.json|lessons\[|constraints|primer|temperature/);
    expect(words.text).toMatch(/Try again/);
    expect(words.detail).toBeNull();
  });

  it("gives a teacher's preview the check's own words as well", () => {
    const words = lessonProblemWords(check, true);
    expect(words.detail).toBe(
      'After 20 tries (80 melodies) none met "only steps and thirds". Loosen the constraints, change the opening notes, or raise the Adventure.',
    );
  });
});
