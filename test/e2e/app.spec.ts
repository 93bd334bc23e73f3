/**
 * The main window in Chromium, clicked through as a person would: the welcome melody, opening
 * MIDI files (button, keyboard, drag and drop, recent list, "open with"), choosing a part,
 * playing with the highlight moving, saving, and bad files refused without losing anything.
 */
import { expect, test as base, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { extractMelody, listParts, readMidi } from '../../src-core/midi/index.ts';
import type { Melody } from '../../src-core/music/melody.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/midi');
const fixture = (name: string) => join(FIXTURES, name);
const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

function melodyOf(path: string, partId?: string): Melody {
  const read = readMidi(new Uint8Array(readFileSync(path)));
  if (!read.ok) throw new Error(read.error.message);
  const melody = extractMelody(read.value, partId);
  if (!melody.ok) throw new Error(melody.error.message);
  return melody.value;
}

/** Tells the test bridge what the next open (or save) dialog answers. */
async function answerDialog(page: Page, answer: { open?: string | null; save?: string | null }) {
  const response = await page.request.post('/__test/dialog', { data: answer });
  expect(response.ok()).toBe(true);
}

const notes = (page: Page) => page.locator('[data-testid=score] [role=option]');

async function openFixture(page: Page, name: string) {
  await answerDialog(page, { open: fixture(name) });
  await page.getByRole('button', { name: 'Open…' }).click();
  await expect(page.getByTestId('document-name')).toHaveText(name.replace(/\.mid$/, ''));
}

/** Every test starts on a freshly loaded window and ends by checking the page logged no error. */
const test = base.extend<{ page: Page }>({
  page: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto('/index.html');
    await expect(notes(page).first()).toBeVisible();
    await use(page);
    expect(problems).toEqual([]);
  },
});

test('first launch shows the welcome tune as a score', async ({ page }) => {
  await expect(page.getByTestId('document-name')).toHaveText('Welcome tune');
  await expect(notes(page)).toHaveCount(34);
  await expect(page.getByTestId('key')).toHaveText('G major');
  await page.screenshot({ path: join(SHOTS, 'first-launch.png') });
});

test('opening a MIDI file shows every note of its melody', async ({ page }) => {
  const expected = melodyOf(fixture('folk-d-major.mid'));
  await openFixture(page, 'folk-d-major.mid');
  await expect(notes(page)).toHaveCount(expected.notes.length);
  await expect(page.getByTestId('note-count')).toHaveText(String(expected.notes.length));
  await expect(page.getByTestId('key')).toHaveText('D major');
  // The key signature carries F# and C#, so no sharp is drawn before those notes.
  await page.screenshot({ path: join(SHOTS, 'folk-d-major.png') });
});

test('Play lights the sounding note and moves through the melody; Space stops', async ({ page }) => {
  await openFixture(page, 'march-2-4.mid');
  await page.getByTestId('play').click();
  const playing = page.locator('[data-testid=score] .note-hit.is-playing');
  await expect(playing.first()).toBeVisible();
  const first = Number(await playing.first().getAttribute('data-note-index'));
  await expect
    .poll(async () => Number((await playing.first().getAttribute('data-note-index')) ?? -1), {
      timeout: 10_000,
    })
    .toBeGreaterThan(first + 1);
  await expect(page.getByTestId('position')).toContainText(/bar \d+ of \d+/);
  await page.screenshot({ path: join(SHOTS, 'playing.png') });
  await page.locator('body').press('Space');
  await expect(playing).toHaveCount(0);
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
});

test('Save writes a MIDI file that reads back as the same melody', async ({ page }) => {
  await openFixture(page, 'waltz-f-major.mid');
  const out = join(mkdtempSync(join(tmpdir(), 'cantus-save-')), 'saved-waltz.mid');
  await answerDialog(page, { save: out });
  await page.getByRole('button', { name: 'Save…' }).click();
  await expect(page.getByTestId('notice')).toContainText('Saved “saved-waltz.mid”');
  const original = melodyOf(fixture('waltz-f-major.mid'));
  const saved = melodyOf(out);
  expect(saved.notes).toEqual(original.notes);
  expect(saved.meter).toEqual(original.meter);
  expect(saved.tempo).toBeCloseTo(original.tempo, 2);
  // The saved file is now in the recent list, and opens from there.
  await expect(page.getByRole('button', { name: 'saved-waltz.mid' })).toBeVisible();
});

