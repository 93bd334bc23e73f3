import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeMelody } from '../../../src-core/analysis/analyze.ts';
import { makeContext } from '../../../src-core/analysis/context.ts';
import {
  findMotifs,
  findMotifsExhaustive,
  listCandidateWindows,
  type Motif,
} from '../../../src-core/analysis/motifs.ts';
import { makeMelody, type Melody, type Note } from '../../../src-core/music/melody.ts';
import { makeBenchMelody } from '../../../scripts/bench/analyze.ts';
import { melodySpec, shiftMelody, transposeSpec } from './arbitraries.ts';
import * as tunes from './melodies.ts';
import {
  AABA,
  INVERSION,
  MINOR_JIG,
  REAL_SEQUENCE,
  RHYTHM_ONLY,
  ROUND,
  TONAL_SEQUENCE,
  tune,
} from './melodies.ts';
import { establishment, motifsToPatterns, occurrence, patternFromRuns, type Pattern } from './mirex.ts';

const motifsOf = (m: Melody, options = {}): Motif[] => findMotifs(makeContext(m), options);

/** A motif in short: [length, [[start, relation, transposition], ...]]. */
function brief(m: Motif): [number, [number, string, number][]] {
  return [m.length, m.occurrences.map((o) => [o.start, o.relation, o.transposition])];
}

describe('findMotifs on hand-checked melodies', () => {
  it('the round: each 2-bar phrase sung twice is a motif with an exact repeat', () => {
    const motifs = motifsOf(ROUND);
    expect(motifs.map(brief)).toEqual([
      [
        8,
        [
          [12, 'exact', 0],
          [20, 'exact', 0],
        ],
      ], // C5 C5 B4 A4 | B4 A4 G4 D4
      [
        7,
        [
          [28, 'exact', 0],
          [35, 'exact', 0],
        ],
      ], // G4 A4 B4 C5 D5 D4 | G4
      [
        6,
        [
          [0, 'exact', 0],
          [6, 'exact', 0],
        ],
      ], // G4 B4 A4 G4 | D5 B4
    ]);
    expect(motifs.map((m) => m.label)).toEqual(['x', 'y', 'z']);
    expect(motifs[0]!.coverage).toBeCloseTo(16 / 42);
  });

  it('an exact sequence: the motif a perfect fourth higher each time, back to back', () => {
    const [motif, ...rest] = motifsOf(REAL_SEQUENCE);
    expect(rest).toEqual([]);
    expect(brief(motif!)).toEqual([
      4,
      [
        [0, 'exact', 0],
        [4, 'transposed', 5],
        [8, 'transposed', 10],
      ],
    ]);
    expect(motif!.occurrences.map((o) => o.follows)).toEqual([false, true, true]);
    expect(motif!.occurrences.map((o) => o.degrees)).toEqual([0, 3, 6]);
    expect(motif!.sequence).toBe('real');
    expect(motif!.intervals).toEqual([2, 2, -4]);
    expect(motif!.rhythm).toEqual([0, 2, 4, 8]);
    expect(motif!.span).toBe(16);
    expect(motif!.kind).toBe('melodic');
  });

  it('a tonal sequence: a step lower each time, interval qualities changing', () => {
    const [motif, ...rest] = motifsOf(TONAL_SEQUENCE);
    expect(rest).toEqual([]);
    expect(brief(motif!)).toEqual([
      4,
      [
        [0, 'exact', 0],
        [4, 'tonal', -2],
        [8, 'tonal', -4],
      ],
    ]);
    expect(motif!.occurrences.map((o) => o.degrees)).toEqual([0, -1, -2]);
    expect(motif!.sequence).toBe('tonal');
  });

  it('an inversion: bars 3-4 mirror bars 1-2 step for step', () => {
    expect(motifsOf(INVERSION).map(brief)).toEqual([
      [
        7,
        [
          [0, 'exact', 0],
          [7, 'inverted', -5],
        ],
      ],
    ]);
  });

  it('a rhythm-only repeat: bar 1 rhythm on other notes in bar 3', () => {
    const motifs = motifsOf(RHYTHM_ONLY);
    expect(motifs.map(brief)).toEqual([
      [
        5,
        [
          [0, 'exact', 0],
          [7, 'rhythm', 9],
        ],
      ],
    ]);
    expect(motifs[0]!.kind).toBe('rhythmic');
    expect(motifsOf(RHYTHM_ONLY, { rhythm: false })).toEqual([]);
  });

  it('the minor jig: the repeated opening, a falling figure moved along the scale, a turn', () => {
    expect(motifsOf(MINOR_JIG).map(brief)).toEqual([
      // Bars 1-2 come back as bars 5-6.
      [
        10,
        [
          [0, 'exact', 0],
          [19, 'exact', 0],
        ],
      ],
      // B4 C5 B4 A4 G4, then A4 B4 A4 G4 F#4 (a step lower on the staff), and F#4 G4 F#4 E4 D#4.
      [
        5,
        [
          [4, 'exact', 0],
          [11, 'tonal', -2],
          [23, 'exact', 0],
          [30, 'tonal', -5],
        ],
      ],
      // The turn A4 G4 F#4 G4, a minor third lower as F#4 E4 D#4 E4; its rhythm in bars 5 and 6.
      [
        4,
        [
          [7, 'exact', 0],
          [15, 'transposed', -3],
          [21, 'rhythm', 2],
          [26, 'rhythm', 0],
        ],
      ],
    ]);
  });

  it('the AABA tune: the opening figure, its exact returns and its mirror image in bar 3', () => {
    // D4 E4 F#4 D4 (up, up, down a third); G4 F#4 E4 G4 (down, down, up a third).
    expect(motifsOf(AABA).map(brief)).toEqual([
      [
        4,
        [
          [0, 'exact', 0],
          [6, 'inverted', 5],
          [11, 'exact', 0],
          [33, 'exact', 0],
          [39, 'inverted', 5],
        ],
      ],
    ]);
  });
});

