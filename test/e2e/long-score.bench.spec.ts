/**
 * `npm run bench:score`: opening and scrolling a 1,000-bar melody in Chromium, with the long
 * tasks (over 50 ms) the window's thread ran, from a PerformanceObserver. Prints figures; the
 * test itself checks only that the score opens, draws the rows in view and follows a jump to
 * the end. The goal (#12): no task over 100 ms.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMelodyMidi } from '../../src-core/midi/write.ts';
import { makeMelody, parseNotes } from '../../src-core/music/melody.ts';

const BARS = 1000;
const PHRASE =
  'D5/2 E5/2 F#5/2 G5/2 A5/4 F#5/4 G5/2 B5/2 A5/2 G5/2 F#5/4 E5/4 D5/2 C#5/2 B4/2 A4/2 G4/4 B4/4 A4/8 D5/8';

test('a 1,000-bar melody opens and scrolls without long tasks', async ({ page }) => {
  test.setTimeout(180_000);
  const melody = makeMelody({
    notes: parseNotes(
      Array(BARS / 4)
        .fill(PHRASE)
        .join(' '),
    ),
    key: { tonic: 'D', mode: 'major' },
    title: 'A thousand bars',
  });
  const file = join(mkdtempSync(join(tmpdir(), 'cantus-long-')), 'thousand-bars.mid');
  writeFileSync(file, writeMelodyMidi(melody));

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/index.html');
  await expect(page.getByTestId('score').getByRole('option').first()).toBeVisible();
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: { start: number; ms: number }[]; phase: string };
    w.longTasks = [];
    w.phase = 'open';
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask' });
  });

  await page.request.post('/__test/dialog', { data: { open: file } });
  const opened = Date.now();
  await page.getByRole('button', { name: 'Open…' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('thousand-bars');
  await expect(page.getByTestId('score').getByRole('option').first()).toBeVisible();
  const openMs = Date.now() - opened;
  const openTasks = await page.evaluate(() =>
    (window as unknown as { longTasks: { ms: number }[] }).longTasks.splice(0),
  );

  // Scroll through the first hundred systems by the wheel, as a reader would.
  const score = page.getByTestId('score');
  await score.hover();
  for (let i = 0; i < 40; i++) await page.mouse.wheel(0, 600);
  await page.waitForTimeout(300);
  const scrollTasks = await page.evaluate(() =>
    (window as unknown as { longTasks: { ms: number }[] }).longTasks.splice(0),
  );

  // End jumps to the last note: its row is drawn and in view.
  await score.focus();
  await page.keyboard.press('End');
  const last = page.locator(`#main-score-note-${melody.notes.length - 1}`);
  await expect(last).toBeInViewport();
  const endTasks = await page.evaluate(() =>
    (window as unknown as { longTasks: { ms: number }[] }).longTasks.splice(0),
  );

  const describe = (tasks: { ms: number }[]) =>
    tasks.length === 0
      ? 'none'
      : `${tasks.length}, longest ${Math.max(...tasks.map((t) => t.ms)).toFixed(0)} ms, over 100 ms: ${tasks.filter((t) => t.ms > 100).length}`;
  console.log(`${BARS} bars, ${melody.notes.length} notes`);
  console.log(`open: ${openMs} ms to the first notes; long tasks: ${describe(openTasks)}`);
  console.log(`scroll (40 wheel steps): long tasks: ${describe(scrollTasks)}`);
  console.log(`End (jump to the last note): long tasks: ${describe(endTasks)}`);
});
