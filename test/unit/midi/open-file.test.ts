import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openMidiFile } from '../../../src-core/midi/open-file.ts';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));

describe('opening a file as the window does', () => {
  it('takes the likeliest part and says once what else the file holds', () => {
    const opened = openMidiFile(fixture('midi/two-tracks.mid'));
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.value.parts.length).toBeGreaterThan(1);
    expect(opened.value.part?.label).toMatch(/^Melody/);
    expect(opened.value.said[0]).toMatch(/^This file has \d parts\. Showing “Melody/);
    expect(opened.value.melody.notes.length).toBeGreaterThan(0);
  });

  it('passes on what reading simplified, and refuses a broken file with a plain message', () => {
    const opened = openMidiFile(fixture('real/pickup-6-8-then-4-4.abc2midi.mid'));
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.value.said).toEqual([expect.stringMatching(/^This part has 4 triplets/)]);
    const broken = openMidiFile(new Uint8Array([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0]));
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.error.message).not.toMatch(/Error|at \w+ \(/);
  });
});