describe('what does not count as a motif', () => {
  it('scale fragments in even notes scattered through a melody', () => {
    // C D E and, two bars later, G A B: the same three rising steps, but apart.
    expect(motifsOf(tune(['C4 D4 E4 A4', 'G4 B4 G4 F4', 'G4 A4 B4 E4', 'C5/16']))).toEqual([]);
  });

  it('a 3-note figure at another place in the scale, unless back to back', () => {
    // E G F (up a third, down a step) returns as A C B: only a tonal match, and apart.
    expect(motifsOf(tune(['E4 G4 F4 C4', 'D4/8 B3/8', 'A4 C5 B4 A4', 'C5/16']))).toEqual([]);
    // With a fourth note that also follows the pattern, it is a motif.
    expect(motifsOf(tune(['E4 G4 F4 D4', 'C4/8 B3/8', 'A4 C5 B4 G4', 'C5/16'])).map(brief)).toEqual([
      [
        4,
        [
          [0, 'exact', 0],
          [6, 'tonal', 5],
        ],
      ],
    ]);
    // The same figure rising back to back is a sequence.
    const sequence = motifsOf(tune(['C4/2 E4/2 D4/4 D4/2 F4/2 E4/4', 'E4/2 G4/2 F4/4 C4/4', 'C4/16']));
    expect(sequence.map(brief)).toEqual([
      [
        3,
        [
          [0, 'exact', 0],
          [3, 'tonal', 2],
          [6, 'tonal', 4],
        ],
      ],
    ]);
    expect(sequence[0]!.sequence).toBe('tonal');
  });

  it('a falling scale is not heard as an inversion of a rising one', () => {
    const motifs = motifsOf(tune(['C4/2 D4/2 E4/2 F4/2 G4/8', 'G4/2 F4/2 E4/2 D4/2 C4/8']));
    expect(motifs.flatMap((m) => m.occurrences.map((o) => o.relation))).not.toContain('inverted');
  });

  it('nothing in a melody too short for two 3-note occurrences, or without repeats', () => {
    expect(motifsOf(tune(['C4 D4 E4 F4']))).toEqual([]);
    expect(motifsOf(makeMelody({ notes: [] }))).toEqual([]);
    expect(motifsOf(tune(['C4 E4 D4 G4', 'F4/2 A4/2 B4/8', 'C5/6 G4/2 D4/8']))).toEqual([]);
  });

  it('respects maxMotifs and maxBars', () => {
    expect(motifsOf(ROUND, { maxMotifs: 2 })).toHaveLength(2);
    // With motifs limited to one bar, the 2-bar phrases are cut at the first bar.
    expect(motifsOf(ROUND, { maxBars: 1 }).every((m) => m.span <= 2 * 16)).toBe(true);
  });
});

