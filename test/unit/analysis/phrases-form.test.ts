import { describe, expect, it } from 'vitest';
import { analyzeMelody, type Analysis } from '../../../src-core/analysis/analyze.ts';
import { makeContext } from '../../../src-core/analysis/context.ts';
import { findPhrases } from '../../../src-core/analysis/phrases.ts';
import { FIXTURES } from '../../fixtures/midi/definitions.ts';
import {
  AABA,
  MINOR_JIG,
  MINOR_WALTZ,
  REAL_SEQUENCE,
  ROUND,
  SIX_EIGHT,
  THREE_FOUR,
  tune,
} from './melodies.ts';

/** Phrases in short: "label bars" with 1-based bars as on a score, e.g. "A' 5-8". */
const phrases = (a: Analysis): string[] =>
  a.phrases.map((p) => `${p.label} ${p.firstBar + 1}-${p.lastBar + 1}${p.pickup ? ' pickup' : ''}`);

describe('phrases and form of hand-checked melodies', () => {
  it('the round: six 2-bar phrases, each sung twice: AABBCC, half the notes restated', () => {
    const a = analyzeMelody(ROUND);
    expect(phrases(a)).toEqual(['A 1-2', 'A 3-4', 'B 5-6', 'B 7-8', 'C 9-10', 'C 11-12']);
    expect(a.form).toBe('AABBCC');
    expect(a.phrases.map((p) => [p.relation, p.of])).toEqual([
      ['new', null],
      ['exact', 0],
      ['new', null],
      ['exact', 2],
      ['new', null],
      ['exact', 4],
    ]);
    expect(a.restatement.share).toBeCloseTo(21 / 42);
    // Each motif is a whole phrase sung again: it comes back only where its phrase repeats.
    expect(a.motifs.map((m) => m.withinRepeatedPhrases)).toEqual([true, true, true]);
    expect(a.barRepeats.filter((r) => r.relation === 'exact').map((r) => [r.bar, r.of])).toEqual([
      [2, 0],
      [3, 1],
      [6, 4],
      [7, 5],
      [10, 8],
      [11, 9],
    ]);
  });

  it("the AABA tune: A, A' with a new ending, B, A again", () => {
    const a = analyzeMelody(AABA);
    expect(phrases(a)).toEqual(['A 1-4', "A' 5-8", 'B 9-12', 'A 13-16']);
    expect(a.form).toBe("AA'BA");
    const varied = a.phrases[1]!;
    expect(varied).toMatchObject({ relation: 'varied', of: 0, letter: 'A' });
    // Bars 5-6 and the G4 on the downbeat of bar 7 are as in bars 1-3: 7 of 11 notes.
    expect(varied.similarity).toBeCloseTo(7 / 11);
    expect(varied.sharedNotes).toEqual([11, 12, 13, 14, 15, 16, 17]);
    expect(a.phrases[3]).toMatchObject({ relation: 'exact', of: 0, similarity: 1 });
    // Restated: A' shares 7 notes, the last A all 11, and motif x's inversion in bar 3 adds 4.
    expect(a.restatement.notes).toHaveLength(22);
    expect(a.restatement.share).toBeCloseTo(0.5);
  });

  it("the E minor jig in 6/8: two 4-bar phrases, the second starting as the first (A A')", () => {
    const a = analyzeMelody(MINOR_JIG);
    expect(a.key.name).toBe('E minor');
    expect(phrases(a)).toEqual(['A 1-4', "A' 5-8"]);
    // Shared: bars 5-6 as bars 1-2 (10 notes) and the E4 on the downbeat of bar 8; A has 19 notes.
    expect(a.phrases[1]!.similarity).toBeCloseTo(11 / 19);
    // The opening returns in a varied phrase, the falling figure inside the same phrase.
    expect(a.motifs.map((m) => m.withinRepeatedPhrases)).toEqual([false, false, false]);
    expect(a.barRepeats).toEqual([
      { bar: 1, of: 0, relation: 'rhythm', transposition: 0 },
      { bar: 4, of: 0, relation: 'exact', transposition: 0 },
      { bar: 5, of: 1, relation: 'exact', transposition: 0 },
      // G A B A G F# becomes E F# G F# E D#: the same scale steps a third lower.
      { bar: 6, of: 2, relation: 'tonal', transposition: 0 },
    ]);
  });

  it('the D minor waltz in 3/4: two phrases; bars 5-6 move bars 1-2 up a step, so the rhythm returns but not the notes', () => {
    const a = analyzeMelody(MINOR_WALTZ);
    expect(phrases(a)).toEqual(['A 1-4', 'B 5-8']);
    expect(a.barRepeats.map((r) => `${r.bar + 1}<${r.of + 1} ${r.relation}`)).toEqual([
      '3<1 rhythm',
      '5<1 tonal',
      '6<2 tonal',
      '7<1 rhythm',
    ]);
  });

  it('a single 4-bar phrase for the exact sequence; its bars 2 and 3 transpose bar 1', () => {
    const a = analyzeMelody(REAL_SEQUENCE);
    expect(phrases(a)).toEqual(['A 1-4']);
    expect(a.form).toBe('A');
    expect(a.barRepeats).toEqual([
      { bar: 1, of: 0, relation: 'transposed', transposition: 5 },
      { bar: 2, of: 0, relation: 'transposed', transposition: 10 },
    ]);
  });
});

