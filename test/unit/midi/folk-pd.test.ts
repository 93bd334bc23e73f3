/**
 * Reads real files: the first 50 tunes of O'Neill's collection in the shared folk-pd corpus
 * (../shared/datasets/folk-pd, not part of this repository). Skipped with a message when the
 * folder is absent on a developer machine; on CI (CI=true) a missing folder is a failure.
 * Set CANTUS_FOLK_PD to the corpus folder to read it from elsewhere.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readMidi } from '../../../src-core/midi/read.ts';
import { extractMelody } from '../../../src-core/midi/extract.ts';
import { isMonophonic } from '../../../src-core/music/melody.ts';

// CANTUS_FOLK_PD points at another copy of the corpus (its root folder), if needed.
const corpus = process.env.CANTUS_FOLK_PD
  ? pathToFileURL(`${process.env.CANTUS_FOLK_PD.replace(/\/$/, '')}/`)
  : new URL('../../../../shared/datasets/folk-pd/', import.meta.url);
const folder = new URL('midi/oneills1850/', corpus);
const present = existsSync(folder);
const onCi = process.env.CI === 'true';

if (!present && !onCi) {
  console.warn(`Skipping folk-pd MIDI checks: ${folder.pathname} is not here (it is required when CI=true).`);
}

describe.skipIf(!present && !onCi)("the folk-pd corpus (O'Neill's 1850, first 50 files)", () => {
  it('is available', () => {
    expect(present, `${folder.pathname} is missing`).toBe(true);
  });

  const files = present
    ? readdirSync(folder)
        .filter((f) => f.endsWith('.mid'))
        .sort()
        .slice(0, 50)
    : [];

  it('has at least 50 MIDI files', () => {
    expect(files).toHaveLength(50);
  });

  it.each(files)('%s reads and gives a monophonic melody', (file) => {
    const parsed = readMidi(new Uint8Array(readFileSync(new URL(file, folder))));
    if (!parsed.ok) throw new Error(`${parsed.error.code}: ${parsed.error.message}`);
    expect([0, 1]).toContain(parsed.value.format);
    const melody = extractMelody(parsed.value);
    if (!melody.ok) throw new Error(`${melody.error.code}: ${melody.error.message}`);
    expect(melody.value.notes.length).toBeGreaterThan(8);
    expect(isMonophonic(melody.value.notes)).toBe(true);
    expect(melody.value.length).toBeGreaterThanOrEqual(melody.value.notes.at(-1)!.end);
  });
});
