import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeMelody, type Analysis } from '../../../src-core/analysis/analyze.ts';
import { makeContext } from '../../../src-core/analysis/context.ts';
import { makeMelody, parseNotes, type Melody } from '../../../src-core/music/melody.ts';
import { tonicPitchClass } from '../../../src-core/music/key.ts';
import { buildScore } from '../../../src-core/score/build-score.ts';
import { FIXTURES } from '../../fixtures/midi/definitions.ts';
import { melodySpec, shiftMelody, transposeSpec } from './arbitraries.ts';
import * as melodies from './melodies.ts';

const TEST_MELODIES: [string, Melody][] = Object.entries(melodies).filter(
  (e): e is [string, Melody] => typeof e[1] === 'object' && e[1] !== null && 'notes' in e[1],
);

describe('the key, shared with the score', () => {
  it.each([
    ['ROUND', 'G major'],
    ['REAL_SEQUENCE', 'C major'],
    ['TONAL_SEQUENCE', 'C major'],
    ['AABA', 'D major'],
    ['MINOR_WALTZ', 'D minor'],
    ['MINOR_JIG', 'E minor'],
    ['INVERSION', 'C major'],
    ['RHYTHM_ONLY', 'C major'],
  ])('%s is estimated to be in %s', (name, key) => {
    const a = analyzeMelody(TEST_MELODIES.find(([n]) => n === name)![1]);
    expect(a.key).toMatchObject({ name: key, source: 'estimated' });
    expect(a.key.candidates[0]!.key).toEqual({ tonic: a.key.tonic, mode: a.key.mode });
  });

  it.each([...TEST_MELODIES, ...FIXTURES.map((f): [string, Melody] => [f.file, f.expected.melody])])(
    '%s: every note is spelled as the score writes it, in the score key',
    (_, melody) => {
      const a = analyzeMelody(melody);
      const score = buildScore(melody);
      expect(score.keySignature.key).toEqual({ tonic: a.key.tonic, mode: a.key.mode });
      for (const measure of score.measures) {
        for (const e of measure.events) {
          if (e.kind === 'note') expect(e.pitch).toEqual(a.notes[e.noteIndex!]!.spelled);
        }
      }
    },
  );

  it('uses a given key, then a declared one, and says which', () => {
    const notes = parseNotes('A4 C5 E5 C5 B4 G#4 A4/8');
    expect(analyzeMelody(makeMelody({ notes })).key).toMatchObject({ name: 'A minor', source: 'estimated' });
    // Stored with C major's signature (as MIDI files often store a minor tune), read in A minor:
    // the raised 7th is G#, not Ab, and the reading says where the signature came from.
    const declared = makeMelody({ notes, key: { tonic: 'C', mode: 'major' } });
    expect(analyzeMelody(declared).key).toMatchObject({
      name: 'A minor',
      source: 'signature',
      declared: { tonic: 'C', mode: 'major' },
      explanation: "A minor; the file's key signature is that of C major",
    });
    expect(analyzeMelody(declared).notes[5]!.name).toBe('G#4');
    const major = makeMelody({
      notes: parseNotes('C4 E4 G4 F4 D4 B3 C4/8'),
      key: { tonic: 'C', mode: 'major' },
    });
    expect(analyzeMelody(major).key).toMatchObject({ name: 'C major', source: 'declared' });
    // A given key wins: in C major the raised note is written Ab, so B-G# becomes B-Ab.
    const given = analyzeMelody(declared, { key: { tonic: 'C', mode: 'major' } });
    expect(given.key).toMatchObject({ name: 'C major', source: 'given' });
    expect(given.notes[5]!.name).toBe('Ab4');
    // A key past seven sharps is respelled, as the score does.
    expect(analyzeMelody(declared, { key: { tonic: 'G#', mode: 'major' } }).key.tonic).toBe('Ab');
  });
});

describe('analyzeMelody', () => {
  it('gives the contour of the whole melody and of each phrase', () => {
    const get = (name: string) => analyzeMelody(TEST_MELODIES.find(([n]) => n === name)![1]);
    expect(get('REAL_SEQUENCE').contour).toMatchObject({ shape: 'arch', climax: 10, climaxIsUnique: true });
    expect(get('REAL_SEQUENCE').contour.parsons).toBe('*UUDUUUDUUUDDDD');
    expect(get('TONAL_SEQUENCE').contour.shape).toBe('descending');
    expect(get('INVERSION').contour.shape).toBe('inverted-arch');
    expect(get('ROUND').phrases.map((p) => p.contour)).toEqual([
      'wave',
      'wave',
      'descending',
      'descending',
      'arch',
      'arch',
    ]);
  });

  it('numbers notes and bars from 0, and refers to notes by index everywhere', () => {
    const a = analyzeMelody(melodies.AABA);
    expect(a.notes[4]).toMatchObject({ index: 4, name: 'A4', bar: 1, start: 16, end: 24 });
    expect(a.bars).toBe(16);
    expect(a.intervals).toHaveLength(a.notes.length - 1);
    a.intervals.forEach((iv, i) => expect([iv.from, iv.to]).toEqual([i, i + 1]));
    for (const m of a.motifs) for (const o of m.occurrences) expect(o.notes[0]).toBe(o.start);
  });

  it('copes with an empty melody and with one note', () => {
    const empty = analyzeMelody(makeMelody({ notes: [] }));
    expect(empty).toMatchObject({
      form: '',
      phrases: [],
      motifs: [],
      intervals: [],
      notes: [],
      barRepeats: [],
    });
    expect(empty.contour.parsons).toBe('');
    expect(empty.key).toMatchObject({ name: 'C major', candidates: [] });
    expect(empty.restatement).toEqual({ notes: [], share: 0 });
    const one = analyzeMelody(makeMelody({ notes: parseNotes('E4') }));
    expect(one).toMatchObject({ form: 'A', contour: { parsons: '*', shape: 'level' } });
  });

  it('is plain data: a JSON round trip changes nothing', () => {
    const a = analyzeMelody(melodies.MINOR_JIG);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });
});

