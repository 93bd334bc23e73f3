/**
 * Never destroy a user's file: open a song with several parts, keep a generated variation of its
 * tune, press Ctrl+S and save over the song. The tune's part holds the new melody; the bass, the
 * drums, the tempo, the meter and the names are as they were.
 */
import { expect, test } from '@playwright/test';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { extractMelody, listParts } from '../../src-core/midi/extract.ts';
import { readMidi, type ParsedMidi } from '../../src-core/midi/read.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/midi/two-tracks.mid');
const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

function parsed(path: string): ParsedMidi {
  const r = readMidi(new Uint8Array(readFileSync(path)));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

test('Ctrl+S on a kept variation of a song puts the melody back into its part and keeps the rest', async ({
  page,
}) => {
  const song = join(mkdtempSync(join(tmpdir(), 'cantus-song-')), 'two-tracks.mid');
  copyFileSync(FIXTURE, song);
  const before = parsed(song);
  const melodyPart = listParts(before).find((p) => p.label.startsWith('Melody'))!;
  const original = extractMelody(before, melodyPart.id);
  if (!original.ok) throw new Error(original.error.message);

  await page.goto('/index.html');
  await page.request.post('/__test/dialog', { data: { open: song } });
  await page.getByRole('button', { name: 'Open…' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('two-tracks');

  await page.getByTestId('generate').click();
  const panel = page.getByTestId('generate-panel');
  await panel.getByLabel('Number of variations').fill('1');
  await panel.getByLabel('Bars to add').fill('2');
  await panel.getByLabel(/^Seed/).fill('5');
  await panel.getByTestId('generate-go').click();
  await expect(panel.getByRole('status')).toHaveCount(0, { timeout: 60_000 });
  await panel.getByRole('button', { name: 'Keep variation 1' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('two-tracks, variation 1');

  // The save dialog suggests the song; the user saves over it.
  await page.request.post('/__test/dialog', { data: { save: song } });
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('notice')).toContainText('the melody went back into its part');
  await page.screenshot({ path: join(SHOTS, 'save-song.png') });

  const after = parsed(song);
  const others = (p: ParsedMidi) => p.notes.filter((n) => `${n.track}:${n.channel}` !== melodyPart.id);
  expect(others(after)).toEqual(others(before));
  expect(others(before).length).toBeGreaterThan(0);
  expect([after.tempo, after.meter]).toEqual([before.tempo, before.meter]);
  expect(after.tracks.map((t) => t.name)).toEqual(before.tracks.map((t) => t.name));
  // The tune's part is the kept variation: the song's tune, then two more bars.
  const tune = extractMelody(after, melodyPart.id);
  expect(tune.ok).toBe(true);
  if (tune.ok) {
    expect(tune.value.notes.length).toBeGreaterThan(original.value.notes.length);
    expect(tune.value.notes.slice(0, original.value.notes.length)).toEqual(original.value.notes);
  }
});
