import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { INoteSequence } from '@magenta/music/esm/protobuf/index';
import {
  melodyToNoteSequence,
  noteSequenceToMelody,
  type NoteSequence,
} from '../../../src-core/model/note-sequence.ts';
import { reduceToMonophony } from '../../../src-core/midi/monophony.ts';
import { isMonophonic, makeMelody, parseNotes, type Melody } from '../../../src-core/music/melody.ts';
import { melodies, polyphonicNotes } from '../midi/arbitraries.ts';

// Compile-time checks: magenta's own type fits ours, and ours fits magenta's.
const fromMagenta = (ns: INoteSequence): NoteSequence => ns;
const toMagenta = (m: Melody): INoteSequence => melodyToNoteSequence(m);
void fromMagenta;
void toMagenta;

/** The same sequence without its grid: times in seconds only. */
function unquantize(ns: NoteSequence): NoteSequence {
  return {
    ...ns,
    quantizationInfo: null,
    totalQuantizedSteps: null,
    notes: (ns.notes ?? []).map(({ quantizedStartStep: _s, quantizedEndStep: _e, ...rest }) => rest),
  };
}

describe('melodyToNoteSequence', () => {
  it('fills in a quantized sequence at 4 steps per quarter', () => {
    const ns = melodyToNoteSequence(
      makeMelody({
        notes: parseNotes('D4/2 F#4/6'),
        tempo: 120,
        key: { tonic: 'Bb', mode: 'minor' },
        meter: { numerator: 3, denominator: 4 },
        title: 'T',
      }),
    );
    expect(ns).toEqual({
      notes: [
        {
          pitch: 62,
          velocity: 80,
          startTime: 0,
          endTime: 0.25,
          quantizedStartStep: 0,
          quantizedEndStep: 2,
          program: 0,
          isDrum: false,
        },
        {
          pitch: 66,
          velocity: 80,
          startTime: 0.25,
          endTime: 1,
          quantizedStartStep: 2,
          quantizedEndStep: 8,
          program: 0,
          isDrum: false,
        },
      ],
      quantizationInfo: { stepsPerQuarter: 4 },
      totalQuantizedSteps: 8,
      totalTime: 1,
      tempos: [{ time: 0, qpm: 120 }],
      timeSignatures: [{ time: 0, numerator: 3, denominator: 4 }],
      keySignatures: [{ time: 0, key: 10, mode: 1 }],
      sequenceMetadata: { title: 'T' },
    });
  });
});

describe('noteSequenceToMelody', () => {
  it('gives back the melody (quantized round trip)', () => {
    fc.assert(
      fc.property(melodies, (melody) => {
        expect(noteSequenceToMelody(melodyToNoteSequence(melody), { key: melody.key })).toEqual(melody);
      }),
      { numRuns: 300 },
    );
  });

  it('gives back the melody from seconds alone (unquantized round trip)', () => {
    fc.assert(
      fc.property(melodies, (melody) => {
        expect(noteSequenceToMelody(unquantize(melodyToNoteSequence(melody)), { key: melody.key })).toEqual(
          melody,
        );
      }),
      { numRuns: 300 },
    );
  });

  // [pitch class, mode, spelling chosen when nothing else is known]
  const keys: [number, number, string][] = [
    [2, 0, 'D major'],
    [6, 0, 'F# major'],
    [10, 0, 'Bb major'],
    [1, 0, 'Db major'],
    [9, 1, 'A minor'],
    [8, 1, 'G# minor'],
    [3, 1, 'Eb minor'],
  ];
  it.each(keys)('key %i mode %i reads as %s', (key, mode, name) => {
    const m = noteSequenceToMelody({ keySignatures: [{ time: 0, key, mode }] });
    expect(m.key && `${m.key.tonic} ${m.key.mode}`).toBe(name);
  });

  it('keeps the spelling of a default key with the same tonic, and uses defaults when the sequence is silent', () => {
    const gb = { tonic: 'Gb', mode: 'major' } as const;
    expect(noteSequenceToMelody({ keySignatures: [{ key: 6, mode: 0 }] }, { key: gb }).key).toEqual(gb);
    const m = noteSequenceToMelody(
      { notes: [] },
      { key: gb, tempo: 90, meter: { numerator: 6, denominator: 8 }, title: 'X' },
    );
    expect([m.key, m.tempo, m.meter, m.title]).toEqual([gb, 90, { numerator: 6, denominator: 8 }, 'X']);
  });

  it('rescales other grids to 4 steps per quarter and rounds seconds to the nearest step', () => {
    const eight = noteSequenceToMelody({
      quantizationInfo: { stepsPerQuarter: 8 },
      notes: [
        { pitch: 60, quantizedStartStep: 0, quantizedEndStep: 8 },
        { pitch: 62, quantizedStartStep: 8, quantizedEndStep: 9 },
      ],
    });
    expect(eight.notes.map((n) => [n.start, n.end])).toEqual([
      [0, 4],
      [4, 5],
    ]);
    const seconds = noteSequenceToMelody({
      tempos: [{ time: 0, qpm: 60 }],
      notes: [{ pitch: 60, startTime: 0.01, endTime: 0.49, velocity: 100 }],
      totalTime: 2,
    });
    expect(seconds.notes).toEqual([{ pitch: 60, start: 0, end: 2, velocity: 100 }]);
    expect([seconds.tempo, seconds.length]).toEqual([60, 8]);
  });

  it('leaves out drums and fills in a missing velocity', () => {
    const m = noteSequenceToMelody({
      quantizationInfo: { stepsPerQuarter: 4 },
      notes: [
        { pitch: 36, quantizedStartStep: 0, quantizedEndStep: 4, isDrum: true, velocity: 100 },
        { pitch: 60, quantizedStartStep: 0, quantizedEndStep: 4 },
      ],
    });
    expect(m.notes).toEqual([{ pitch: 60, start: 0, end: 4, velocity: 80 }]);
  });

  it('reduces polyphony by the same rule as MIDI import', () => {
    fc.assert(
      fc.property(polyphonicNotes(), (notes) => {
        const m = noteSequenceToMelody({
          quantizationInfo: { stepsPerQuarter: 4 },
          notes: notes.map((n) => ({
            pitch: n.pitch,
            velocity: n.velocity,
            quantizedStartStep: n.start,
            quantizedEndStep: n.end,
          })),
        });
        expect(isMonophonic(m.notes)).toBe(true);
        expect(m.notes).toEqual(reduceToMonophony(notes));
      }),
    );
  });
});
