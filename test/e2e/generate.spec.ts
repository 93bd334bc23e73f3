/**
 * Generating in the window: the model runs in a worker on the WebAssembly engine (under the
 * app's strict content policy), four variations of an imported primer appear as scores, one
 * plays with its notes lit, the same seed writes the same melodies, and one can be kept.
 */
import { DEFAULT_MODEL_ID } from '../../src-core/model/model-id.ts';
import { expect, test } from '@playwright/test';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PITCH_CHORD_ENCODER } from '../../src-core/model/checkpoint-format.ts';
import { randomCheckpoint, smallChordShape } from '../unit/model/random-checkpoint.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/midi/march-2-4.mid');
const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

test('generate four variations from an imported primer, play one, keep one', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto('/index.html');
  await page.request.post('/__test/dialog', { data: { open: FIXTURE } });
  await page.getByRole('button', { name: 'Open…' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('march-2-4');

  await page.getByTestId('generate').click();
  const panel = page.getByTestId('generate-panel');
  await panel.getByLabel('Number of variations').fill('4');
  await panel.getByLabel('Bars to add').fill('4');
  await panel.getByLabel(/^Seed/).fill('11');
  await panel.getByTestId('generate-go').click();
  // Opening the panel already started a generation with a random seed; this one replaces it.
  await expect(panel.getByRole('status')).toHaveCount(0, { timeout: 60_000 });
  const variations = panel.getByTestId('variation');
  await expect(variations).toHaveCount(4, { timeout: 60_000 });
  for (let i = 0; i < 4; i++)
    expect(await variations.nth(i).locator('[role=option]').count()).toBeGreaterThan(3);
  const notesOf = async (i: number) =>
    variations
      .nth(i)
      .locator('[role=option]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  const first = await notesOf(0);
  // The four variations differ (after this march's whole strain the default model is sure its
  // opening comes back; copies are written again).
  const all = await Promise.all([0, 1, 2, 3].map(notesOf));
  expect(new Set(all.map((v) => JSON.stringify(v))).size).toBe(4);
  await page.screenshot({ path: join(SHOTS, 'generate.png') });

  // Play variation 2: its own notes light up.
  await panel.getByRole('button', { name: 'Play variation 2' }).click();
  await expect(variations.nth(1).locator('.note-hit.is-playing').first()).toBeVisible({ timeout: 5000 });
  await page.getByTestId('play').click(); // the transport's Play stops what is playing first
  await page.keyboard.press('Escape');

  // The same seed and settings write the same melodies.
  await panel.getByTestId('generate-go').click();
  await expect(panel.getByRole('status')).toHaveCount(0, { timeout: 60_000 });
  expect(await notesOf(0)).toEqual(first);

  // Keep variation 1: it becomes the open melody, primer and all.
  await panel.getByRole('button', { name: 'Keep variation 1' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('march-2-4, variation 1');
  // The variations stay as they were written, and say which melody they continue.
  await expect(panel.getByTestId('variations-stale')).toContainText('continue “march-2-4”');
  expect(await notesOf(0)).toEqual(first);
  expect(problems).toEqual([]);
});

test('a primer played on the on-screen keyboard', async ({ page }) => {
  await page.goto('/index.html');
  await page.getByTestId('generate').click();
  const panel = page.getByTestId('generate-panel');
  await panel.getByTestId('primer-keys').check();
  await expect(panel.getByTestId('generate-go')).toBeDisabled();
  for (const key of ['C4', 'E4', 'G4', 'C5', 'G4', 'E4'])
    await panel.getByRole('button', { name: key, exact: true }).click();
  await expect(panel.getByTestId('played-notes')).toHaveText('C4 E4 G4 C5 G4 E4');
  await panel.getByRole('button', { name: 'Undo note' }).click();
  await expect(panel.getByTestId('played-notes')).toHaveText('C4 E4 G4 C5 G4');
  await panel.getByLabel('Number of variations').fill('2');
  await panel.getByTestId('generate-go').click();
  await expect(panel.getByTestId('variation')).toHaveCount(2, { timeout: 60_000 });
  // Keeping a variation keeps the played notes as its start.
  await panel.getByRole('button', { name: 'Keep variation 1' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('Your notes, variation 1');
  const labels = await page
    .locator('[data-testid=score] [role=option]')
    .evaluateAll((els) => els.slice(0, 5).map((e) => e.getAttribute('aria-label')!.split(',')[0]));
  expect(labels).toEqual(['C4', 'E4', 'G4', 'C5', 'G4']);
  await page.screenshot({ path: join(SHOTS, 'generate-keys.png') });
});

test('use a model from a folder the user chooses, and refuse one that is not a model', async ({ page }) => {
  const shipped = resolve(import.meta.dirname, '../../resources/models/folk-rnn-2x256');
  const copy = join(mkdtempSync(join(tmpdir(), 'cantus-model-')), 'my_basic_rnn');
  cpSync(shipped, copy, { recursive: true });
  const notAModel = mkdtempSync(join(tmpdir(), 'cantus-not-model-'));
  await page.goto('/index.html');
  await page.getByTestId('generate').click();
  const panel = page.getByTestId('generate-panel');

  const chooser = panel.getByRole('combobox', { name: 'Model' });
  // The built-in models are listed in plain words, each with its card a click away.
  await expect(chooser.locator('option')).toHaveText([
    'Folk tunes, phrase by phrase',
    'Folk tunes, bar by bar',
    'Folk tunes, note by note',
    'Another model folder…',
  ]);
  await expect(chooser).toHaveValue(DEFAULT_MODEL_ID);
  await panel.getByRole('button', { name: 'About this model' }).click();
  const card = page.getByTestId('model-card');
  await expect(card).toContainText('a melody LSTM trained on folk tunes');
  await page.screenshot({ path: join(SHOTS, 'model-card.png') });
  await card.getByRole('button', { name: 'Close' }).click();

  await page.request.post('/__test/dialog', { data: { model: notAModel } });
  await chooser.selectOption({ label: 'Another model folder…' });
  await expect(page.getByTestId('notice')).toContainText('There is no melody model at');
  await expect(chooser).toHaveValue(DEFAULT_MODEL_ID);

  await page.request.post('/__test/dialog', { data: { model: copy } });
  await chooser.selectOption({ label: 'Another model folder…' });
  await expect(chooser.locator('option:checked')).toHaveText('my_basic_rnn');
  await panel.getByLabel('Number of variations').fill('1');
  await panel.getByTestId('generate-go').click();
  await expect(panel.getByTestId('variation')).toHaveCount(1, { timeout: 60_000 });
  await chooser.selectOption({ label: 'Folk tunes, note by note' });
  await expect(chooser).toHaveValue('folk-rnn-2x256');
});

test('write over chords with a chord model from a folder; a bad chord is said plainly', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  // magenta.js runs in the worker under the app's content policy: it must not break it.
  const cspReports = async () =>
    ((await (await page.request.get('/__test/csp-reports')).json()) as unknown[]).length;
  const reportsBefore = await cspReports();
  const folder = join(mkdtempSync(join(tmpdir(), 'cantus-model-')), 'my_chord_model');
  mkdirSync(folder);
  const model = randomCheckpoint(smallChordShape(16, 2), { seed: 31, chordEncoder: PITCH_CHORD_ENCODER });
  for (const [name, bytes] of model.files) writeFileSync(join(folder, name), bytes);
  await page.goto('/index.html');
  await page.getByTestId('generate').click();
  const panel = page.getByTestId('generate-panel');
  await expect(panel.getByTestId('chords-field')).toHaveCount(0);

  await page.request.post('/__test/dialog', { data: { model: folder } });
  await panel.getByRole('combobox', { name: 'Model' }).selectOption({ label: 'Another model folder…' });
  await expect(panel.getByRole('combobox', { name: 'Model' }).locator('option:checked')).toHaveText(
    'my_chord_model',
  );
  const chords = panel.getByLabel('Chords, one a bar');
  await expect(chords).toBeVisible();
  await expect(panel.getByTestId('chords-field')).toContainText('takes no seed');
  await expect(panel.getByTestId('polish')).toHaveCount(0);

  await chords.fill('C G Xq F');
  await panel.getByTestId('generate-go').click();
  await expect(panel.getByRole('alert')).toContainText('"Xq" is not a chord symbol Cantus knows');

  await chords.fill('C G Am F');
  await panel.getByLabel('Number of variations').fill('2');
  await panel.getByLabel('Bars to add').fill('4');
  await panel.getByTestId('generate-go').click();
  const variations = panel.getByTestId('variation');
  await expect(variations).toHaveCount(2, { timeout: 60_000 });
  await expect(panel.getByRole('alert')).toHaveCount(0);
  for (let i = 0; i < 2; i++)
    expect(await variations.nth(i).locator('[role=option]').count()).toBeGreaterThan(0);
  await page.screenshot({ path: join(SHOTS, 'generate-chords.png') });
  expect(problems).toEqual([]);
  expect(await cspReports()).toBe(reportsBefore);
});

test('first launch: one click on Generate writes four continuations of the welcome tune', async ({
  page,
}) => {
  await page.goto('/index.html');
  const started = Date.now();
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('generate-panel').getByTestId('variation')).toHaveCount(4, {
    timeout: 30_000,
  });
  console.log(`Four continuations after ${Date.now() - started} ms (model loading included)`);
});

test('write with the lookback model under conditions, polished, and see the key it continues in', async ({
  page,
}) => {
  await page.goto('/index.html');
  await page.getByTestId('generate').click();
  const panel = page.getByTestId('generate-panel');
  await expect(panel.getByTestId('continues-in')).toContainText(/Continues in [A-G][#b♯♭]? (major|minor)/);
  await panel.getByRole('combobox', { name: 'Model' }).selectOption({ label: 'Folk tunes, bar by bar' });
  await expect(panel.getByTestId('model-name')).toContainText('Remembers the last two bars');
  await panel.getByLabel('stay in the key').check();
  await panel.getByLabel('end on the home note').check();
  await panel.getByTestId('polish').check();
  await panel.getByLabel('Number of variations').fill('2');
  await panel.getByTestId('generate-go').click();
  await expect(panel.getByTestId('variation')).toHaveCount(2, { timeout: 60_000 });
  await page.screenshot({ path: join(SHOTS, 'generate-conditions.png') });
  // Conditions that cannot be met are said in words, and the window carries on.
  await panel.getByLabel('Bars to add').fill('1');
  await panel.getByLabel('bars 1-2 come back halfway').check();
  await panel.getByTestId('generate-go').click();
  await expect(panel.getByRole('alert')).toContainText(/come back|opening|too short/);
});
