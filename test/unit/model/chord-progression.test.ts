/** Chord progressions for chord models: reading symbols, one chord a bar, the primer's octave. */
import { describe, expect, it } from 'vitest';
import {
  appendContinuation,
  chordsPerStep,
  parseChords,
  prepareChordPrimer,
} from '../../../src-core/model/chord-progression.ts';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';

describe('parseChords', () => {
  it.each([
    ['C G Am F', ['C', 'G', 'Am', 'F']],
    ['C, G7 | F#m7b5  Bbmaj7', ['C', 'G7', 'F#m7b5', 'Bbmaj7']],
    ['Dsus4 Cdim Caug Ebm', ['Dsus4', 'Cdim', 'Caug', 'Ebm']],
  ])('reads %j', (text, chords) => {
    expect(parseChords(text)).toEqual({ ok: true, value: chords });
  });

  it.each([
    ['', /Write the chords, one a bar/],
    ['C Xq F', /"Xq" is not a chord symbol Cantus knows/],
    ['C H', /"H" is not a chord symbol/],
    ['C/E G', /"C\/E" is a slash chord.*\(C\)/],
    ['C N.C. G', /"N.C." \(no chord\) cannot be given to this model: write a chord for every bar/],
  ])('refuses %j in words', (text, message) => {
    const parsed = parseChords(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toMatch(message);
  });
});

describe('chordsPerStep', () => {
  it('holds the first chord under the primer, then one chord a bar, starting again when bars outnumber chords', () => {
    const steps = chordsPerStep(['C', 'G'], 4, 12, 4);
    expect(steps).toEqual([
      ...Array(4).fill('C'),
      'C',
      'C',
      'C',
      'C',
      'G',
      'G',
      'G',
      'G',
      'C',
      'C',
      'C',
      'C',
    ]);
  });

  it('follows the barlines when the primer ends mid-bar', () => {
    const steps = chordsPerStep(['C', 'G'], 6, 6, 4);
    expect(steps.slice(6)).toEqual(['C', 'C', 'G', 'G', 'G', 'G']);
  });
});

describe('prepareChordPrimer and appendContinuation', () => {
  const primer = makeMelody({ notes: parseNotes('G5 A5 B5 D6'), meter: { numerator: 4, denominator: 4 } });

  it('moves the primer by whole octaves into the range, keeping its key', () => {
    const prepared = prepareChordPrimer(primer, { minPitch: 48, maxPitch: 83 });
    expect(Math.abs(prepared.shift % 12)).toBe(0);
    expect(prepared.shift).toBeLessThan(0);
    for (const n of prepared.melody.notes) {
      expect(n.pitch).toBeGreaterThanOrEqual(48);
      expect(n.pitch).toBeLessThanOrEqual(83);
    }
    expect(prepared.melody.notes.map((n) => n.pitch % 12)).toEqual(primer.notes.map((n) => n.pitch % 12));
  });

  it('puts the continuation after the primer, back in its register', () => {
    const continuation = makeMelody({ notes: parseNotes('C5 D5'), meter: primer.meter });
    const whole = appendContinuation(primer, continuation, -12, 8);
    expect(whole.length).toBe(primer.length + 8);
    expect(whole.notes.slice(0, 4)).toEqual(primer.notes);
    expect(whole.notes.slice(4).map((n) => [n.pitch, n.start])).toEqual([
      [84, primer.length],
      [86, primer.length + 4],
    ]);
  });

  it('starts from middle C when there is no primer', () => {
    const prepared = prepareChordPrimer(makeMelody({ notes: [] }), { minPitch: 48, maxPitch: 83 });
    expect(prepared.source.notes.map((n) => n.pitch)).toEqual([60]);
  });
});
