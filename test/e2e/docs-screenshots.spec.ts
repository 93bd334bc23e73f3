/**
 * The README's pictures of the window, taken from the web build in Chromium as a user would see
 * it: a melody with a motif outlined and the Analyse panel, and a lesson answered wrong with the
 * right answer drawn. `npm run docs:screenshots` writes them into docs/; in the test run they
 * land in test-results/screenshots, so the journey they show is checked on every run.
 */
import { expect, test } from '@playwright/test';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = process.env['CANTUS_DOCS_DIR']
  ? resolve(ROOT, process.env['CANTUS_DOCS_DIR'])
  : join(ROOT, 'test-results/screenshots');
const PREFIX = process.env['CANTUS_DOCS_DIR'] ? '' : 'docs-';
const FIXTURE = join(ROOT, 'test/fixtures/midi/folk-d-major.mid');

test('the window with a motif outlined and the Analyse panel (docs/screenshot.png)', async ({ page }) => {
  await page.goto('/index.html');
  await page.request.post('/__test/dialog', { data: { open: FIXTURE } });
  await page.getByRole('button', { name: 'Open…' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('folk-d-major');
  await page.getByTestId('analyse').click();
  const panel = page.getByTestId('analyse-panel');
  await panel.getByTestId('motif').first().click();
  await expect(page.locator('[data-testid=score] svg.marks rect').first()).toBeVisible();
  await page.screenshot({ path: join(OUT, `${PREFIX}screenshot.png`) });
});

test('a lesson answered wrong, the right answer drawn (docs/lesson.png)', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/index.html');
  await page.getByTestId('lessons').click();
  const panel = page.getByTestId('lessons-panel');
  await panel.getByRole('button', { name: 'Add a student…' }).click();
  await panel.getByLabel("New student's name").fill('Ana');
  await panel.getByTestId('add-student').click();
  await panel.getByTestId('lesson').first().click();
  const question = panel.getByTestId('question');
  await expect(question).toHaveAttribute('data-kind', 'step-skip-leap');
  // Try each answer until one is wrong: the feedback then draws the right one on the score.
  const feedback = panel.getByTestId('feedback');
  for (const choice of ['leap', 'skip', 'step']) {
    await panel.getByTestId('choice').filter({ hasText: choice }).click();
    await expect(feedback).toBeVisible();
    if ((await feedback.getAttribute('data-correct')) === 'false') break;
    await panel.getByRole('button', { name: 'Next question' }).click();
  }
  await expect(feedback).toHaveAttribute('data-correct', 'false');
  await page.screenshot({ path: join(OUT, `${PREFIX}lesson.png`) });
});
