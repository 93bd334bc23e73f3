/**
 * Lessons that never fail in front of a student (issue #12, item 9), in Chromium against the
 * real main-process handlers and the real model:
 *  - a teacher's Check builds a lesson that writes its melody, says it can be built, and keeps
 *    the melody the model wrote with the pack; the exported pack carries it and passes Cantus's
 *    own checks;
 *  - a student whose fresh melody cannot be written (here: the lesson's opening runs past the
 *    bar where its two-bar repeat must start, so every fresh try fails) gets the kept melody
 *    and the lesson, with no message about files or fields.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { buildLesson } from '../../src-core/lessons/build-lesson.ts';
import { readPackArchive } from '../../src-core/lessons/pack-files.ts';
import { validatePack } from '../../src-core/lessons/validate.ts';
import { parseNotes } from '../../src-core/music/melody.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

test('Check writes and keeps a melody for a lesson that writes its own; Export carries it', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const out = mkdtempSync(join(tmpdir(), 'cantus-kept-'));
  await page.goto('/index.html');
  await page.getByTestId('lessons').click();
  await page.getByTestId('teacher').click();
  const editor = page.getByTestId('pack-editor');
  await editor.getByTestId('new-pack').click();
  // A draft from before may have been there: if asked, start afresh.
  if (await editor.getByTestId('confirm-new-pack').isVisible())
    await editor.getByTestId('confirm-new-pack-yes').click();
  await editor.getByTestId('pack-title').fill('Fresh tunes');
  await editor.getByTestId('constraint-ends-on-tonic').check();
  await editor.getByRole('button', { name: 'A fresh melody for each student' }).click();
  const note = editor.getByTestId('generated-note');
  await expect(note).toContainText('Check the pack to keep one');

  await editor.getByTestId('validate').click();
  await expect(editor.getByTestId('editor-message')).toContainText('the pack keeps it', { timeout: 150_000 });
  await expect(note).toContainText('also keeps one the model wrote');
  await page.screenshot({ path: join(SHOTS, 'pack-check-kept.png') });

  const zip = join(out, 'fresh.zip');
  await page.request.post('/__test/dialog', { data: { save: zip } });
  await editor.getByTestId('export-pack').click();
  await expect(editor.getByTestId('editor-message')).toContainText('fresh.zip');
  const read = readPackArchive(new Uint8Array(readFileSync(zip)), 'fresh.zip');
  const checked = validatePack(read.files!, 'fresh.zip');
  // The kept melody fits the lesson: validation checks its length and its conditions.
  expect(checked.problems).toEqual([]);
  const lesson = checked.pack!.lessons[0]!;
  expect(lesson.melody.source).toBe('generate');
  const kept = lesson.melody.source === 'generate' ? lesson.melody.kept : undefined;
  expect(parseNotes(kept!.notes).length).toBeGreaterThan(8);
  const built = await buildLesson(lesson, {
    files: read.files!,
    file: 'pack.json',
    path: 'lessons[0]',
    model: null,
    seed: 1,
    useKept: true,
  });
  expect(built.ok && built.value.questions.length).toBeGreaterThan(0);
});

test('a student whose fresh melody cannot be written gets the one the pack kept', async ({ page }) => {
  test.setTimeout(120_000);
  const kept = 'C4 E4 G4 E4 D4 F4 A4 F4 C4 E4 G4 E4 D4 F4 A4 F4 E4 G4 C5 G4 C4/16';
  const pack = {
    formatVersion: 1,
    id: 'kept-for-ana',
    title: 'Kept for Ana',
    author: 'Ms Reyes',
    version: '1.0.0',
    language: 'en',
    lessons: [
      {
        id: 'repeat-me',
        title: 'A tune that says it twice',
        introduction: 'Listen for the opening coming back.',
        melody: {
          source: 'generate',
          model: 'folk-phrase-2x256',
          // Three bars of opening: the repeat of bars 1-2 cannot start at bar 3.
          primer: 'C4 E4 G4 E4 D4 F4 A4 F4 E4 G4 C5 G4',
          temperature: 1,
          bars: 6,
          constraints: ['two-bar-repeat'],
          key: { tonic: 'C', mode: 'major' },
          kept: { notes: kept },
        },
        questions: [{ id: 'q1', kind: 'step-skip-leap' }],
      },
    ],
  };
  const files = new Map([['pack.json', strToU8(JSON.stringify(pack))]]);
  expect(validatePack(files, 'kept.zip').problems).toEqual([]);
  const zip = join(mkdtempSync(join(tmpdir(), 'cantus-kept-')), 'kept.zip');
  writeFileSync(zip, zipSync({ 'pack.json': files.get('pack.json')! }));

  await page.goto('/index.html');
  await page.getByTestId('lessons').click();
  await page.getByTestId('teacher').click();
  const editor = page.getByTestId('pack-editor');
  await page.request.post('/__test/dialog', { data: { pack: zip } });
  await editor.getByTestId('import-pack').click();
  await expect(editor.getByTestId('editor-message')).toContainText('Imported “Kept for Ana”');
  await editor.getByRole('button', { name: '← Back to the lessons' }).click();

  const panel = page.getByTestId('lessons-panel');
  await panel.getByTestId('lesson').filter({ hasText: 'A tune that says it twice' }).click();
  await expect(panel.getByTestId('question')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('[data-testid=score] [role=option]')).toHaveCount(parseNotes(kept).length);
  await expect(panel).not.toContainText('pack.json');
  await page.screenshot({ path: join(SHOTS, 'lesson-kept-melody.png') });
});
