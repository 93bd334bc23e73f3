import { describe, expect, it } from 'vitest';
import { teacherWords } from '../../../src-renderer/lib/teacher-words.ts';

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
