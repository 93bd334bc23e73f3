import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNotes, parseNotes, type Note } from '../../../src-core/music/melody.ts';

describe('formatNotes', () => {
  it('writes notes and rests in the form parseNotes reads', () => {
    expect(formatNotes(parseNotes('C4 D4/2 r/2 E4/8'))).toBe('C4 D4/2 r/2 E4/8');
    expect(formatNotes(parseNotes('r/3 Bb3/1 F#5/6'))).toBe('r/3 A#3/1 F#5/6');
    expect(formatNotes([])).toBe('');
  });

  it('round-trips any monophonic melody (pitches, onsets, lengths)', () => {
    const melodies = fc
      .array(
        fc.record({
          pitch: fc.integer({ min: 0, max: 127 }),
          gap: fc.nat(8),
          dur: fc.integer({ min: 1, max: 32 }),
        }),
        {
          maxLength: 40,
        },
      )
      .map((items) => {
        let at = 0;
        return items.map(({ pitch, gap, dur }): Note => {
          const note = { pitch, start: at + gap, end: at + gap + dur, velocity: 80 };
          at = note.end;
          return note;
        });
      });
    fc.assert(
      fc.property(melodies, (notes) => {
        expect(parseNotes(formatNotes(notes))).toEqual(notes);
      }),
    );
  });
});