describe('findPhrases', () => {
  const spans = (bars: string[], meter = undefined as Parameters<typeof tune>[1]) =>
    findPhrases(makeContext(tune(bars, meter))).map(
      (p) =>
        `${p.firstNote}-${p.lastNote} bars ${p.firstBar + 1}-${p.lastBar + 1}${p.pickup ? ' pickup' : ''}`,
    );

  it('cuts 4-bar phrases where rests fall every four bars, despite long notes every two', () => {
    const bars = ['C4 D4 E4 F4', 'G4/8 E4/8', 'F4 E4 D4 F4', 'E4/8 r/8'];
    expect(spans([...bars, ...bars])).toEqual(['0-10 bars 1-4', '11-21 bars 5-8']);
  });

  it('cuts 2-bar phrases where rests fall every two bars', () => {
    const two = ['C4 D4 E4 F4', 'G4/8 r/8'];
    expect(spans([...two, ...two, ...two, ...two])).toEqual([
      '0-4 bars 1-2',
      '5-9 bars 3-4',
      '10-14 bars 5-6',
      '15-19 bars 7-8',
    ]);
  });

  it('starts a phrase with its pickup after a rest', () => {
    // Bar 4 ends with a rest and two pickup eighths into bar 5.
    const bars = ['C4 D4 E4 F4', 'G4/8 E4/8', 'F4 E4 D4 B3', 'C4/8 r/4 G3/2 B3/2'];
    expect(spans([...bars, 'C4 D4 E4 F4', 'G4/8 E4/8', 'F4 E4 D4 B3', 'C4/12 r'])).toEqual([
      '0-10 bars 1-4',
      '11-23 bars 5-8 pickup',
    ]);
  });

  it('counts bars from the first full bar when the melody opens with a pickup', () => {
    // One bar of 4/4 whose last beat is a pickup, then two 2-bar phrases.
    expect(spans(['r/12 G4', 'C5 B4 A4 G4', 'E4/8 r/4 G4', 'C5 D5 E5 D5', 'C5/8 r/8'])).toEqual([
      '0-5 bars 2-3 pickup',
      '6-11 bars 4-5 pickup',
    ]);
  });

  it('does not cut where a note is held across the barline', () => {
    // 8 bars; the note across the 4-bar line pushes the cut elsewhere or keeps one phrase.
    const result = spans([
      'C4 D4 E4 F4',
      'G4 A4 G4 F4',
      'E4 D4 C4 D4',
      'E4 F4 G4 A4/8',
      'A4/8 G4 F4',
      'E4 D4 C4 D4',
      'E4 D4 C4 B3',
      'C4/16',
    ]);
    expect(result.some((s) => s.includes('bars 5-'))).toBe(false);
  });

  it('keeps a 5-bar melody without rests as one phrase (not 4 + 1)', () => {
    expect(spans(['C4 D4 E4 F4', 'G4 A4 G4 F4', 'E4 D4 C4 D4', 'E4 F4 G4 A4', 'G4/16'])).toEqual([
      '0-16 bars 1-5',
    ]);
  });

  it('handles 3/4 and 6/8, and a melody of a single bar', () => {
    expect(
      spans(
        ['D4 F4 A4', 'D5/8 C#5', 'Bb4 A4 G4', 'A4/8 r', 'E4 G4 Bb4', 'C#5/8 Bb4', 'A4 E4 C#4', 'D4/8 r'],
        THREE_FOUR,
      ),
    ).toEqual(['0-8 bars 1-4', '9-17 bars 5-8']);
    expect(spans(['E4/2 G4/2 B4/2 E5/6', 'D5/6 r/6', 'C5/2 B4/2 A4/2 G4/6', 'E4/6 r/6'], SIX_EIGHT)).toEqual([
      '0-4 bars 1-2',
      '5-9 bars 3-4',
    ]);
    expect(spans(['C4 D4 E4'])).toEqual(['0-2 bars 1-1']);
    expect(findPhrases(makeContext(tune([])))).toEqual([]);
  });

  it('finds the pickups of the folk-tune fixture (bars 4 and 8 end with a rest and a pickup)', () => {
    const folk = FIXTURES.find((f) => f.file === 'folk-d-major.mid')!.expected.melody;
    const a = analyzeMelody(folk);
    expect(phrases(a)).toEqual(['A 1-4', 'B 5-8 pickup', 'C 9-12', 'D 13-16']);
    expect(a.phrases[1]!.firstNote).toBe(15); // the A4 after the rest in bar 4
  });
});
