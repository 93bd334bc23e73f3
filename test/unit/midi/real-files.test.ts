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
import { melodyMessages } from '../../../src-core/playback/midi-messages.ts';
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

  it('keeps its four eighth-note triplets, writes them as triplets and says what reads them rounded', () => {
    expect(melody.tuplets).toEqual([50, 54, 82, 86].map((start) => ({ start, span: 4 })));
    const bar5 = buildScore(melody).measures[5]!;
    expect(bar5.events.slice(0, 6).map((e) => [e.value, e.tuplet, e.duration])).toEqual([
      ['8', 50, 1],
      ['8', 50, 2],
      ['8', 50, 1],
      ['8', 54, 1],
      ['8', 54, 2],
      ['8', 54, 1],
    ]);
    // Each triplet is one beamed group, inside its beat.
    const beams = bar5.events.slice(0, 6).map((e) => e.beam);
    expect(new Set(beams.slice(0, 3)).size).toBe(1);
    expect(beams[0]).not.toBe(beams[3]);
    // The meter and key changes are kept, so only the triplets are mentioned.
    expect(warnings).toEqual([
      'This part has 4 triplets: the score writes them as triplets and they play as triplets, but the analysis and the model read them rounded to sixteenth notes.',
    ]);
  });

  it('sounds the triplets on their true thirds, on a device and in a saved file', () => {
    const messages = melodyMessages(melody, { channel: 0, program: null });
    const ons = messages.filter((m) => m.bytes[0] === 0x90 && m.step >= 50 && m.step < 54).map((m) => m.step);
    expect(ons).toEqual([50, 50 + 4 / 3, 50 + 8 / 3]);
    const back = readMidi(writeMelodyMidi(melody));
    if (!back.ok) throw new Error(back.error.message);
    const starts = back.value.notes.filter((n) => n.startTick >= 50 * 120 && n.startTick < 54 * 120);
    expect(starts.map((n) => n.startTick)).toEqual([6000, 6160, 6320]);
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
    expect(again.value.tuplets).toEqual(melody.tuplets);
    expect(again.value.keyChanges).toEqual(melody.keyChanges);
    expect(again.warnings ?? []).toEqual(warnings);
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

describe('abc2midi: quarter and eighth triplets in 4/4', () => {
  const { melody, warnings } = open('triplets-4-4.abc2midi.mid');

  it('finds both kinds, and writes quarter triplets with a bracket-worthy value', () => {
    // Bar 1: a quarter triplet on beat 1; bar 2: an eighth triplet on beat 1; bar 3: a quarter
    // triplet on beat 1 and an eighth triplet on beat 3.
    expect(melody.tuplets).toEqual([
      { start: 0, span: 8 },
      { start: 16, span: 4 },
      { start: 32, span: 8 },
      { start: 40, span: 4 },
    ]);
    const [bar1] = buildScore(melody).measures;
    expect(bar1!.events.map((e) => [e.value, e.tuplet ?? null, e.beam])).toEqual([
      ['q', 0, null],
      ['q', 0, null],
      ['q', 0, null],
      ['h', null, null],
    ]);
    expect(warnings).toEqual([expect.stringMatching(/^This part has 4 triplets: /)]);
  });
});

describe('abc2midi: two bars at 100 a minute, two at 150', () => {
  const { melody, warnings } = open('tempo-change.abc2midi.mid');

  it('keeps the change of tempo, marks it on bar 3, and says nothing was simplified', () => {
    expect(melody.tempo).toBe(100);
    expect(melody.tempoChanges).toEqual([{ at: 32, bpm: 150 }]);
    expect(warnings).toEqual([]);
    expect(buildScore(melody).measures.map((m) => m.tempoChange ?? null)).toEqual([null, null, 150, null]);
  });

  it('plays the quick bars in two thirds of the time, on a device and when saved', () => {
    // Steps at the first tempo: bar 3 starts at 32; its second note (step 36) sounds at 32 + 4 x 100/150.
    const ons = melodyMessages(melody, { channel: 0, program: null })
      .filter((m) => m.bytes[0] === 0x90)
      .map((m) => m.step);
    expect(ons.slice(7, 9)).toEqual([32, 32 + (4 * 100) / 150]);
    const back = readMidi(writeMelodyMidi(melody));
    if (!back.ok) throw new Error(back.error.message);
    expect([back.value.tempo, back.value.tempoChanges]).toEqual([100, [{ at: 32, bpm: 150 }]]);
  });
});
