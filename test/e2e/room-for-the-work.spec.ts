/**
 * Room for the work: the score and the panel below it share the window by a splitter the user
 * drags (or moves with the keyboard), and the window remembers it; variations and a lesson's
 * second tune are compact scores that show every bar with no scroll area of their own; every
 * region scrolls on its own, and all of it works at 1024x700.
 */
import { expect, test, type Page } from '@playwright/test';
import { join, resolve } from 'node:path';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

async function scoreHeight(page: Page): Promise<number> {
  return await page
    .getByTestId('score')
    .first()
    .evaluate((el) => el.parentElement!.getBoundingClientRect().height);
}

test('the splitter shares the height, by mouse and keyboard, and is remembered', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto('/index.html');
  // With only the melody panel below it, the score has all the room there is.
  await expect(page.getByTestId('splitter')).toHaveCount(0);
  const full = await scoreHeight(page);

  await page.getByTestId('analyse').click();
  const splitter = page.getByTestId('splitter');
  await expect(splitter).toBeVisible();
  expect(await scoreHeight(page)).toBeLessThan(full);

  // Drag it down: the score grows.
  const before = await scoreHeight(page);
  const box = (await splitter.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + 120, { steps: 5 });
  await page.mouse.up();
  const dragged = await scoreHeight(page);
  expect(dragged).toBeGreaterThan(before + 80);

  // The keyboard moves it in steps, within its range.
  await splitter.focus();
  const value = Number(await splitter.getAttribute('aria-valuenow'));
  await page.keyboard.press('ArrowUp');
  await expect(splitter).toHaveAttribute('aria-valuenow', String(value - 5));
  await page.keyboard.press('Home');
  await expect(splitter).toHaveAttribute('aria-valuenow', '20');
  await page.keyboard.press('End');
  await expect(splitter).toHaveAttribute('aria-valuenow', '80');

  // Remembered across a reload.
  await page.reload();
  await page.getByTestId('analyse').click();
  await expect(page.getByTestId('splitter')).toHaveAttribute('aria-valuenow', '80');
});

test('at 1024x700 the Analyse panel scrolls to its last section, and variations show every bar', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto('/index.html');
  await page.getByTestId('analyse').click();
  const analyse = page.getByTestId('analyse-panel');
  const surprise = analyse.getByRole('heading', { name: 'Surprise' });
  await surprise.scrollIntoViewIfNeeded();
  await expect(surprise).toBeInViewport();

  await page.getByTestId('generate').click();
  const panel = page.getByTestId('generate-panel');
  await panel.getByLabel('Number of variations').fill('2');
  await panel.getByLabel('Bars to add').fill('8');
  await panel.getByTestId('generate-go').click();
  await expect(panel.getByTestId('variation')).toHaveCount(2, { timeout: 60_000 });
  const card = panel.getByTestId('variation').first();
  // Every bar drawn, in a card no taller than the panel, with no scroll area inside it.
  const inner = card.locator('.score-scroll');
  const scrolls = await inner.evaluate((el) => el.scrollHeight > el.clientHeight + 1);
  expect(scrolls).toBe(false);
  const cardHeight = (await card.boundingBox())!.height;
  const panelHeight = (await panel.boundingBox())!.height;
  expect(cardHeight).toBeLessThan(panelHeight);
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'room-generate-1024.png') });
});

test('at 1024x700 "Which tune repeats more?" shows the second tune whole and its answers at hand', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto('/index.html');
  await page.getByTestId('lessons').click();
  const panel = page.getByTestId('lessons-panel');
  await panel.getByTestId('lesson').filter({ hasText: 'Which tune repeats more?' }).click();
  await expect(panel.getByTestId('lesson-title')).toHaveText('Which tune repeats more?', { timeout: 60_000 });
  const second = panel.locator('.score-box .score-scroll');
  await expect(second.locator('svg')).toHaveCount(1);
  expect(await second.evaluate((el) => el.scrollHeight > el.clientHeight + 1)).toBe(false);
  const answers = panel.getByRole('group', { name: 'Answers' });
  await answers.scrollIntoViewIfNeeded();
  await expect(answers).toBeInViewport();
  // Nothing drawn over the answers: the whole score lies above them.
  const scoreBottom = await second.locator('svg').evaluate((el) => el.getBoundingClientRect().bottom);
  const answersTop = await answers.evaluate((el) => el.getBoundingClientRect().top);
  expect(scoreBottom).toBeLessThanOrEqual(answersTop);
  // No scroll area inside another: the score box is as tall as its score.
  const boxes = await panel.locator('.work').evaluate(
    (work) =>
      [...work.querySelectorAll('*')].filter((el) => {
        const style = getComputedStyle(el);
        return /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
      }).length,
  );
  expect(boxes).toBe(0);
  await page.screenshot({ path: join(SHOTS, 'room-lesson-1024.png') });
});
