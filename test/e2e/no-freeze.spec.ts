/**
 * No freeze: a big file opens in the music worker while the window says so and keeps answering;
 * Cancel leaves the melody that was open; a long melody is analysed in the worker too.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeMelodyMidi } from '../../src-core/midi/write.ts';
import { makeMelody, parseNotes } from '../../src-core/music/melody.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
const BAR = 'D5/2 E5/2 F#5/2 G5/2 A5/2 B5/2 C#6/2 D6/2 ';

test('a 64,000-note file opens off the window thread, with Cancel; a long melody is analysed there too', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // 8,000 bars of eighths: 64,000 notes, about half a megabyte.
  const big = makeMelody({ notes: parseNotes(BAR.repeat(8000)), key: { tonic: 'D', mode: 'major' } });
  const dir = mkdtempSync(join(tmpdir(), 'cantus-big-'));
  const file = join(dir, 'big-tune.mid');
  writeFileSync(file, writeMelodyMidi(big));

  await page.goto('/index.html');
  await expect(page.getByTestId('document-name')).toHaveText('Welcome tune');

  // Open, then Cancel while it is read: the welcome tune stays.
  await page.request.post('/__test/dialog', { data: { open: file } });
  await page.getByRole('button', { name: 'Open…' }).click();
  const opening = page.getByTestId('opening');
  await expect(opening).toContainText('Opening “big-tune.mid”…');
  // The window answers while the file is read: the tempo field takes typing.
  await page.getByLabel('Tempo').fill('96');
  await expect(page.getByLabel('Tempo')).toHaveValue('96');
  await page.screenshot({ path: join(SHOTS, 'opening-big-file.png') });
  await opening.getByRole('button', { name: 'Cancel' }).click();
  await expect(opening).toHaveCount(0);
  await expect(page.getByTestId('document-name')).toHaveText('Welcome tune');

  // Open it again and let it finish: the first bars are drawn.
  await page.request.post('/__test/dialog', { data: { open: file } });
  await page.getByRole('button', { name: 'Open…' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('big-tune', { timeout: 120_000 });
  await expect(page.locator('#main-score-note-0')).toBeVisible();

  // Analyse: said to be working, then the panel; closing it while it works cancels.
  await page.getByTestId('analyse').click();
  await expect(page.getByTestId('analysing')).toContainText('Analysing 64,000 notes…');
  await expect(page.getByTestId('analyse-panel')).toBeVisible({ timeout: 120_000 });
  // What the analysis left out is said in the panel.
  await expect(page.getByTestId('analysis-warning').first()).toContainText(
    'only the first 5000 were analysed',
  );
});
