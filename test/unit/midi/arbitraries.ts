/** fast-check generators shared by the MIDI and NoteSequence tests. */
import fc from 'fast-check';
import { makeMelody, type Key, type Melody, type Meter, type Note } from '../../../src-core/music/melody.ts';

export const METERS: readonly Meter[] = [
  { numerator: 2, denominator: 4 },
  { numerator: 3, denominator: 4 },
  { numerator: 4, denominator: 4 },
  { numerator: 6, denominator: 8 },
  { numerator: 5, denominator: 4 },
  { numerator: 7, denominator: 8 },
  { numerator: 12, denominator: 8 },
  { numerator: 2, denominator: 2 },
  { numerator: 3, denominator: 16 },
];

/** Every key a MIDI key signature can name, with the spelling that signature implies. */
export const SIGNATURE_KEYS: readonly Key[] = [
  ...['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#'].map((tonic) => ({
    tonic,
    mode: 'major' as const,
  })),
  ...['Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#', 'G#', 'D#', 'A#'].map((tonic) => ({
    tonic,
    mode: 'minor' as const,
  })),
];

/** Notes one after another, with rests between some: a valid monophonic line. */
export const monophonicNotes = (maxLength = 40): fc.Arbitrary<Note[]> =>
  fc
    .array(
      fc.record({
        gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 8 })),
        duration: fc.integer({ min: 1, max: 16 }),
        pitch: fc.integer({ min: 0, max: 127 }),
        velocity: fc.integer({ min: 1, max: 127 }),
      }),
      { maxLength },
    )
    .map((items) => {
      let at = 0;
      return items.map(({ gap, duration, pitch, velocity }) => {
        const start = at + gap;
        at = start + duration;
        return { pitch, start, end: at, velocity };
      });
    });

/** Any notes at all, overlapping freely, on the grid. */
export const polyphonicNotes = (maxLength = 40): fc.Arbitrary<Note[]> =>
  fc.array(
    fc
      .record({
        start: fc.integer({ min: 0, max: 48 }),
        duration: fc.integer({ min: 1, max: 24 }),
        pitch: fc.integer({ min: 21, max: 108 }),
        velocity: fc.integer({ min: 1, max: 127 }),
      })
      .map(({ start, duration, pitch, velocity }) => ({ pitch, start, end: start + duration, velocity })),
    { maxLength },
  );

const title = fc
  .stringMatching(/^[A-Za-z0-9 éüßøÅ'’-]{0,24}$/)
  .map((s) => s.trim())
  .map((s) => (s === '' ? undefined : s));

/** A melody as Cantus makes them: monophonic, any meter, tempo to 2 decimals, maybe a key and title. */
export const melodies: fc.Arbitrary<Melody> = fc
  .record({
    notes: monophonicNotes(),
    meter: fc.constantFrom(...METERS),
    tempo: fc.integer({ min: 2000, max: 40000 }).map((t) => t / 100),
    key: fc.option(fc.constantFrom(...SIGNATURE_KEYS), { nil: null }),
    extra: fc.integer({ min: 0, max: 32 }),
    title,
  })
  .map(({ notes, meter, tempo, key, extra, title }) =>
    makeMelody({
      notes,
      meter,
      tempo,
      key,
      length: notes.reduce((m, n) => Math.max(m, n.end), 0) + extra,
      ...(title !== undefined ? { title } : {}),
    }),
  );
