import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeEvents,
  encodeMelody,
  EVENT_CLASSES,
  eventClassCount,
  eventToPitch,
  MODEL_PITCH_RANGE,
  NO_EVENT,
  NOTE_OFF,
  pitchToEvent,
} from '../../../src-core/model/melody-events.ts';
import { makeMelody, parseNotes, type Melody, type Note } from '../../../src-core/music/melody.ts';

const events = (text: string, length?: number): number[] => {
  const result = encodeMelody(makeMelody({ notes: parseNotes(text), ...(length ? { length } : {}) }));
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};
const C4 = pitchToEvent(60);
const D4 = pitchToEvent(62);

describe('the basic_rnn event vocabulary', () => {
  it('has 38 classes for MIDI 48-83, like magenta.js MelodyConverter', () => {
    expect(EVENT_CLASSES).toBe(38);
    expect(eventClassCount({ minPitch: 48, maxPitch: 83 })).toBe(83 - 48 + 3);
  });

  it.each([
    [48, 2],
    [60, 14],
    [83, 37],
  ])('pitch %i is event %i and back', (pitch, event) => {
    expect(pitchToEvent(pitch)).toBe(event);
    expect(eventToPitch(event)).toBe(pitch);
  });

  it('has no pitch for no-event and note-off', () => {
    expect(eventToPitch(NO_EVENT)).toBeNull();
    expect(eventToPitch(NOTE_OFF)).toBeNull();
  });

  it('refuses pitches outside the range', () => {
    expect(() => pitchToEvent(47)).toThrow(RangeError);
    expect(() => pitchToEvent(84)).toThrow(RangeError);
  });
});

describe('encodeMelody', () => {
  it.each([
    ['legato notes: no note-off between them', 'C4/2 D4/2', undefined, [C4, 0, D4, 0]],
    ['a rest: note-off where the note ends', 'C4/2 r/2 D4/2', undefined, [C4, 0, 1, 0, D4, 0]],
    [
      'a note ending one step before the next still gets its note-off',
      'C4/1 r/1 D4/1',
      undefined,
      [C4, 1, D4],
    ],
    ['the last note lasting to the end: no note-off', 'C4/3', undefined, [C4, 0, 0]],
    ['the last note ending before the end: note-off, then nothing', 'C4/2', 4, [C4, 0, 1, 0]],
    ['a leading rest is no events', 'r/2 C4/1', undefined, [0, 0, C4]],
    ['repeated pitch: a new onset each time', 'C4/1 C4/1', undefined, [C4, C4]],
  ])('%s', (_, text, length, expected) => {
    expect(events(text, length)).toEqual(expected);
  });

  it('gives one event per step of the melody', () => {
    expect(events('C4/4 D4/4', 16)).toHaveLength(16);
  });

  it('fails with a message for notes outside the range', () => {
    const result = encodeMelody(makeMelody({ notes: parseNotes('C2 C4') }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('model/pitch-out-of-range');
      expect(result.error.message).toContain('C2');
    }
  });

  it('fails for overlapping notes', () => {
    const notes: Note[] = [
      { pitch: 60, start: 0, end: 4, velocity: 80 },
      { pitch: 62, start: 2, end: 6, velocity: 80 },
    ];
    const result = encodeMelody({ ...makeMelody({ notes: [] }), notes, length: 6 });
    expect(result.ok ? null : result.error.code).toBe('model/not-monophonic');
  });
});

describe('decodeEvents', () => {
  it('reads onsets, note-offs and the end of the events', () => {
    const m = decodeEvents([C4, 0, 1, 0, D4, 0]);
    expect(m.notes.map((n) => [n.pitch, n.start, n.end])).toEqual([
      [60, 0, 2],
      [62, 4, 6],
    ]);
    expect(m.length).toBe(6);
  });

  it('ignores a note-off with nothing sounding', () => {
    expect(decodeEvents([1, 1, C4]).notes.map((n) => [n.pitch, n.start, n.end])).toEqual([[60, 2, 3]]);
  });

  it('throws for a value that is not an event', () => {
    expect(() => decodeEvents([38])).toThrow(RangeError);
  });
});

/** Monophonic melodies within 48-83 on the grid, with some silence after the last note. */
const inRangeMelodies: fc.Arbitrary<Melody> = fc
  .record({
    items: fc.array(
      fc.record({
        gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 8 })),
        duration: fc.integer({ min: 1, max: 16 }),
        pitch: fc.integer({ min: MODEL_PITCH_RANGE.minPitch, max: MODEL_PITCH_RANGE.maxPitch }),
      }),
      { maxLength: 40 },
    ),
    extra: fc.integer({ min: 0, max: 8 }),
  })
  .map(({ items, extra }) => {
    let at = 0;
    const notes = items.map(({ gap, duration, pitch }) => {
      const start = at + gap;
      at = start + duration;
      return { pitch, start, end: at, velocity: 80 };
    });
    return makeMelody({ notes, length: at + extra });
  });

describe('decode(encode(m))', () => {
  it('gives back every note and the length', () => {
    fc.assert(
      fc.property(inRangeMelodies, (m) => {
        const encoded = encodeMelody(m);
        expect(encoded.ok).toBe(true);
        if (!encoded.ok) return;
        expect(encoded.value).toHaveLength(m.length);
        const back = decodeEvents(encoded.value);
        expect(back.notes).toEqual(m.notes);
        expect(back.length).toBe(m.length);
      }),
    );
  });

  it('encodes to events that only hold note-offs where a note ends with no new onset', () => {
    fc.assert(
      fc.property(inRangeMelodies, (m) => {
        const encoded = encodeMelody(m);
        if (!encoded.ok) return;
        const onsets = new Set(m.notes.map((n) => n.start));
        const ends = new Set(m.notes.map((n) => n.end));
        encoded.value.forEach((e, step) => {
          if (e === NOTE_OFF) {
            expect(ends.has(step)).toBe(true);
            expect(onsets.has(step)).toBe(false);
          }
        });
      }),
    );
  });
});