describe('MIREX measures against patterns marked by hand', () => {
  const cases: [string, Melody, Pattern[]][] = [
    [
      'round',
      ROUND,
      [
        patternFromRuns(ROUND, [
          [0, 6],
          [6, 6],
        ]),
        patternFromRuns(ROUND, [
          [12, 8],
          [20, 8],
        ]),
        patternFromRuns(ROUND, [
          [28, 7],
          [35, 7],
        ]),
      ],
    ],
    [
      'real sequence',
      REAL_SEQUENCE,
      [
        patternFromRuns(REAL_SEQUENCE, [
          [0, 4],
          [4, 4],
          [8, 4],
        ]),
      ],
    ],
    [
      'tonal sequence',
      TONAL_SEQUENCE,
      [
        patternFromRuns(TONAL_SEQUENCE, [
          [0, 4],
          [4, 4],
          [8, 4],
        ]),
      ],
    ],
    [
      'inversion',
      INVERSION,
      [
        patternFromRuns(INVERSION, [
          [0, 7],
          [7, 7],
        ]),
      ],
    ],
    [
      'minor jig',
      MINOR_JIG,
      [
        patternFromRuns(MINOR_JIG, [
          [0, 10],
          [19, 10],
        ]),
        patternFromRuns(MINOR_JIG, [
          [4, 5],
          [11, 5],
          [23, 5],
          [30, 5],
        ]),
        patternFromRuns(MINOR_JIG, [
          [7, 4],
          [15, 4],
        ]),
      ],
    ],
  ];

  it.each(cases)('%s: every marked pattern and occurrence found, nothing else', (_, melody, reference) => {
    const found = motifsToPatterns(melody, motifsOf(melody));
    expect(establishment(reference, found)).toMatchObject({ precision: 1, recall: 1 });
    expect(occurrence(reference, found, 0.75)).toMatchObject({ precision: 1, recall: 1 });
  });

  it('finds a distinctive motif planted three times in random filler', () => {
    // Filler: eighths and quarters on the C major scale. Motif: five notes in a dotted
    // rhythm the filler never uses, with a leap and a turn, each time transposed.
    const filler = fc.array(fc.record({ degree: fc.integer({ min: 0, max: 10 }), long: fc.boolean() }), {
      minLength: 24,
      maxLength: 24,
    });
    const motif = fc.record({
      steps: fc.tuple(
        fc.integer({ min: 5, max: 9 }),
        fc.integer({ min: -4, max: -1 }),
        fc.integer({ min: -3, max: 3 }),
        fc.integer({ min: -2, max: 2 }),
      ),
      shifts: fc.tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -5, max: 5 })),
    });
    fc.assert(
      fc.property(filler, motif, (fill, { steps, shifts }) => {
        const scale = [0, 2, 4, 5, 7, 9, 11];
        const notes: Note[] = [];
        const runs: [number, number][] = [];
        let at = 0;
        let f = 0;
        const plant = (base: number): void => {
          runs.push([notes.length, 5]);
          const rhythm = [6, 2, 2, 2, 4];
          let pitch = base;
          rhythm.forEach((d, k) => {
            notes.push({ pitch, start: at, end: at + d, velocity: 80 });
            at += d;
            pitch += steps[k] ?? 0;
          });
        };
        const fillBar = (): void => {
          const end = at + 16;
          while (at < end) {
            const { degree, long } = fill[f++ % fill.length]!;
            const d = long && end - at >= 4 ? 4 : 2;
            notes.push({
              pitch: 60 + 12 * Math.floor(degree / 7) + scale[degree % 7]!,
              start: at,
              end: at + d,
              velocity: 80,
            });
            at += d;
          }
        };
        plant(67);
        fillBar();
        fillBar();
        plant(67 + shifts[0]);
        fillBar();
        plant(67 + shifts[1]);
        fillBar();
        const melody = makeMelody({ notes, key: { tonic: 'C', mode: 'major' } });
        const found = motifsToPatterns(melody, motifsOf(melody));
        const reference = [patternFromRuns(melody, runs)];
        return (
          establishment(reference, found).recall >= 0.75 && occurrence(reference, found, 0.75).recall >= 0.75
        );
      }),
      { seed: 20240611, numRuns: 200 },
    );
  });
});

