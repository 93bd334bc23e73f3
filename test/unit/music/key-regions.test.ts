import { describe, expect, it } from 'vitest';
import { analyzeMelody } from '../../../src-core/analysis/analyze.ts';
import { barGrid } from '../../../src-core/music/bars.ts';
import { findKeyRegions } from '../../../src-core/music/key-regions.ts';
import { keyName } from '../../../src-core/music/key.ts';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';
import { buildScore } from '../../../src-core/score/build-score.ts';

// Eight bars in G major, eight in D major (C# in every bar, no C), eight home in G again.
const G_BARS =
  'G4 B4 D5 B4 | C5 A4 F#4 A4 | G4 B4 D5 G5 | E5 C5 A4 F#4 | G4 A4 B4 C5 | D5 B4 G4 B4 | A4 C5 F#4 D4 | G4/16';
const D_BARS =
  'D5 C#5 D5 A4 | F#5 A5 C#5 A4 | D5 C#5 D5 A5 | G5 E5 C#5 A4 | F#5 D5 C#5 A4 | D5 A5 C#5 A4 | F#5 G5 E5 C#5 | D5 C#5 D5/8';
const notes = parseNotes(`${G_BARS} ${D_BARS} ${G_BARS}`.replace(/\|/g, ' '));

describe('key regions', () => {
  it('finds a B strain in the dominant and the way home', () => {
    const regions = findKeyRegions(notes, barGrid(makeMelody({ notes })), { tonic: 'G', mode: 'major' });
    expect(regions.map((r) => [r.firstBar, r.lastBar, keyName(r.key)])).toEqual([
      [0, 7, 'G major'],
      [8, 15, 'D major'],
      [16, 23, 'G major'],
    ]);
  });

  it('one region for a tune that stays home, none without notes', () => {
    const g = parseNotes(G_BARS.replace(/\|/g, ' '));
    expect(findKeyRegions(g, barGrid(makeMelody({ notes: g })), { tonic: 'G', mode: 'major' })).toHaveLength(
      1,
    );
    expect(findKeyRegions([], barGrid(makeMelody({ notes: [] })), { tonic: 'G', mode: 'major' })).toEqual([]);
  });

  it('the analysis and the score agree: new signature at bar 9, back at bar 17, said in words', () => {
    const melody = makeMelody({ notes, key: { tonic: 'G', mode: 'major' } });
    const a = analyzeMelody(melody);
    expect(a.key.regions.map((r) => r.name)).toEqual(['G major', 'D major', 'G major']);
    const score = buildScore(melody);
    expect(score.measures[8]!.keyChange).toEqual({ key: { tonic: 'D', mode: 'major' }, fifths: 2 });
    expect(score.measures[16]!.keyChange).toEqual({ key: { tonic: 'G', mode: 'major' }, fifths: 1 });
    expect(score.measures.filter((m) => m.keyChange)).toHaveLength(2);
    // C# in the D major bars is in the signature there: no accidental printed.
    const cSharp = score.measures[9]!.events.find((e) => e.pitch?.letter === 'C');
    expect(cSharp).toMatchObject({ pitch: { letter: 'C', alter: 1 } });
    expect(cSharp!.accidental ?? null).toBeNull();
  });

  it('a key given by the user is kept throughout', () => {
    const melody = makeMelody({ notes, key: { tonic: 'G', mode: 'major' } });
    expect(analyzeMelody(melody, { key: { tonic: 'G', mode: 'major' } }).key.regions).toHaveLength(1);
  });
});
