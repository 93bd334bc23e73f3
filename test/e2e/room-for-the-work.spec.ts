/**
 * Room for the work: the score and the panel below it share the window by a splitter the user
 * drags (or moves with the keyboard), and the window remembers it; variations and a lesson's
 * second tune are compact scores that show every bar with no scroll area of their own; every
 * region scrolls on its own, and all of it works at 1024x700.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
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

/** Opens "Which tune repeats more?" in a fresh window of the given size (no remembered splitter). */
async function openWhichTune(page: Page, width: number, height: number) {
  await page.setViewportSize({ width, height });
  await page.goto('/index.html');
  await page.getByTestId('lessons').click();
  const panel = page.getByTestId('lessons-panel');
  await panel.getByTestId('lesson').filter({ hasText: 'Which tune repeats more?' }).click();
  await expect(panel.getByTestId('lesson-title')).toHaveText('Which tune repeats more?', { timeout: 60_000 });
  // The two variations, drawn alike as compact scores.
  const tunes = panel.getByTestId('compared-tune');
  await expect(tunes).toHaveCount(2);
  await expect(tunes.locator('.score-box svg')).toHaveCount(2);
  return { panel, tunes };
}

/** Both tunes drawn whole with their Play buttons, and both answers, in view with no scroll. */
async function expectWholeComparisonInView(panel: Locator, tunes: Locator) {
  for (const tune of await tunes.all()) {
    const score = tune.locator('.score-scroll');
    expect(await score.evaluate((el) => el.scrollHeight > el.clientHeight + 1)).toBe(false);
    await expect(score.locator('svg')).toBeInViewport({ ratio: 1 });
    await expect(tune.getByRole('button', { name: /^Play the/ })).toBeInViewport({ ratio: 1 });
  }
  const answers = panel.getByRole('group', { name: 'Answers' });
  const choices = answers.getByTestId('choice');
  await expect(choices).toHaveCount(2);
  for (const choice of await choices.all()) await expect(choice).toBeInViewport({ ratio: 1 });
  // Each answer stands beside its tune, and nothing is drawn over it.
  for (const [i, tune] of (await tunes.all()).entries()) {
    const choice = (await tune.getByTestId('choice').boundingBox())!;
    const score = (await tune.locator('.score-box').boundingBox())!;
    expect(choice.x + choice.width).toBeLessThanOrEqual(score.x);
    await expect(tune.getByTestId('choice')).toHaveAttribute('aria-keyshortcuts', String(i + 1));
  }
}

test('at 1024x700 "Which tune repeats more?" shows both tunes whole and both answers without a scroll', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { panel, tunes } = await openWhichTune(page, 1024, 700);
  await page.screenshot({ path: join(SHOTS, 'room-lesson-1024.png') });
  // Nothing scrolled by the student: the question is whole as the lesson opens.
  await expectWholeComparisonInView(panel, tunes);
  // No scroll area inside another: the score boxes are as tall as their scores.
  const boxes = await panel.locator('.work').evaluate(
    (work) =>
      [...work.querySelectorAll('*')].filter((el) => {
        const style = getComputedStyle(el);
        return /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
      }).length,
  );
  expect(boxes).toBe(0);
  // The lesson list stays at hand: L puts the keyboard on the lesson being worked on.
  await page.getByTestId('lesson-title').focus();
  await page.keyboard.press('l');
  const current = panel.locator('[data-testid=lesson][aria-current=true]');
  await expect(current).toBeFocused();
  await expect(current).toBeInViewport();
  await page.screenshot({ path: join(SHOTS, 'room-lesson-list-1024.png') });
});

test('at 1280x800 "Which tune repeats more?" shows both tunes whole and both answers without a scroll', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { panel, tunes } = await openWhichTune(page, 1280, 800);
  await page.screenshot({ path: join(SHOTS, 'room-lesson-1280.png') });
  await expectWholeComparisonInView(panel, tunes);
});
