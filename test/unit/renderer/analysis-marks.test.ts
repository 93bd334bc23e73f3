import { describe, expect, it } from 'vitest';
import { analyzeMelody } from '../../../src-core/analysis/analyze.ts';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';
import { marksFor, surpriseMarks } from '../../../src-renderer/lib/analysis-marks.ts';

// Two bars, the second a step higher than the first (a tonal sequence), then a leap of a sixth.
const melody = makeMelody({
  notes: parseNotes('C4 D4 E4 C4 D4 E4 F4 D4 C4/8 A4/8'),
  key: { tonic: 'C', mode: 'major' },
});
const analysis = analyzeMelody(melody);

// Two 8-bar strains, each played twice (AABB); each strain is two 4-bar phrases, the second
// with another ending.
const strainA = 'G4 A4 B4 G4 D5/8 B4/8 C5 B4 A4 G4 A4/16 G4 A4 B4 G4 D5/8 B4/8 C5 A4 F#4 A4 G4/16';
const strainB = 'D5 E5 F#5 D5 G5/8 D5/8 E5 D5 C5 B4 A4/16 D5 E5 F#5 D5 G5/8 D5/8 C5 A4 F#4 A4 G4/16';
const reel = analyzeMelody(
  makeMelody({
    notes: parseNotes([strainA, strainA, strainB, strainB].join(' ')),
    key: { tonic: 'G', mode: 'major' },
  }),
);

describe('marksFor', () => {
  it('draws nothing when nothing is chosen', () => {
    expect(marksFor(analysis, null)).toEqual([]);
  });

  it('names every interval between consecutive notes, with its direction', () => {
    const marks = marksFor(analysis, { kind: 'intervals' });
    expect(marks).toHaveLength(melody.notes.length - 1);
    expect(marks[0]).toEqual({ kind: 'interval', from: 0, to: 1, label: 'M2↑' });
    expect(marks[2]).toEqual({ kind: 'interval', from: 2, to: 3, label: 'M3↓' });
  });

  it('lights the largest leap and names it', () => {
    expect(marksFor(analysis, { kind: 'leap' })).toEqual([
      { kind: 'notes', notes: [8, 9], colour: 1, label: 'largest leap' },
      { kind: 'interval', from: 8, to: 9, label: 'M6↑' },
    ]);
  });

  it('lights the highest and lowest notes', () => {
    const marks = marksFor(analysis, { kind: 'contour' });
    expect(marks[0]).toMatchObject({ notes: [9], label: 'highest' });
    expect(marks[1]).toMatchObject({ notes: [0, 3, 8], label: 'lowest' });
  });

  it('draws each occurrence of a motif in its colour, numbered, the first solid', () => {
    expect(analysis.motifs.length).toBeGreaterThan(0);
    const motif = analysis.motifs[0]!;
    const marks = marksFor(analysis, { kind: 'motif', index: 0 });
    expect(marks).toHaveLength(motif.occurrences.length);
    marks.forEach((m, i) => {
      expect(m).toMatchObject({
        kind: 'notes',
        colour: 0,
        label: `${motif.label}${i + 1}`,
        notes: motif.occurrences[i]!.notes,
      });
    });
    expect(marks[0]).toMatchObject({ style: 'solid' });
  });

  it('puts an occurrence chosen in the list first, drawn stronger, so the score goes to it', () => {
    const motif = analysis.motifs[0]!;
    const marks = marksFor(analysis, { kind: 'motif', index: 0, occurrence: 1 });
    expect(marks).toHaveLength(motif.occurrences.length);
    expect(marks[0]).toMatchObject({
      label: `${motif.label}2`,
      notes: motif.occurrences[1]!.notes,
      emphasis: true,
    });
    expect(marks.filter((m) => m.kind === 'notes' && m.emphasis)).toHaveLength(1);
  });

  it('brackets each phrase with its letter', () => {
    const marks = marksFor(analysis, { kind: 'phrases' });
    expect(marks.map((m) => m.kind)).toEqual(analysis.phrases.map(() => 'bracket'));
    expect(marks.map((m) => (m.kind === 'bracket' ? m.label : ''))).toEqual(
      analysis.phrases.map((p) => p.label),
    );
  });
});

describe('surpriseMarks', () => {
  it('shades each scored note by its surprise and writes its probability', () => {
    expect(surpriseMarks([null, 1, 0.5, 0.02, 0.0001])).toEqual([
      { kind: 'shade', note: 1, level: 0, label: '100%' },
      { kind: 'shade', note: 2, level: Math.log(2) / Math.log(50), label: '50%' },
      { kind: 'shade', note: 3, level: 1, label: '2%' },
      { kind: 'shade', note: 4, level: 1, label: '1%' },
    ]);
  });

  it('draws the form at two levels when a tune has strains: strain letters over their phrases', () => {
    const marks = marksFor(reel, { kind: 'phrases' });
    const strains = marks.filter((m) => m.kind === 'bracket' && m.level === 'strain');
    const phrases = marks.filter((m) => m.kind === 'bracket' && m.level === 'phrase');
    expect(strains.map((m) => m.kind === 'bracket' && m.label)).toEqual(['A', 'A', 'B', 'B']);
    expect(strains[0]).toMatchObject({ from: 0, to: 21 });
    expect(phrases.slice(0, 2).map((m) => m.kind === 'bracket' && m.label)).toEqual(['a', "a'"]);
    expect(phrases).toHaveLength(reel.phrases.length);
    // Every phrase's bracket lies inside one strain's.
    for (const p of phrases)
      expect(
        strains.some((s) => s.kind === 'bracket' && p.kind === 'bracket' && s.from <= p.from && p.to <= s.to),
      ).toBe(true);
    // One strain: one level, the phrase letters as before.
    expect(
      marksFor(analysis, { kind: 'phrases' }).every((m) => m.kind === 'bracket' && m.level === undefined),
    ).toBe(true);
  });
});
