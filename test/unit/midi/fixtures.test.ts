import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../fixtures/midi/definitions.ts';
import { readMidi } from '../../../src-core/midi/read.ts';
import { defaultPart, extractMelody, listParts } from '../../../src-core/midi/extract.ts';
import { isMonophonic, pitchName, stepsPerBar } from '../../../src-core/music/melody.ts';

const folder = new URL('../../fixtures/midi/', import.meta.url);

describe.each(FIXTURES.map((f) => [f.file, f] as const))('fixture %s', (file, fixture) => {
  const bytes = new Uint8Array(readFileSync(new URL(file, folder)));

  it('is what scripts/make-fixtures.ts writes today (run it again if this fails)', () => {
    expect(bytes).toEqual(fixture.build());
  });

  it('reads back to the tracks and melody it was made from', () => {
    const parsed = readMidi(bytes);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.warnings).toBeUndefined();
    const { value } = parsed;
    expect(value.format).toBe(fixture.expected.format);
    expect(value.ticksPerQuarter).toBe(fixture.expected.ticksPerQuarter);
    expect(
      value.tracks.map((t) => ({
        name: t.name,
        noteCount: t.noteCount,
        channels: t.channels.map((c) => c.channel),
      })),
    ).toEqual(fixture.expected.tracks);
    expect(defaultPart(listParts(value))?.id).toBe(fixture.expected.defaultPartId);
    const melody = extractMelody(value);
    expect(melody.ok && melody.value).toEqual(fixture.expected.melody);
    const said = (melody.ok && melody.warnings) || [];
    const expected = fixture.expected.extractWarnings ?? [];
    expect(said).toHaveLength(expected.length);
    said.forEach((w, i) => expect(w).toMatch(expected[i]!));
    if (melody.ok) expect(isMonophonic(melody.value.notes)).toBe(true);
  });

  it('fills whole bars', () => {
    const { melody } = fixture.expected;
    expect(melody.length % stepsPerBar(melody.meter)).toBe(0);
  });
});

describe('fixture contents a teacher would check', () => {
  const melodyOf = (file: string) => FIXTURES.find((f) => f.file === file)!.expected.melody;
  const names = (file: string) =>
    new Set(melodyOf(file).notes.map((n) => pitchName(n.pitch).replace(/\d+$/, '')));
  const durations = (file: string) => new Set(melodyOf(file).notes.map((n) => n.end - n.start));
  const hasRest = (file: string) =>
    melodyOf(file).notes.some((n, i, all) => (all[i + 1]?.start ?? melodyOf(file).length) > n.end);

  // [file, bars, meter, key, tempo, pitch names that must appear]
  const table: [string, number, string, string, number, string[]][] = [
    ['folk-d-major.mid', 16, '4/4', 'D major', 100, ['F#', 'C#']],
    ['waltz-f-major.mid', 8, '3/4', 'F major', 132, ['A#']], // Bb, named with sharps by pitchName
    ['jig-6-8.mid', 8, '6/8', 'A minor', 150, ['G#']],
    ['march-2-4.mid', 8, '2/4', 'G major', 112, ['F#']],
  ];
  it.each(table)('%s: %i bars of %s in %s at %i BPM', (file, bars, meter, key, tempo, needed) => {
    const m = melodyOf(file);
    expect(m.length / stepsPerBar(m.meter)).toBe(bars);
    expect(`${m.meter.numerator}/${m.meter.denominator}`).toBe(meter);
    expect(m.key && `${m.key.tonic} ${m.key.mode}`).toBe(key);
    expect(m.tempo).toBe(tempo);
    for (const name of needed) expect(names(file)).toContain(name);
  });

  it('the folk tune has eighths, a dotted quarter, a half note and rests', () => {
    expect([...durations('folk-d-major.mid')]).toEqual(expect.arrayContaining([2, 6, 8]));
    expect(hasRest('folk-d-major.mid')).toBe(true);
  });
});
