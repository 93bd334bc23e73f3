import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quantizeNote, quartersToStep, reduceToMonophony } from '../../../src-core/midi/monophony.ts';
import { isMonophonic, parseNotes, type Note } from '../../../src-core/music/melody.ts';
import { monophonicNotes, polyphonicNotes } from './arbitraries.ts';

const n = (pitch: number, start: number, end: number): Note => ({ pitch, start, end, velocity: 80 });

describe('quartersToStep', () => {
  // [quarter notes, step] checked by hand: 4 steps per quarter, halves round up
  const table: [number, number][] = [
    [0, 0],
    [1, 4],
    [0.25, 1],
    [0.125, 1],
    [0.12, 0],
    [0.375, 2],
    [2.9999999999 / 4, 3],
    [0.6249999999, 3],
    [1 / 3, 1],
    [2 / 3, 3],
    [1000.5, 4002],
  ];
  it.each(table)('%f quarters is step %i', (q, step) => {
    expect(quartersToStep(q)).toBe(step);
  });
});

describe('quantizeNote', () => {
  // [start, end in quarters, expected start, end in steps]
  const table: [number, number, number, number][] = [
    [0, 1, 0, 4],
    [0.1, 0.9, 0, 4],
    [0.5, 0.55, 2, 3], // rounds to nothing, so it keeps one step
    [0.2, 0.2, 1, 2],
    [1.9, 2.1, 8, 9],
  ];
  it.each(table)('%f-%f quarters becomes steps', (sq, eq, start, end) => {
    expect(quantizeNote({ pitch: 60, startQuarters: sq, endQuarters: eq, velocity: 80 })).toEqual(
      n(60, start, end),
    );
  });

  it('is the identity for notes already on the grid, at any resolution divisible by 4', () => {
    fc.assert(
      fc.property(
        monophonicNotes(),
        fc.constantFrom(4, 8, 24, 96, 120, 192, 384, 480, 960, 1024),
        (notes, ppq) => {
          const tps = ppq / 4;
          for (const note of notes) {
            const placed = quantizeNote({
              pitch: note.pitch,
              startQuarters: (note.start * tps) / ppq,
              endQuarters: (note.end * tps) / ppq,
              velocity: note.velocity,
            });
            expect(placed).toEqual(note);
          }
        },
      ),
    );
  });
});

describe('reduceToMonophony', () => {
  // [what, notes in, notes out]
  const table: [string, Note[], Note[]][] = [
    ['nothing', [], []],
    ['a melody stays as it is', parseNotes('C4 D4/2 r/2 E4/8', 80), parseNotes('C4 D4/2 r/2 E4/8', 80)],
    ['a chord keeps its top note', [n(60, 0, 4), n(64, 0, 4), n(67, 0, 4)], [n(67, 0, 4)]],
    ['a later onset ends the note before it', [n(72, 0, 8), n(60, 4, 8)], [n(72, 0, 4), n(60, 4, 8)]],
    ['a cut note is not resumed', [n(48, 0, 16), n(72, 4, 6)], [n(48, 0, 4), n(72, 4, 6)]],
    ['unsorted input is sorted', [n(64, 4, 8), n(60, 0, 4)], [n(60, 0, 4), n(64, 4, 8)]],
    ['the same note twice becomes one', [n(60, 0, 4), n(60, 0, 2)], [n(60, 0, 4)]],
    ['notes of no length are dropped', [n(60, 4, 4), n(62, 0, 2)], [n(62, 0, 2)]],
  ];
  it.each(table)('%s', (_what, input, output) => {
    expect(reduceToMonophony(input)).toEqual(output);
  });

  it('always gives a monophonic line', () => {
    fc.assert(
      fc.property(polyphonicNotes(), (notes) => {
        expect(isMonophonic(reduceToMonophony(notes))).toBe(true);
      }),
    );
  });

  it('keeps exactly the highest note of every onset, and no lower one', () => {
    fc.assert(
      fc.property(polyphonicNotes(), (notes) => {
        const line = reduceToMonophony(notes);
        const onsets = [...new Set(notes.map((x) => x.start))].sort((a, b) => a - b);
        expect(line.map((x) => x.start)).toEqual(onsets);
        for (const kept of line) {
          const top = Math.max(...notes.filter((x) => x.start === kept.start).map((x) => x.pitch));
          expect(kept.pitch).toBe(top);
        }
      }),
    );
  });

  it('leaves a monophonic line unchanged', () => {
    fc.assert(
      fc.property(monophonicNotes(), (notes) => {
        expect(reduceToMonophony(notes)).toEqual(notes);
      }),
    );
  });
});
