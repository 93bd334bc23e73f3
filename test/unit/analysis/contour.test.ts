import { describe, expect, it } from 'vitest';
import {
  contourShape,
  describeContour,
  parsonsCode,
  turningPoints,
} from '../../../src-core/analysis/contour.ts';
import { parseNotes } from '../../../src-core/music/melody.ts';

const pitches = (text: string): number[] => parseNotes(text).map((n) => n.pitch);

describe('parsonsCode', () => {
  it.each([
    ['', ''],
    ['C4', '*'],
    ['C4 D4 D4 B3', '*URD'],
    ['E4 E4 F4 G4 G4 F4 E4 D4 C4 C4 D4 E4 E4 D4 D4', '*RUURDDDDRUURDR'],
  ])('%s -> %s', (text, code) => {
    expect(parsonsCode(pitches(text))).toBe(code);
  });
});

describe('contourShape', () => {
  it.each([
    ['within a tone', 'C4 D4 C4 D4 C4 C#4', 'level'],
    ['a rising scale', 'C4 D4 E4 F4 G4 A4', 'ascending'],
    ['rising with small dips', 'C4 E4 D4 F4 E4 G4 F4 A4 G4 C5', 'ascending'],
    ['a falling arpeggio', 'G5 E5 C5 G4 E4 C4', 'descending'],
    ['up to a peak and down', 'C4 E4 G4 C5 G4 E4 C4', 'arch'],
    ['an arch with a neighbour-note wiggle at the top', 'C4 E4 G4 A4 G4 A4 F4 D4 C4', 'arch'],
    ['down to a valley and up', 'C5 G4 E4 C4 E4 G4 C5', 'inverted-arch'],
    ['up, down, up, down', 'C4 G4 C4 G4 C4', 'wave'],
    ['three big moves', 'C4 A4 D4 A4 C4', 'wave'],
    ['a falling sequence: each high and each low lower', 'G5 C5 E5 A4 C5 F4', 'descending'],
    ['a rising sequence: each high and each low higher', 'C4 G4 E4 B4 G4 D5', 'ascending'],
    ['highs fall but lows rise', 'C4 C5 E4 B4 G4', 'wave'],
    ['an arch with a dip between two high notes', 'C4 E4 G4 C5 G4 C5 E4 C4', 'arch'],
    // Ode to Joy, first phrase: the opening rise (a minor third of a fifth's range) is too
    // small to count; what is left falls to C and climbs back.
    ['Ode to Joy, first phrase', 'E4 E4 F4 G4 G4 F4 E4 D4 C4 C4 D4 E4 E4 D4 D4', 'inverted-arch'],
    ['a single note', 'C4', 'level'],
  ])('%s -> %s', (_, text, shape) => {
    expect(contourShape(pitches(text))).toBe(shape);
  });

  it('ignores moves smaller than a minor third or than half the range', () => {
    // Range 12 (C4-C5): moves under 6 semitones do not count.
    expect(turningPoints(pitches('C4 C5 F4 C5'))).toEqual([0, 1, 2, 3]);
    expect(turningPoints(pitches('C4 C5 G4 C5'))).toEqual([0, 1]);
    // Range 4: the threshold is a minor third.
    expect(turningPoints(pitches('C4 E4 C#4 E4'))).toEqual([0, 1, 2, 3]);
    expect(turningPoints(pitches('C4 E4 D4 E4'))).toEqual([0, 1]);
  });
});

describe('describeContour', () => {
  it('finds the high and low points, the climax and where it falls', () => {
    const notes = parseNotes('C4 E4 G4 C5 G4 C5 E4 C4');
    // The dip to G4 between the two high Cs is too small to count: still an arch.
    const c = describeContour(
      notes.map((n) => n.pitch),
      notes.map((n) => n.start),
      notes.map((n) => n.end),
    );
    expect(c.parsons).toBe('*UUUDUDD');
    expect(c.highest).toEqual({ pitch: 72, notes: [3, 5] });
    expect(c.lowest).toEqual({ pitch: 60, notes: [0, 7] });
    expect(c.climax).toBe(3);
    expect(c.climaxIsUnique).toBe(false);
    expect(c.climaxPosition).toBeCloseTo(12 / 32);
    expect(c.shape).toBe('arch');
  });

  it('describes part of a melody with melody note indices', () => {
    const notes = parseNotes('C4 D4 E4 G4 F4 E4 D4');
    const c = describeContour(
      notes.map((n) => n.pitch),
      notes.map((n) => n.start),
      notes.map((n) => n.end),
      2,
      5,
    );
    expect(c.parsons).toBe('*UDD');
    expect(c.climax).toBe(3);
    // E4 G4 F4 E4: up a minor third and back, a small arch.
    expect(c.turningPoints).toEqual([2, 3, 5]);
    expect(c.shape).toBe('arch');
  });
});
