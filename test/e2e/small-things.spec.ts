/**
 * Small things a class notices: L puts the keyboard in the lesson list, New pack asks before it
 * puts the pack being edited aside, text links are readable (WCAG AA, 4.5:1), and every system
 * of the score after the first says which bar it starts with.
 */
import { expect, test, type Locator } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeMelodyMidi } from '../../src-core/midi/write.ts';
import { makeMelody, parseNotes } from '../../src-core/music/melody.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

/** WCAG contrast of an element's text against the first opaque background behind it. */
async function contrast(element: Locator): Promise<number> {
  return element.evaluate((el) => {
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const lin = (c: number) => {
        const s = c / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
    };
    let back: HTMLElement | null = el as HTMLElement;
    let background = [255, 255, 255];
    while (back) {
      const c = rgb(getComputedStyle(back).backgroundColor);
      if (c.length >= 3 && (c.length === 3 || c[3]! > 0.99)) {
        background = c.slice(0, 3);
        break;
      }
      back = back.parentElement;
    }
    const [a, b] = [luminance(rgb(getComputedStyle(el).color)), luminance(background)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
}

test('L opens the lessons with the keyboard in their list; L there closes them', async ({ page }) => {
  await page.goto('/index.html');
  await page.locator('body').press('l');
  await expect(page.getByTestId('lesson').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('lesson').nth(1)).toBeFocused();
  await page.keyboard.press('l');
  await expect(page.getByTestId('lesson')).toHaveCount(0);
});

test('New pack asks before putting aside the pack being edited; links are readable', async ({ page }) => {
  await page.goto('/index.html');
  await page.getByTestId('lessons').click();
  expect(await contrast(page.getByTestId('teacher'))).toBeGreaterThanOrEqual(4.5);
  await page.getByTestId('teacher').click();
  const editor = page.getByTestId('pack-editor');
  expect(
    await contrast(editor.getByRole('button', { name: '← Back to the lessons' })),
  ).toBeGreaterThanOrEqual(4.5);
  await editor.getByTestId('new-pack').click();
  // A draft from before may have been there: if asked, start afresh.
  if (await editor.getByTestId('confirm-new-pack').isVisible())
    await editor.getByTestId('confirm-new-pack-yes').click();
  await editor.getByTestId('pack-title').fill('Keep me');
  await editor.getByTestId('new-pack').click();
  const ask = editor.getByTestId('confirm-new-pack');
  await expect(ask).toContainText('“Keep me” is put aside');
  await page.screenshot({ path: join(SHOTS, 'new-pack-confirm.png') });
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(ask).toHaveCount(0);
  await expect(editor.getByTestId('pack-title')).toHaveValue('Keep me');
  await editor.getByTestId('new-pack').click();
  await editor.getByTestId('confirm-new-pack-yes').click();
  await expect(editor.getByTestId('pack-title')).toHaveValue('My lesson pack');
  // Undo (the editor's, from any of its fields) brings the pack that was put aside back.
  await editor.getByTestId('pack-author').focus();
  await page.keyboard.press('Control+z');
  await expect(editor.getByTestId('pack-title')).toHaveValue('Keep me');
});

test('every system after the first starts with its bar number', async ({ page }) => {
  await page.goto('/index.html');
  const score = page.getByTestId('score');
  await expect(score.locator('[role=option]')).toHaveCount(34); // the welcome tune, 8 bars
  const numbers = (await score.locator('svg text').allTextContents()).filter((t) => /^\d+$/.test(t));
  // At this width the 8 bars take two systems: the second starts with bar 6.
  expect(numbers).toEqual(['6']);
  await page.screenshot({ path: join(SHOTS, 'bar-numbers.png') });
});

test('the view follows the selection along a long score (End, Home, arrows)', async ({ page }) => {
  // 64 bars of 4/4: many systems, more than the score's part of the window shows.
  const tune = makeMelody({ notes: parseNotes('C4 D4 E4 F4 G4 F4 E4 D4 '.repeat(32)), title: 'Long tune' });
  const path = join(mkdtempSync(join(tmpdir(), 'cantus-long-')), 'long-tune.mid');
  writeFileSync(path, writeMelodyMidi(tune));
  await page.goto('/index.html');
  await page.request.post('/__test/dialog', { data: { open: path } });
  await page.getByRole('button', { name: 'Open…' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('long-tune');
  const score = page.getByTestId('score');
  const note = (i: number) => score.locator(`#main-score-note-${i}`);
  const first = note(0);
  const last = note(255);
  await expect(first).toBeInViewport();
  // Only the systems in and near the view are drawn; the last note's is far below.
  await expect(last).toHaveCount(0);
  expect(await score.locator('[role=option]').count()).toBeLessThan(256);
  await score.focus();
  await score.press('End');
  await expect(last).toBeInViewport();
  await expect(first).not.toBeInViewport();
  await page.screenshot({ path: join(SHOTS, 'follow-selection-end.png') });
  await score.press('Home');
  await expect(first).toBeInViewport();
  for (let k = 0; k < 40; k++) await score.press('ArrowRight');
  await expect(note(40)).toBeInViewport();
});

test('interval names never cover one another, even between sixteenth notes', async ({ page }) => {
  const tune = makeMelody({
    notes: parseNotes(
      'C5/1 D5/1 E5/1 F5/1 G5/1 A5/1 B5/1 C6/1 B5/1 A5/1 G5/1 F5/1 E5/1 D5/1 C5/2 '.repeat(4),
    ),
    title: 'Running sixteenths',
  });
  const path = join(mkdtempSync(join(tmpdir(), 'cantus-dense-')), 'running-sixteenths.mid');
  writeFileSync(path, writeMelodyMidi(tune));
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto('/index.html');
  await page.request.post('/__test/dialog', { data: { open: path } });
  await page.getByRole('button', { name: 'Open…' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('running-sixteenths');
  await page.getByTestId('analyse').click();
  await page.getByRole('button', { name: 'Name every interval on the score' }).click();
  const labels = page.locator('[data-testid=score] svg.marks text.interval');
  await expect(labels.first()).toBeVisible();
  const boxes = await labels.evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    }),
  );
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      expect(overlap, `labels ${i} and ${j} overlap`).toBe(false);
    }
  }
  // Most are named: the crowded ones go below the stave rather than away.
  expect(boxes.length).toBeGreaterThan((tune.notes.length - 1) * 0.6);
  await page.screenshot({ path: join(SHOTS, 'interval-labels-dense.png') });
});
