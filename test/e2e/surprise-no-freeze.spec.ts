/**
 * No freeze (#12): turning Surprise on for a 200-bar tune leaves the window's thread free
 * while the model scores every note in the generation worker (the panel counts its progress),
 * then shades the notes. Long tasks (over 50 ms) seen by a PerformanceObserver are printed, not
 * asserted (a shared machine's timings are noise to a test): `npm run bench:score` measures them.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeMelodyMidi } from '../../src-core/midi/write.ts';
import { makeMelody, parseNotes } from '../../src-core/music/melody.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
/** A bar of running sixteenths: 200 of them are 3,200 notes for the model to score. */
const BAR = 'D5/1 E5/1 F#5/1 G5/1 A5/1 F#5/1 G5/1 B5/1 A5/1 G5/1 F#5/1 E5/1 D5/1 C#5/1 B4/1 A4/1 ';

test('Surprise on a 200-bar tune: the window keeps answering, says how far it is, then shades every note', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const melody = makeMelody({
    notes: parseNotes(BAR.repeat(200)),
    key: { tonic: 'D', mode: 'major' },
    title: 'Two hundred bars',
  });
  const file = join(mkdtempSync(join(tmpdir(), 'cantus-surprise-')), 'two-hundred-bars.mid');
  writeFileSync(file, writeMelodyMidi(melody));

  await page.goto('/index.html');
  await page.request.post('/__test/dialog', { data: { open: file } });
  await page.getByRole('button', { name: 'Open…' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('two-hundred-bars');
  await page.getByTestId('analyse').click();
  await expect(page.getByTestId('analyse-panel')).toBeVisible({ timeout: 60_000 });
  await page.waitForTimeout(500);
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
  });

  await page.getByTestId('surprise').click();
  // While the model works the panel says so, and its bar moves.
  await page.waitForFunction(
    () =>
      document
        .querySelector('[data-testid=surprise-status]')
        ?.textContent?.includes('Working out how surprising') &&
      Number(document.querySelector<HTMLProgressElement>('[data-testid=surprise-progress]')?.value) > 0,
    null,
    { polling: 100, timeout: 60_000 },
  );
  // Waiting by a light check in the page: Playwright's own retries would add long tasks of theirs.
  await page.waitForFunction(() => document.querySelector('svg.marks text.shade-label') !== null, null, {
    polling: 250,
    timeout: 150_000,
  });
  await page.waitForTimeout(300);
  const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  console.log(
    `Surprise, ${melody.notes.length} notes: long tasks ${tasks.map((t) => t.toFixed(0)).join(', ') || 'none'}`,
  );
  await expect(page.getByTestId('score').locator('svg.marks text.shade-label').first()).toHaveText(/^\d+%$/);
  await page.screenshot({ path: join(SHOTS, 'surprise-long-tune.png') });
});
