/**
 * Random melodies for property tests: a few one-bar cells (a rhythm and scale steps)
 * placed bar after bar, each time starting on a random degree, so repeats, transpositions
 * and tonal sequences turn up as they do in real tunes. Only notes of the key are used
 * (harmonic minor in minor keys), in a declared key with its usual spelling.
 */
import fc from 'fast-check';
import { keyFromPitchClass } from '../../../src-core/music/key.ts';
import { makeMelody, type Melody, type Meter, type Mode, type Note } from '../../../src-core/music/melody.ts';

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const HARMONIC_MINOR = [0, 2, 3, 5, 7, 8, 11];

/** Rhythms of one bar, per meter, in steps (a negative value is a rest). */
const RHYTHMS: Readonly<Record<string, readonly (readonly number[])[]>> = {
  '4/4': [
    [4, 4, 4, 4],
    [6, 2, 4, 4],
    [2, 2, 4, 8],
    [4, 2, 2, 4, -4],
    [8, 8],
    [2, 2, 2, 2, 4, 4],
  ],
  '3/4': [[4, 4, 4], [8, 4], [6, 2, 4], [2, 2, 4, 4], [12]],
  '6/8': [
    [2, 2, 2, 2, 2, 2],
    [4, 2, 4, 2],
    [6, 6],
    [6, 4, 2],
    [2, 2, 2, 6],
  ],
};

export const METERS: readonly Meter[] = [
  { numerator: 4, denominator: 4 },
  { numerator: 3, denominator: 4 },
  { numerator: 6, denominator: 8 },
];

export interface MelodySpec {
  readonly tonic: number;
  readonly mode: Mode;
  readonly meter: Meter;
  readonly melody: Melody;
}

/** Pitch of scale degree `degree` (0 = tonic, may be negative or past 7) above MIDI `base`. */
function degreePitch(base: number, scale: readonly number[], degree: number): number {
  const octave = Math.floor(degree / 7);
  return base + 12 * octave + scale[((degree % 7) + 7) % 7]!;
}

export const melodySpec: fc.Arbitrary<MelodySpec> = fc
  .record({
    tonic: fc.integer({ min: 0, max: 11 }),
    mode: fc.constantFrom<Mode>('major', 'minor'),
    meterIndex: fc.integer({ min: 0, max: METERS.length - 1 }),
    cells: fc.array(
      fc.record({
        rhythm: fc.nat(),
        steps: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 6, maxLength: 6 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    bars: fc.array(fc.record({ cell: fc.nat(), degree: fc.integer({ min: -2, max: 9 }) }), {
      minLength: 2,
      maxLength: 12,
    }),
  })
  .map(({ tonic, mode, meterIndex, cells, bars }) => {
    const meter = METERS[meterIndex]!;
    const rhythms = RHYTHMS[`${meter.numerator}/${meter.denominator}`]!;
    const barSteps = (meter.numerator * 16) / meter.denominator;
    const scale = mode === 'major' ? MAJOR : HARMONIC_MINOR;
    const notes: Note[] = [];
    bars.forEach((bar, b) => {
      const cell = cells[bar.cell % cells.length]!;
      const rhythm = rhythms[cell.rhythm % rhythms.length]!;
      let at = b * barSteps;
      let degree = bar.degree;
      rhythm.forEach((value, k) => {
        const length = Math.abs(value);
        if (value > 0) {
          notes.push({
            pitch: degreePitch(60 + tonic, scale, degree),
            start: at,
            end: at + length,
            velocity: 80,
          });
          degree = Math.max(-7, Math.min(14, degree + cell.steps[k % cell.steps.length]!));
        }
        at += length;
      });
    });
    return {
      tonic,
      mode,
      meter,
      melody: makeMelody({
        notes,
        meter,
        key: keyFromPitchClass(tonic, mode),
        length: bars.length * barSteps,
      }),
    };
  });

/** The same melody `semitones` higher, in the transposed key with its usual spelling. */
export function transposeSpec(spec: MelodySpec, semitones: number): Melody {
  return makeMelody({
    notes: spec.melody.notes.map((n) => ({ ...n, pitch: n.pitch + semitones })),
    meter: spec.meter,
    key: keyFromPitchClass((((spec.tonic + semitones) % 12) + 12) % 12, spec.mode),
    length: spec.melody.length,
  });
}

/** The same melody `steps` later. */
export function shiftMelody(melody: Melody, steps: number): Melody {
  return makeMelody({
    notes: melody.notes.map((n) => ({ ...n, start: n.start + steps, end: n.end + steps })),
    meter: melody.meter,
    key: melody.key,
    length: melody.length + steps,
  });
}
