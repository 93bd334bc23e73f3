/**
 * Real-world MIDI kept as written: a file abc2midi made from a tune with an eighth note upbeat,
 * four bars of 6/8 in D and four of 4/4 in F with triplets. The window shows the upbeat as bar 0,
 * the 4/4 and F major's signature from bar 5, its triplets as triplets, numbers bars as the score
 * does, and says once, in words, what still reads the triplets rounded.
 */
import { expect, test } from '@playwright/test';
import { join, resolve } from 'node:path';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/real/pickup-6-8-then-4-4.abc2midi.mid');
const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

test('a tune with a pickup, a change of meter and key, and triplets is drawn as written', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/index.html');
  await page.request.post('/__test/dialog', { data: { open: FIXTURE } });
  await page.getByRole('button', { name: 'Open…' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('pickup-6-8-then-4-4.abc2midi');

  // Said once: the triplets are written and played as triplets but read rounded by the analysis
  // and the model. The meter and key changes are kept, so nothing is said of them.
  const notice = page.getByTestId('notice');
  await expect(notice).toContainText('This part has 4 triplets: the score writes them as triplets');
  await expect(notice).not.toContainText('time signature');
  await expect(notice).not.toContainText('key signature');

  await expect(page.getByTestId('meter')).toHaveText('6/8 with an eighth note pickup; 4/4 from bar 5');
  // Bars are numbered as the score numbers them: the upbeat is bar 0, the first F bar is bar 5.
  const score = page.getByTestId('score');
  await expect(score.getByRole('option').first()).toHaveAttribute('aria-label', 'A4, eighth note, bar 0');
  await expect(score.getByRole('option', { name: /^F4, .*, bar 5$/ }).first()).toBeVisible();
  await expect(score.getByRole('option', { name: /^B♭4, .*, bar 5$/ }).first()).toBeVisible();
  // Three time signatures are drawn: 6/8 at the start and 4/4 at bar 5 (two digits each).
  await expect(score.locator('svg .vf-timesignature')).toHaveCount(2);
  // The four eighth-note triplets, each marked 3.
  await expect(score.locator('svg .vf-tuplet')).toHaveCount(4);

  await page.getByTestId('analyse').click();
  const panel = page.getByTestId('analyse-panel');
  await expect(panel.getByTestId('analysis-key-changes')).toHaveText('Changes key: bars 5–8 in F major.');
  await page.screenshot({ path: join(SHOTS, 'real-world-midi.png') });
});

test('a change of tempo is marked on its bar and nothing is said to be simplified', async ({ page }) => {
  const file = resolve(import.meta.dirname, '../fixtures/real/tempo-change.abc2midi.mid');
  await page.goto('/index.html');
  await page.request.post('/__test/dialog', { data: { open: file } });
  await page.getByRole('button', { name: 'Open…' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('tempo-change.abc2midi');
  await expect(page.getByTestId('notice')).toHaveCount(0);
  // The metronome mark: a quarter note (drawn as a glyph) "= 150", once, over bar 3.
  await expect(page.getByTestId('score').locator('svg text').filter({ hasText: '150' })).toHaveCount(1);
  await page.screenshot({ path: join(SHOTS, 'tempo-change.png') });
});