/** The analysis with everything that names or places pitches left out. */
function withoutPitches(a: Analysis): unknown {
  return {
    ...a,
    key: a.key.mode,
    notes: a.notes.map((n) => [n.start, n.end, n.bar]),
    contour: { ...a.contour, highest: a.contour.highest?.notes, lowest: a.contour.lowest?.notes },
  };
}

/** A shifted analysis moved back by `k` bars of `barSteps`. */
function shiftedBack(a: Analysis, k: number, barSteps: number): Analysis {
  const steps = k * barSteps;
  return {
    ...a,
    key: {
      ...a.key,
      regions: a.key.regions.map((r) => ({ ...r, firstBar: r.firstBar - k, lastBar: r.lastBar - k })),
    },
    bars: a.bars - k,
    notes: a.notes.map((n) => ({ ...n, start: n.start - steps, end: n.end - steps, bar: n.bar - k })),
    contour: a.contour,
    motifs: a.motifs.map((m) => ({
      ...m,
      occurrences: m.occurrences.map((o) => ({ ...o, onset: o.onset - steps })),
    })),
    phrases: a.phrases.map((p) => ({ ...p, firstBar: p.firstBar - k, lastBar: p.lastBar - k })),
    strains: a.strains.map((s) => ({ ...s, firstBar: s.firstBar - k, lastBar: s.lastBar - k })),
    barRepeats: a.barRepeats.map((r) => ({ ...r, bar: r.bar - k, of: r.of - k })),
  };
}

describe('properties of the whole analysis', () => {
  it('transposing a melody and its key changes only the pitches and the key', () => {
    fc.assert(
      fc.property(melodySpec, fc.integer({ min: -11, max: 11 }), (spec, t) => {
        // The key read moves with the melody: the same mode, its tonic moved by t.
        const moved = transposeSpec(spec, t);
        const read = analyzeMelody(spec.melody).key;
        const readMoved = analyzeMelody(moved).key;
        expect(readMoved.mode).toBe(read.mode);
        expect(tonicPitchClass(readMoved)).toBe((((tonicPitchClass(read) + t) % 12) + 12) % 12);
        // Spelled in the declared key, every finding is the same. (Read in another key of the
        // signature, a note outside it may be respelled on a plainer letter, e.g. Cb as B in Eb
        // major, which no transposition of that key does: interval names can then differ.)
        const before = analyzeMelody(spec.melody, { key: spec.melody.key! });
        const after = analyzeMelody(moved, { key: moved.key! });
        expect(withoutPitches(after)).toEqual(withoutPitches(before));
        expect(after.notes.map((n) => n.pitch)).toEqual(before.notes.map((n) => n.pitch + t));
        expect(after.intervals.map((i) => i.name)).toEqual(before.intervals.map((i) => i.name));
      }),
      { numRuns: 150 },
    );
  });

  it('shifting a melody by whole bars moves every finding by as much and changes nothing else', () => {
    fc.assert(
      fc.property(melodySpec, fc.integer({ min: 1, max: 3 }), (spec, k) => {
        const barSteps = makeContext(spec.melody).barSteps;
        const before = analyzeMelody(spec.melody);
        const after = analyzeMelody(shiftMelody(spec.melody, k * barSteps));
        expect(shiftedBack(after, k, barSteps)).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });

  it('every finding stays inside the melody', () => {
    fc.assert(
      fc.property(melodySpec, (spec) => {
        const a = analyzeMelody(spec.melody);
        const n = a.notes.length;
        const inside = (i: number) => Number.isInteger(i) && i >= 0 && i < n;
        for (const m of a.motifs) {
          expect(m.occurrences.length).toBeGreaterThanOrEqual(2);
          expect(m.length).toBeGreaterThanOrEqual(3);
          const used = new Set<number>();
          for (const o of m.occurrences) {
            for (const i of o.notes) {
              expect(inside(i)).toBe(true);
              expect(used.has(i)).toBe(false); // occurrences of one motif never share a note
              used.add(i);
            }
          }
        }
        // Phrases cover every note once, in order.
        expect(
          a.phrases.flatMap((p) =>
            Array.from({ length: p.lastNote - p.firstNote + 1 }, (_, j) => p.firstNote + j),
          ),
        ).toEqual(a.notes.map((x) => x.index));
        expect(a.form).toBe(a.phrases.map((p) => p.label).join(''));
        expect(a.restatement.share).toBeGreaterThanOrEqual(0);
        expect(a.restatement.share).toBeLessThanOrEqual(1);
      }),
      { numRuns: 150 },
    );
  });
});

describe('very long melodies', () => {
  it('analyses the first 5000 notes, looks for motifs in the first 1000, and says so', () => {
    const notes = Array.from({ length: 6000 }, (_, i) => ({
      pitch: 60 + ((i * 7) % 12),
      start: i * 2,
      end: i * 2 + 2,
      velocity: 80,
    }));
    const a = analyzeMelody(makeMelody({ notes }));
    expect(a.notes).toHaveLength(5000);
    expect(a.warnings).toEqual([
      'The melody has 6000 notes; only the first 5000 were analysed.',
      'Motifs were looked for in the first 1000 notes only.',
    ]);
    for (const m of a.motifs)
      for (const o of m.occurrences) expect(o.start + m.length).toBeLessThanOrEqual(1000);
    expect(analyzeMelody(melodies.ROUND).warnings).toEqual([]);
  });
});
