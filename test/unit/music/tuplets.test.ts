import { describe, expect, it } from 'vitest';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';
import { fittingTuplets, soundingTimes, tripletSlots } from '../../../src-core/music/tuplets.ts';

describe('triplets on the sixteenth grid', () => {
  it('round to fixed slots: eighths from s at s, s+1, s+3; quarters at s, s+3, s+5', () => {
    expect(tripletSlots({ start: 4, span: 4 })).toEqual([4, 5, 7, 8]);
    expect(tripletSlots({ start: 8, span: 8 })).toEqual([8, 11, 13, 16]);
  });

  it('hold only while the notes fit them', () => {
    // A quarter, then an eighth triplet on beat 2, then a half.
    const notes = parseNotes('C4 D4/1 E4/2 F4/1 G4/8');
    const melody = makeMelody({ notes, tuplets: [{ start: 4, span: 4 }] });
    expect(fittingTuplets(melody).map((f) => f.notes)).toEqual([[1, 2, 3]]);
    // Edited: the middle note moved, or a note added inside, or the first note held into it.
    const moved = makeMelody({ notes: parseNotes('C4 D4/2 E4/1 F4/1 G4/8'), tuplets: melody.tuplets });
    expect(fittingTuplets(moved)).toEqual([]);
    const held = makeMelody({ notes: parseNotes('C4/5 D4/2 E4/1 G4/8'), tuplets: melody.tuplets });
    expect(fittingTuplets(held)).toEqual([]);
  });

  it('sound on their true thirds; a note held to the next slot ends there, a short one as written', () => {
    // The triplet's last note is only a sixteenth long (a staccato eighth).
    const notes = parseNotes('D4/1 E4/2 F4/1 r/4');
    const times = soundingTimes(makeMelody({ notes, tuplets: [{ start: 0, span: 4 }] }));
    expect(times).toEqual([
      { start: 0, end: 4 / 3 },
      { start: 4 / 3, end: 8 / 3 },
      { start: 8 / 3, end: 4 },
    ]);
    const short = makeMelody({
      notes: [
        { pitch: 62, start: 0, end: 1, velocity: 80 },
        { pitch: 64, start: 1, end: 2, velocity: 80 },
        { pitch: 65, start: 3, end: 4, velocity: 80 },
      ],
      tuplets: [{ start: 0, span: 4 }],
    });
    // The middle note ends at step 2, before the third slot's step 3: it keeps its own end.
    expect(soundingTimes(short)[1]).toEqual({ start: 4 / 3, end: 2 });
    // Without tuplets every note sounds as written.
    expect(soundingTimes(makeMelody({ notes }))).toEqual(notes.map((n) => ({ start: n.start, end: n.end })));
  });
});