test('a file whose tune plays chords says the top notes were kept', async ({ page }) => {
  await openFixture(page, 'chords-same-track.mid');
  await expect(page.getByTestId('notice')).toContainText(
    /This part plays chords \(\d+ of its \d+ note starts\); Cantus shows the top note of each/,
  );
});

test('a file with several parts opens the likeliest melody and lets you pick another', async ({ page }) => {
  const path = fixture('two-tracks.mid');
  const read = readMidi(new Uint8Array(readFileSync(path)));
  if (!read.ok) throw new Error(read.error.message);
  const parts = listParts(read.value);
  expect(parts.length).toBeGreaterThan(1);
  await openFixture(page, 'two-tracks.mid');
  await expect(page.getByTestId('notice')).toContainText(`${parts.length} parts`);
  const radios = page.getByRole('radio');
  await expect(radios).toHaveCount(parts.length);
  const other = parts.find((p) => !p.label.startsWith('Melody'))!;
  await page.getByRole('radio', { name: other.label }).check();
  await expect(notes(page)).toHaveCount(melodyOf(path, other.id).notes.length);
  await page.screenshot({ path: join(SHOTS, 'parts.png') });
});

test('a broken file is refused with a plain message and the open melody stays', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'cantus-bad-'));
  const bad = join(dir, 'not-really.mid');
  writeFileSync(bad, 'This is a shopping list, not music.');
  await answerDialog(page, { open: bad });
  await page.getByRole('button', { name: 'Open…' }).click();
  const notice = page.getByTestId('notice');
  await expect(notice).toContainText('Could not open "not-really.mid"');
  await expect(notice).not.toContainText(/undefined|Error:|at \w+ \(/);
  await expect(page.getByTestId('document-name')).toHaveText('Welcome tune');
  await expect(notes(page)).toHaveCount(34);
  // A file that did not open is not offered again as a recent file (asked of main directly).
  const recent = (await (await page.request.post('/__host/library:recent', { data: [] })).json()) as {
    value: { path: string }[];
  };
  expect(recent.value.map((f) => f.path)).not.toContain(bad);
  await page.screenshot({ path: join(SHOTS, 'bad-file.png') });
});

test('a MIDI file dropped on the window opens', async ({ page }) => {
  const bytes = [...readFileSync(fixture('jig-6-8.mid'))];
  const transfer = await page.evaluateHandle((data) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(data)], 'jig-6-8.mid', { type: 'audio/midi' }));
    return dt;
  }, bytes);
  await page.dispatchEvent('body', 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
  await expect(page.getByTestId('document-name')).toHaveText('jig-6-8');
  await expect(notes(page)).toHaveCount(melodyOf(fixture('jig-6-8.mid')).notes.length);
});

test('the keyboard alone opens, selects notes and plays', async ({ page }) => {
  await answerDialog(page, { open: fixture('folk-d-major.mid') });
  await page.keyboard.press('Control+o');
  await expect(page.getByTestId('document-name')).toHaveText('folk-d-major');
  const score = page.getByTestId('score');
  await score.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(score).toHaveAttribute('aria-activedescendant', 'main-score-note-1');
  await expect(page.getByTestId('selected-note')).toContainText('(note 2 of 61)');
  await page.keyboard.press('End');
  const count = melodyOf(fixture('folk-d-major.mid')).notes.length;
  await expect(score).toHaveAttribute('aria-activedescendant', `main-score-note-${count - 1}`);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
});

test('clicking a note selects it and names it', async ({ page }) => {
  await openFixture(page, 'folk-d-major.mid');
  const melody = melodyOf(fixture('folk-d-major.mid'));
  const index = melody.notes.findIndex((n) => n.pitch % 12 === 6); // an F sharp
  expect(index).toBeGreaterThanOrEqual(0);
  await page.locator(`[data-testid=score] .score-note[data-note-index="${index}"]`).first().click();
  await expect(page.getByTestId('selected-note')).toContainText(
    `(note ${index + 1} of ${melody.notes.length})`,
  );
  await expect(page.locator('.selected strong')).toHaveText(/^F♯\d$/);
});

test('a file the OS asks Cantus to open ("open with") opens', async ({ page }) => {
  await page.waitForTimeout(300); // let the event stream connect
  await page.request.post('/__test/emit', {
    data: { event: 'file:opened-externally', payload: { path: fixture('march-2-4.mid') } },
  });
  await expect(page.getByTestId('document-name')).toHaveText('march-2-4');
});
