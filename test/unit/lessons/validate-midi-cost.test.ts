/**
 * A pack whose lessons share one MIDI file reads it once (a 1.9 MB file used by 20 lessons took
 * 38.6 s to validate when each lesson read it again), and a melody longer than a lesson can use
 * is refused with a message that says what to do.
 */
import { describe, expect, it, vi } from 'vitest';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';
import { writeMelodyMidi } from '../../../src-core/midi/write.ts';
import type * as ReadModule from '../../../src-core/midi/read.ts';
import { packSharingOneMidi } from '../../support/packs.ts';
import { MAX_LESSON_NOTES, validatePack } from '../../../src-core/lessons/validate.ts';

const reads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../src-core/midi/read.ts', async (importOriginal) => {
  const real = await importOriginal<typeof ReadModule>();
  return {
    ...real,
    readMidi: (...args: Parameters<typeof real.readMidi>) => {
      reads.count++;
      return real.readMidi(...args);
    },
  };
});

const pack = packSharingOneMidi;

describe('validating the MIDI files of a pack', () => {
  it('reads a file that 20 lessons use once', () => {
    const midi = writeMelodyMidi(makeMelody({ notes: parseNotes('C4 D4 E4 F4 G4 A4 B4 C5 '.repeat(4)) }));
    reads.count = 0;
    expect(validatePack(pack(midi, 20)).problems).toEqual([]);
    expect(reads.count).toBe(1);
  });

  it('reads no MIDI file when told main has read them, but still finds a missing one', () => {
    const midi = writeMelodyMidi(makeMelody({ notes: parseNotes('C4 D4 E4') }));
    reads.count = 0;
    expect(validatePack(pack(midi, 3), 'p', { readMidi: false }).problems).toEqual([]);
    expect(reads.count).toBe(0);
    const missing = new Map(pack(midi, 1));
    missing.delete('tune.mid');
    expect(validatePack(missing, 'p', { readMidi: false }).problems.map((p) => p.code)).toEqual([
      'lessons/missing-file',
    ]);
  });

  it(`refuses a melody of more than ${MAX_LESSON_NOTES} notes, saying how many it has`, () => {
    const notes = parseNotes('C4/1 D4/1 E4/1 F4/1 '.repeat(Math.ceil((MAX_LESSON_NOTES + 1) / 4)));
    const midi = writeMelodyMidi(makeMelody({ notes }));
    const problems = validatePack(pack(midi, 1)).problems.map((p) => p.message);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /lessons\[0\]\.melody\.midi: "tune\.mid" has 2,004 notes in its melody; a lesson's melody may have at most 2,000\. Use a shorter passage/,
    );
  });
});
