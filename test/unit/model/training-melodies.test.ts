import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  extractTrainingMelodies,
  foldIntoRange,
  MAGENTA_EXTRACTOR,
  normalizeTrainingMelody,
} from '../../../src-core/model/training-melodies.ts';
import { MODEL_PITCH_RANGE } from '../../../src-core/model/melody-events.ts';
import { makeMelody, parseNotes, type Meter, type Note } from '../../../src-core/music/melody.ts';

const FOUR_FOUR: Meter = { numerator: 4, denominator: 4 };

/** `bars` bars of quarter notes cycling through `pitches`, starting at step `from`. */
function quarters(bars: number, pitches: readonly number[], from = 0, meter = FOUR_FOUR): Note[] {
  const perBar = (meter.numerator * 4) / meter.denominator; // quarter notes in a bar
  return Array.from({ length: bars * perBar }, (_, i) => ({
    pitch: pitches[i % pitches.length]!,
    start: from + i * 4,
    end: from + i * 4 + 4,
    velocity: 80,
  }));
}
const SCALE = [60, 62, 64, 65, 67, 69, 71];

describe('extractTrainingMelodies (Magenta MelodyExtractor rules)', () => {
  it('keeps a 7-bar tune whole', () => {
    const tune = makeMelody({ notes: quarters(7, SCALE) });
    const { melodies, stats } = extractTrainingMelodies(tune);
    expect(melodies).toHaveLength(1);
    expect(melodies[0]!.length).toBe(7 * 16);
    expect(stats).toEqual({ found: 1, kept: 1, tooShort: 0, tooFewPitchClasses: 0, truncated: 0 });
  });

  it('drops a tune shorter than 7 bars', () => {
    const tune = makeMelody({ notes: quarters(6, SCALE) });
    const { melodies, stats } = extractTrainingMelodies(tune);
    expect(melodies).toHaveLength(0);
    expect(stats.tooShort).toBe(1);
  });

  it('counts 7 bars in the tune’s own meter (3/4: 84 steps)', () => {
    const meter = { numerator: 3, denominator: 4 };
    const seven = extractTrainingMelodies(makeMelody({ notes: quarters(7, SCALE, 0, meter), meter }));
    const six = extractTrainingMelodies(makeMelody({ notes: quarters(6, SCALE, 0, meter), meter }));
    expect(seven.melodies[0]?.length).toBe(84);
    expect(six.stats.tooShort).toBe(1);
  });

  it('drops melodies with fewer than 5 pitch classes, counting octaves once', () => {
    const four = extractTrainingMelodies(makeMelody({ notes: quarters(8, [60, 62, 64, 65, 72, 74]) }));
    expect(four.stats.tooFewPitchClasses).toBe(1);
    const five = extractTrainingMelodies(makeMelody({ notes: quarters(8, [60, 62, 64, 65, 67]) }));
    expect(five.melodies).toHaveLength(1);
  });

  it('splits at a whole bar of silence, not at less', () => {
    const first = quarters(8, SCALE);
    const gapOfABar = quarters(8, SCALE, 8 * 16 + 16);
    const split = extractTrainingMelodies(makeMelody({ notes: [...first, ...gapOfABar] }));
    expect(split.melodies.map((m) => m.length)).toEqual([128, 128]);
    expect(split.melodies[1]!.notes[0]!.start).toBe(0);

    const gapOfLess = quarters(8, SCALE, 8 * 16 + 15);
    const whole = extractTrainingMelodies(makeMelody({ notes: [...first, ...gapOfLess] }));
    expect(whole.melodies).toHaveLength(1);
  });

  it('starts a melody at the bar line before its first note (a pickup keeps its rest)', () => {
    const notes = quarters(8, SCALE, 12); // first note on beat 4 of bar 1
    const { melodies } = extractTrainingMelodies(makeMelody({ notes }));
    expect(melodies[0]!.notes[0]!.start).toBe(12);
  });

  it('truncates a melody longer than 512 steps to 512 (Magenta truncates, it does not split)', () => {
    const notes = [
      ...quarters(31, SCALE),
      { pitch: 72, start: 31 * 16, end: 31 * 16 + 32, velocity: 80 }, // sounds across step 512
      ...quarters(4, SCALE, 33 * 16),
    ];
    const { melodies, stats } = extractTrainingMelodies(makeMelody({ notes }));
    expect(melodies).toHaveLength(1);
    expect(stats.truncated).toBe(1);
    expect(melodies[0]!.length).toBe(512);
    expect(melodies[0]!.notes.at(-1)).toMatchObject({ pitch: 72, end: 512 });
    expect(melodies[0]!.notes.every((n) => n.end <= 512)).toBe(true);
  });

  it('uses Magenta’s defaults', () => {
    expect(MAGENTA_EXTRACTOR).toEqual({ minBars: 7, maxSteps: 512, minPitchClasses: 5, gapBars: 1 });
  });
});