describe('motifs under transposition and time shifts', () => {
  it('transposing a melody (and its key) changes no motif, only the pitches they stand on', () => {
    fc.assert(
      fc.property(melodySpec, fc.integer({ min: -11, max: 11 }), (spec, t) => {
        // Read in the declared key: a key read from the notes moves with them too (analyze.test.ts),
        // but a note outside it may be respelled on a plainer letter in one key and not another.
        const moved = transposeSpec(spec, t);
        const before = analyzeMelody(spec.melody, { key: spec.melody.key! }).motifs;
        const after = analyzeMelody(moved, { key: moved.key! }).motifs;
        expect(after).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });

  it('shifting a melody by whole bars shifts every occurrence and changes nothing else', () => {
    fc.assert(
      fc.property(melodySpec, fc.integer({ min: 1, max: 3 }), (spec, k) => {
        const shift = k * makeContext(spec.melody).barSteps;
        const before = analyzeMelody(spec.melody).motifs;
        const after = analyzeMelody(shiftMelody(spec.melody, shift)).motifs;
        expect(after).toEqual(
          before.map((m) => ({
            ...m,
            occurrences: m.occurrences.map((o) => ({ ...o, onset: o.onset + shift })),
          })),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('without rhythm-only matching, any time shift (not just whole bars) only moves the onsets', () => {
    fc.assert(
      fc.property(melodySpec, fc.integer({ min: 1, max: 40 }), (spec, shift) => {
        // In the declared key: a shift off the bar line moves notes on and off the downbeats,
        // which the key finder weighs, so a key read from the notes may change with it.
        const inKey = (m: Melody) => findMotifs(makeContext(m, { key: spec.melody.key! }), { rhythm: false });
        const before = inKey(spec.melody);
        const after = inKey(shiftMelody(spec.melody, shift));
        expect(after).toEqual(
          before.map((m) => ({
            ...m,
            occurrences: m.occurrences.map((o) => ({ ...o, onset: o.onset + shift })),
          })),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic: the same melody built again gives the same motifs', () => {
    const melody = tune(['C4 D4 E4 C4', 'C4 D4 E4 C4', 'E4 F4 G4/8', 'E4 F4 G4/8']);
    const copy = makeMelody({
      notes: melody.notes.map((n) => ({ ...n })),
      meter: melody.meter,
      length: melody.length,
    });
    expect(motifsOf(copy)).toEqual(motifsOf(melody));
    // E F G (a half note) in bars 3 and 4 is heard only twice: a repeated bar, not a motif.
    expect(motifsOf(melody).map(brief)).toEqual([
      [
        4,
        [
          [0, 'exact', 0],
          [4, 'exact', 0],
        ],
      ],
    ]);
    expect(analyzeMelody(melody).barRepeats).toContainEqual({
      bar: 3,
      of: 2,
      relation: 'exact',
      transposition: 0,
    });
  });
});

describe('the keyed search finds exactly what comparing every pair of notes finds', () => {
  const options = fc.record({
    maxBars: fc.integer({ min: 1, max: 4 }),
    inversions: fc.boolean(),
    rhythm: fc.boolean(),
    maxMotifs: fc.integer({ min: 1, max: 40 }),
  });
  /** Notes from a few pitches and lengths, so steps repeat by chance everywhere. */
  const fewSteps = fc
    .array(
      fc.record({
        pitch: fc.integer({ min: 60, max: 64 }),
        length: fc.constantFrom(2, 4, 6),
        detached: fc.boolean(),
      }),
      { minLength: 6, maxLength: 160 },
    )
    .map((cells) => {
      let at = 0;
      const notes = cells.map(({ pitch, length, detached }) => {
        const note = { pitch, start: at, end: at + length - (detached ? 1 : 0), velocity: 80 };
        at += length;
        return note;
      });
      return makeMelody({ notes });
    });
  const same = (melody: Melody, opts: object): void => {
    const ctx = makeContext(melody);
    // The same candidate windows in the same order (which decides ties), and so the same motifs.
    expect(listCandidateWindows(ctx, opts)).toEqual(listCandidateWindows(ctx, opts, true));
    expect(findMotifs(ctx, opts)).toEqual(findMotifsExhaustive(ctx, opts));
  };

  it('on the hand-checked tunes, with each option', () => {
    const melodies = Object.values(tunes).filter((t): t is Melody => typeof t === 'object' && 'notes' in t);
    expect(melodies.length).toBeGreaterThan(5);
    for (const melody of melodies) {
      for (const opts of [{}, { maxBars: 1 }, { maxBars: 4 }, { inversions: false }, { rhythm: false }]) {
        same(melody, { ...opts, maxMotifs: 40 });
      }
    }
  });

  it('on random tunes, with any options', () => {
    fc.assert(
      fc.property(melodySpec, options, (spec, opts) => same(spec.melody, opts)),
      { seed: 20260105, numRuns: 150 },
    );
  });

  it('on melodies of a few pitches and lengths, up to 160 notes', () => {
    fc.assert(
      fc.property(fewSteps, options, (melody, opts) => same(melody, opts)),
      { seed: 20260106, numRuns: 40 },
    );
  });

  it('on long tunes (64 bars, about 240 notes) and on repeated notes and scales', () => {
    for (const seed of [1, 2]) same(makeBenchMelody(64, seed), { maxMotifs: 40 });
    const line = (pitch: (i: number) => number): Melody =>
      makeMelody({
        notes: Array.from({ length: 150 }, (_, i) => ({
          pitch: pitch(i),
          start: 2 * i,
          end: 2 * i + 2,
          velocity: 80,
        })),
      });
    same(
      line(() => 60),
      {},
    );
    same(
      line((i) => 48 + (i % 24)),
      {},
    );
    same(
      line((i) => 60 + Math.abs((i % 8) - 4)),
      { maxBars: 4 },
    );
  });
});
