/**
 * Saving a melody back into the song it came from keeps everything else in the file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractMelody, listParts } from '../../../src-core/midi/extract.ts';
import { readMidi, type ParsedMidi } from '../../../src-core/midi/read.ts';
import { decodeMidiEvents } from '../../../src-core/midi/read.ts';
import { writeMelodyIntoFile } from '../../../src-core/midi/write-into.ts';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';

const song = new Uint8Array(readFileSync(join(import.meta.dirname, '../../fixtures/midi/two-tracks.mid')));

function parsed(bytes: Uint8Array): ParsedMidi {
  const r = readMidi(bytes);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('writeMelodyIntoFile', () => {
  it('replaces the notes of the melody part and keeps every other part, the tempo, meter and names', () => {
    const before = parsed(song);
    const melodyPart = listParts(before).find((p) => p.label.startsWith('Melody'))!;
    const original = extractMelody(before, melodyPart.id);
    if (!original.ok) throw new Error(original.error.message);
    // A new tune in its place (as a kept variation would be), longer than the song.
    const tune = makeMelody({
      notes: parseNotes('G4/2 A4/2 B4/4 D5/4 B4/2 A4/2 G4/8 E4/4 D4/4 G4/16 '.repeat(3)),
      meter: original.value.meter,
    });
    const written = writeMelodyIntoFile(song, melodyPart.id, tune);
    if (!written.ok) throw new Error(written.error.message);
    const after = parsed(written.value);

    const again = extractMelody(after, melodyPart.id);
    expect(again.ok && again.value.notes.map((n) => [n.pitch, n.start, n.end])).toEqual(
      tune.notes.map((n) => [n.pitch, n.start, n.end]),
    );
    // Everything but the melody part's notes is as it was.
    const others = (p: ParsedMidi) =>
      p.notes.filter((n) => `${n.track}:${n.channel}` !== melodyPart.id).map((n) => ({ ...n }));
    expect(others(after)).toEqual(others(before));
    expect(others(before).length).toBeGreaterThan(0);
    expect([after.tempo, after.meter, after.format, after.ticksPerQuarter]).toEqual([
      before.tempo,
      before.meter,
      before.format,
      before.ticksPerQuarter,
    ]);
    expect(after.tracks.map((t) => t.name)).toEqual(before.tracks.map((t) => t.name));
    // The melody track's program change is still there.
    const events = (b: Uint8Array) => {
      const d = decodeMidiEvents(b);
      if (!d.ok) throw new Error(d.error.message);
      return d.value.tracks[melodyPart.track]!.filter((e) => e.type === 'programChange');
    };
    expect(events(written.value)).toEqual(events(song));
  });

  it('refuses a part the file does not have, and a damaged file, in words', () => {
    const tune = makeMelody({ notes: parseNotes('C4 D4') });
    const missing = writeMelodyIntoFile(song, '7:3', tune);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.message).toMatch(/no longer has the part "7:3"/);
    const damaged = writeMelodyIntoFile(song.slice(0, 30), '1:0', tune);
    expect(damaged.ok).toBe(false);
  });
});
