/**
 * The Analyse panel: one click lists key, intervals, contour, motifs and form; choosing a
 * finding lights it on the score. Checked against the same analysis computed here in Node.
 */
import { expect, test } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { analyzeMelody } from '../../src-core/analysis/analyze.ts';
import { groupedForm } from '../../src-core/analysis/describe.ts';
import { extractMelody, readMidi } from '../../src-core/midi/index.ts';
import { writeMelodyMidi } from '../../src-core/midi/write.ts';
import { makeMelody, parseNotes } from '../../src-core/music/melody.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/midi/folk-d-major.mid');
const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

function expectedAnalysis() {
  const read = readMidi(new Uint8Array(readFileSync(FIXTURE)));
  if (!read.ok) throw new Error(read.error.message);
  const melody = extractMelody(read.value);
  if (!melody.ok) throw new Error(melody.error.message);
  return analyzeMelody(melody.value);
}

test('Analyse lists the findings and lights each on the score', async ({ page }) => {
  const a = expectedAnalysis();
  await page.goto('/index.html');
  await page.request.post('/__test/dialog', { data: { open: FIXTURE } });
  await page.getByRole('button', { name: 'Open…' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('folk-d-major');

  await page.getByTestId('analyse').click();
  const panel = page.getByTestId('analyse-panel');
  await expect(panel.getByTestId('analysis-key')).toContainText('D major');
  await expect(panel.getByTestId('analysis-form')).toHaveText(groupedForm(a.phrases.map((p) => p.label)));
  await expect(panel.getByTestId('motif')).toHaveCount(a.motifs.length);

  // A motif: every occurrence outlined, labelled x1, x2, ...
  const motif = a.motifs[0]!;
  await panel.getByTestId('motif').first().click();
  const marks = page.locator('[data-testid=score] svg.marks');
  const noteBoxes = motif.occurrences.reduce((n, o) => n + o.notes.length, 0);
  await expect(marks.locator('rect')).toHaveCount(noteBoxes);
  for (let i = 1; i <= motif.occurrences.length; i++)
    await expect(marks.getByText(`${motif.label}${i}`, { exact: true })).toHaveCount(1);
  await page.screenshot({ path: join(SHOTS, 'analyse-motif.png') });
  // Each occurrence in the list is a link: it lights that occurrence and brings it into view.
  await panel.getByTestId('occurrence').nth(1).click();
  const lit = marks.locator('rect[stroke-width="3.5"]');
  await expect(lit).toHaveCount(motif.occurrences[1]!.notes.length);
  await expect(lit.first()).toBeInViewport();

  // Every interval named between the notes.
  await panel.getByRole('button', { name: 'Name every interval on the score' }).click();
  await expect(marks.locator('text.interval')).toHaveCount(a.intervals.length);
  await expect(marks.locator('rect')).toHaveCount(0);

  // Phrases: a bracket and letter each.
  await panel.getByRole('button', { name: 'Show the phrases' }).click();
  // With two strains or more, strain letters above, each strain's phrases in lower case below.
  const twoLevels = a.strains.length > 1;
  await expect(marks.locator('text.strain-label')).toHaveText(
    twoLevels ? a.strains.map((s) => s.letter) : [],
  );
  await expect(marks.locator('text.bracket-label')).toHaveText(
    twoLevels ? a.strains.flatMap((s) => s.phraseLabels) : a.phrases.map((p) => p.label),
  );
  await page.screenshot({ path: join(SHOTS, 'analyse-phrases.png') });

  // Pressing the chosen finding again clears the score.
  await panel.getByRole('button', { name: 'Show the phrases' }).click();
  await expect(marks).toHaveCount(0);

  // The keyboard: A closes and opens the panel.
  await page.locator('body').press('a');
  await expect(panel).toHaveCount(0);
  await page.locator('body').press('a');
  await expect(page.getByTestId('analyse-panel')).toBeVisible();
});

test('Surprise shades each note by how expected the model found it', async ({ page }) => {
  await page.goto('/index.html');
  await page.getByTestId('analyse').click();
  await page.getByTestId('surprise').click();
  const labels = page.locator('[data-testid=score] svg.marks text.shade-label');
  // Every note but the first gets a probability, written as a percentage.
  await expect(labels).toHaveCount(33, { timeout: 30_000 });
  const values = (await labels.allTextContents()).map((t) => Number(t.replace('%', '')));
  expect(values.every((v) => v >= 1 && v <= 100)).toBe(true);
  expect(new Set(values).size).toBeGreaterThan(5);
  await page.screenshot({ path: join(SHOTS, 'surprise.png') });
});

test('a tune that changes key: the score draws the new signatures and the panel names the change', async ({
  page,
}, info) => {
  // Eight bars of G major, eight of D major, eight of G major again (test/unit/music/key-regions.test.ts).
  const bars = [
    'G4 B4 D5 B4 C5 A4 F#4 A4 G4 B4 D5 G5 E5 C5 A4 F#4 G4 A4 B4 C5 D5 B4 G4 B4 A4 C5 F#4 D4 G4/16',
    'D5 C#5 D5 A4 F#5 A5 C#5 A4 D5 C#5 D5 A5 G5 E5 C#5 A4 F#5 D5 C#5 A4 D5 A5 C#5 A4 F#5 G5 E5 C#5 D5 C#5 D5/8',
  ];
  const notes = parseNotes(`${bars[0]} ${bars[1]} ${bars[0]}`);
  const melody = makeMelody({ notes, key: { tonic: 'G', mode: 'major' }, title: 'Modulating' });
  const path = info.outputPath('modulating.mid');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, writeMelodyMidi(melody));
  const a = analyzeMelody(melody);
  expect(a.key.regions.map((r) => r.name)).toEqual(['G major', 'D major', 'G major']);

  await page.goto('/index.html');
  await page.request.post('/__test/dialog', { data: { open: path } });
  await page.getByRole('button', { name: 'Open…' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('modulating');
  // Every note is drawn (VexFlow accepted the key changes), the sharps of the signatures too.
  await expect(page.locator('[data-testid=score] [role=option]')).toHaveCount(notes.length);
  await page.getByTestId('analyse').click();
  await expect(page.getByTestId('analysis-key-changes')).toHaveText(
    'Changes key: bars 9–16 in D major; bars 17–24 back in G major.',
  );
  await page.screenshot({ path: join(SHOTS, 'analyse-key-change.png') });
});

test('a reel in two strains shows its form at both levels on the score', async ({ page }, info) => {
  // AABB, 8-bar strains, each two 4-bar phrases with different endings (as in analysis-marks.test.ts).
  const strainA = 'G4 A4 B4 G4 D5/8 B4/8 C5 B4 A4 G4 A4/16 G4 A4 B4 G4 D5/8 B4/8 C5 A4 F#4 A4 G4/16';
  const strainB = 'D5 E5 F#5 D5 G5/8 D5/8 E5 D5 C5 B4 A4/16 D5 E5 F#5 D5 G5/8 D5/8 C5 A4 F#4 A4 G4/16';
  const melody = makeMelody({
    notes: parseNotes([strainA, strainA, strainB, strainB].join(' ')),
    key: { tonic: 'G', mode: 'major' },
  });
  const path = info.outputPath('reel.mid');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, writeMelodyMidi(melody));
  const a = analyzeMelody(melody);
  expect(a.strainForm).toBe('AABB');

  await page.goto('/index.html');
  await page.request.post('/__test/dialog', { data: { open: path } });
  await page.getByRole('button', { name: 'Open…' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('reel');
  await page.getByTestId('analyse').click();
  await page.getByTestId('analyse-panel').getByRole('button', { name: 'Show the phrases' }).click();
  const marks = page.locator('[data-testid=score] svg.marks');
  await expect(marks.locator('text.strain-label')).toHaveText(['A', 'A', 'B', 'B']);
  await expect(marks.locator('text.bracket-label')).toHaveText(a.strains.flatMap((s) => s.phraseLabels));
  await page.screenshot({ path: join(SHOTS, 'analyse-strains.png') });
});