describe('normalizeTrainingMelody', () => {
  it.each([
    [
      'D major to C major',
      'D4 E4 F#4 G4 A4 B4 C#5 D5',
      { tonic: 'D', mode: 'major' },
      { tonic: 'C', mode: 'major' },
    ],
    [
      'E minor to A minor',
      'E4 F#4 G4 A4 B4 C5 D#5 E5 B4 G4 E4',
      { tonic: 'E', mode: 'minor' },
      { tonic: 'A', mode: 'minor' },
    ],
    [
      'C major stays',
      'C4 D4 E4 F4 G4 A4 B4 C5',
      { tonic: 'C', mode: 'major' },
      { tonic: 'C', mode: 'major' },
    ],
  ])('%s', (_, text, estimated, key) => {
    const result = normalizeTrainingMelody(makeMelody({ notes: parseNotes(text) }));
    expect(result.estimatedKey).toEqual(estimated);
    expect(result.melody.key).toEqual(key);
    const pcs = new Set(result.melody.notes.map((n) => n.pitch % 12));
    for (const pc of pcs) expect([0, 2, 4, 5, 7, 9, 11, 8]).toContain(pc); // C major scale (+ G# leading tone of A minor)
  });

  it('moves a melody by whole octaves into the middle of 48-83', () => {
    const low = normalizeTrainingMelody(makeMelody({ notes: parseNotes('C2 D2 E2 F2 G2 A2 B2 C3') }));
    expect(low.shift % 12).toBe(0);
    expect(Math.min(...low.melody.notes.map((n) => n.pitch))).toBeGreaterThanOrEqual(48);
    expect(low.folded).toBe(0);
  });

  it('keeps every note in 48-83, folding outliers by octaves, keeping rhythm and pitch classes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ pitch: fc.integer({ min: 21, max: 108 }), duration: fc.integer({ min: 1, max: 8 }) }),
          { minLength: 1, maxLength: 30 },
        ),
        (items) => {
          let at = 0;
          const notes = items.map(({ pitch, duration }) => {
            const n = { pitch, start: at, end: at + duration, velocity: 80 };
            at += duration;
            return n;
          });
          const { melody, shift } = normalizeTrainingMelody(makeMelody({ notes }));
          melody.notes.forEach((n, i) => {
            expect(n.pitch).toBeGreaterThanOrEqual(MODEL_PITCH_RANGE.minPitch);
            expect(n.pitch).toBeLessThanOrEqual(MODEL_PITCH_RANGE.maxPitch);
            expect((((n.pitch - notes[i]!.pitch - shift) % 12) + 12) % 12).toBe(0);
            expect([n.start, n.end]).toEqual([notes[i]!.start, notes[i]!.end]);
          });
        },
      ),
    );
  });
});

describe('foldIntoRange', () => {
  it.each([
    [47, 59],
    [36, 48],
    [84, 72],
    [95, 83],
    [60, 60],
  ])('%i -> %i', (pitch, folded) => {
    expect(foldIntoRange(pitch)).toBe(folded);
  });
});
