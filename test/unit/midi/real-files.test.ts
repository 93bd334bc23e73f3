/**
 * Files written by real programs, kept as they wrote them (test/fixtures/real/README.md says how
 * each was made): an upbeat, a jig in D, then a march in F with triplets.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeMelody } from '../../../src-core/analysis/analyze.ts';
import { extractMelody } from '../../../src-core/midi/extract.ts';
import { readMidi } from '../../../src-core/midi/read.ts';
import { writeMelodyMidi } from '../../../src-core/midi/write.ts';
import { barGrid } from '../../../src-core/music/bars.ts';
import { meterWords } from '../../../src-core/music/describe.ts';
import type { Melody } from '../../../src-core/music/melody.ts';
import { buildScore } from '../../../src-core/score/build-score.ts';

const folder = new URL('../../fixtures/real/', import.meta.url);
const SIX_EIGHT = { numerator: 6, denominator: 8 };
const COMMON = { numerator: 4, denominator: 4 };

function open(file: string): { melody: Melody; warnings: readonly string[] } {
  const read = readMidi(new Uint8Array(readFileSync(new URL(file, folder))));
  if (!read.ok) throw new Error(read.error.message);
  const extracted = extractMelody(read.value);
  if (!extracted.ok) throw new Error(extracted.error.message);
  return { melody: extracted.value, warnings: [...(read.warnings ?? []), ...(extracted.warnings ?? [])] };
}

const shape = (melody: Melody) =>
  barGrid(melody).bars.map((b) => `${b.number}:${b.meter.numerator}/${b.meter.denominator}:${b.length}`);

describe('abc2midi: an eighth upbeat, four bars of 6/8 in D, four of 4/4 in F with triplets', () => {
  const { melody, warnings } = open('pickup-6-8-then-4-4.abc2midi.mid');

  it('reads the upbeat from the change that lands off the 6/8 barlines', () => {
    expect(melody.meter).toEqual(SIX_EIGHT);
    expect(melody.pickup).toBe(2);
    expect(melody.meterChanges).toEqual([{ at: 50, meter: COMMON }]);
    expect(shape(melody)).toEqual([
      '0:6/8:2',
      ...[1, 2, 3, 4].map((n) => `${n}:6/8:12`),
      ...[5, 6, 7, 8].map((n) => `${n}:4/4:16`),
    ]);
    expect(meterWords(barGrid(melody))).toBe('6/8 with an eighth note pickup; 4/4 from bar 5');
  });

  it('draws the upbeat as the last eighth of a bar and the 4/4 from bar 5', () => {
    const score = buildScore(melody);
    expect(score.meter).toEqual(SIX_EIGHT);
    expect(score.measures).toHaveLength(9);
    const [pickup] = score.measures;
    expect(pickup!.pickup).toBe(true);
    expect(pickup!.events.map((e) => [e.kind, e.value, e.pitch?.letter])).toEqual([['note', '8', 'A']]);
    expect(score.measures.map((m) => m.meterChange ?? null)).toEqual([
      ...Array<null>(5).fill(null),
      COMMON,
      null,
      null,
      null,
    ]);
    expect(score.measures.map((m) => m.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // The key signature the file changes to at bar 5, and its flat written as B flat.
    expect(score.keySignature.key).toEqual({ tonic: 'D', mode: 'major' });
    expect(score.measures.map((m) => m.keyChange?.key ?? null)).toEqual([
      ...Array<null>(5).fill(null),
      { tonic: 'F', mode: 'major' },
      null,
      null,
      null,
    ]);
    const flat = score.measures[5]!.events.find((e) => e.pitch?.letter === 'B');
    expect(flat?.pitch?.alter).toBe(-1);
    expect(flat?.accidental).toBeNull();
    // Every measure adds up to its own bar.
    for (const m of score.measures) expect(m.events.reduce((t, e) => t + e.duration, 0)).toBe(m.length);
  });

  it('says only that its triplets were rounded: the meter and key changes are kept', () => {
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^This part has triplets \(8 notes start between sixteenth notes\)/);
  });

  it('numbers the analysis bars as the score does, and says where the phrase reading may be off', () => {
    const a = analyzeMelody(melody);
    expect(a.firstBarNumber).toBe(0);
    expect(a.bars).toBe(9);
    expect(a.meterWords).toBe('6/8 with an eighth note pickup; 4/4 from bar 5');
    expect(a.notes[0]!.bar).toBe(0);
    expect(a.notes[1]!.bar).toBe(1);
    // The first phrase starts at the first full bar, with the upbeat as its pickup.
    expect(a.phrases[0]!.firstBar).toBe(1);
    expect(a.warnings.some((w) => /changes time signature/.test(w))).toBe(true);
    expect(a.key.regions.map((r) => [r.firstBar, r.lastBar, r.name])).toEqual([
      [0, 4, 'D major'],
      [5, 8, 'F major'],
    ]);
  });

  it('saves and reads back the same bars', () => {
    const back = readMidi(writeMelodyMidi(melody));
    if (!back.ok) throw new Error(back.error.message);
    const again = extractMelody(back.value);
    if (!again.ok) throw new Error(again.error.message);
    expect(shape(again.value)).toEqual(shape(melody));
    expect(again.value.notes).toEqual(melody.notes);
  });
});

describe('MuseScore 3: an eighth upbeat written as a 1/8 bar, one bar of 6/8, a bar of 4/4', () => {
  const { melody, warnings } = open('short-upbeat.musescore3.mid');

  it('reads the 1/8 bar as the upbeat of the 6/8', () => {
    expect(melody.meter).toEqual(SIX_EIGHT);
    expect(melody.pickup).toBe(2);
    expect(shape(melody)).toEqual(['0:6/8:2', '1:6/8:12', '2:4/4:16']);
    expect(warnings).toEqual([]);
    const score = buildScore(melody);
    expect(score.measures[2]!.meterChange).toEqual(COMMON);
    expect(score.measures[1]!.events.map((e) => [e.value, e.dots])).toEqual([['h', 1]]);
  });
});
