import { describe, expect, it } from 'vitest';
import { measureContinuation, summarizeStructure } from '../../../src-core/model/structure.ts';
import { isInKey } from '../../../src-core/music/key.ts';
import { makeMelody, parseNotes, type Key } from '../../../src-core/music/melody.ts';

const C: Key = { tonic: 'C', mode: 'major' };
const bars = (text: string, meter = { numerator: 4, denominator: 4 }) => {
  const notes = parseNotes(text);
  return makeMelody({ notes, meter, length: notes.at(-1)!.end });
};

describe('measureContinuation', () => {
  // Each bar is 16 steps: four quarter notes.
  const a = 'C4/4 D4/4 E4/4 F4/4';
  const b = 'G4/4 A4/4 B4/4 C5/4';
  const c = 'E4/4 E4/4 D4/4 D4/4';
  const d = 'C4/8 G4/8';

  it.each([
    ['a bar of the continuation repeats a primer bar', [a, b, c, a, d, d], true, false],
    ['a bar repeats only a later-written bar of the continuation', [a, b, c, d, c, b], true, false],
    ['a two-bar unit repeats (A B ... A B)', [a, b, c, d, a, b], true, true],
    ['nothing repeats', [a, b, c, d, 'F4/4 E4/4 D4/4 C4/4', 'B3/8 C4/8'], false, false],
  ] as const)('%s', (_, parts, bar, unit) => {
    const facts = measureContinuation(bars(parts.join(' ')), 2, 4, C);
    expect([facts.barRepeat, facts.unitRepeat]).toEqual([bar, unit]);
  });

  it('does not count a repeat inside the primer, nor a silent bar', () => {
    const facts = measureContinuation(bars(`${a} ${a} ${b} r/16 ${c} r/16`), 2, 4, C);
    expect([facts.barRepeat, facts.unitRepeat]).toEqual([false, false]);
  });

  it('tells a held note from a repeated onset', () => {
    // "C4/8 G4/8" and "C4/4 r/4 G4/8" are different bars.
    const facts = measureContinuation(bars(`${a} ${b} C4/8 G4/8 C4/4 r/4 G4/8`), 2, 2, C);
    expect(facts.barRepeat).toBe(false);
  });

  it('counts notes, long notes and notes out of the key in the continuation', () => {
    const facts = measureContinuation(bars(`${a} ${b} C4/32 F#4/4 G4/4 Bb4/8`), 2, 3, C);
    expect(facts.notes).toBe(4);
    expect(facts.longNote).toBe(true);
    expect(facts.outOfKey).toBe(2);
  });

  it('works in 6/8 bars of 12 steps', () => {
    const six = { numerator: 6, denominator: 8 };
    const x = 'C4/6 E4/6';
    const y = 'G4/6 E4/6';
    const facts = measureContinuation(bars([x, y, x, y].join(' '), six), 2, 2, C);
    expect([facts.barRepeat, facts.unitRepeat]).toEqual([true, true]);
  });
});

describe('isInKey', () => {
  it.each([
    [60, C, true],
    [61, C, false],
    [68, { tonic: 'A', mode: 'minor' }, true], // G#: the raised 7th
    [66, { tonic: 'A', mode: 'minor' }, true], // F#: the raised 6th
    [70, { tonic: 'A', mode: 'minor' }, false], // Bb
    [66, { tonic: 'D', mode: 'major' }, true],
  ] as const)('%i in %o: %s', (pitch, key, inKey) => {
    expect(isInKey(pitch, key)).toBe(inKey);
  });
});

describe('summarizeStructure', () => {
  it('gives shares over melodies and notes', () => {
    const base = { barRepeat: false, unitRepeat: false, notes: 10, bars: 4, longNote: false, outOfKey: 0 };
    const s = summarizeStructure([
      { ...base, barRepeat: true, outOfKey: 1 },
      { ...base, barRepeat: true, unitRepeat: true, longNote: true },
      base,
      base,
    ]);
    expect(s).toEqual({
      melodies: 4,
      barRepeat: 0.5,
      unitRepeat: 0.25,
      notesPerBar: 2.5,
      longNote: 0.25,
      outOfKey: 1 / 40,
    });
  });
});
