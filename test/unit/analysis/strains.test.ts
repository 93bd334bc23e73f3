import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeMelody, type Analysis } from '../../../src-core/analysis/analyze.ts';
import { makeMelody, parseNotes, type Melody, type Meter } from '../../../src-core/music/melody.ts';
import { melodySpec, shiftMelody, transposeSpec, type MelodySpec } from './arbitraries.ts';
import { FOUR_FOUR, SIX_EIGHT, tune } from './melodies.ts';

/** Phrases in short: "label bars" with 1-based bars as on a score, e.g. "A' 5-8 pickup". */
const phrases = (a: Analysis): string[] =>
  a.phrases.map((p) => `${p.label} ${p.firstBar + 1}-${p.lastBar + 1}${p.pickup ? ' pickup' : ''}`);
/** Strains in short: "letter bars". */
const strains = (a: Analysis): string[] =>
  a.strains.map((s) => `${s.letter} ${s.firstBar + 1}-${s.lastBar + 1}`);

/**
 * A melody as a file made from notation without padding would hold it: the notes from step 0,
 * the opening upbeat included, so that every barline falls `pickup` steps after the file's.
 */
function unpadded(bars: readonly string[], meter: Meter): Melody {
  const notes = parseNotes(bars.join(' '));
  return makeMelody({ notes, meter, key: null, length: notes[notes.length - 1]!.end });
}

// A 4/4 tune with a two-eighth upbeat (padded with a rest, as notation software writes it).
const UPBEAT = 'r/12 A4/2 B4/2';
const PHRASE = ['C5 B4 A4 G4', 'F4/2 G4/2 A4 D4/8', 'G4 A4 B4 C5'];

describe('pickups', () => {
  it("a repeat of the first phrase that takes back its upbeat at the end of the phrase before is a repeat (A A, not A A')", () => {
    // The last bar of the first phrase ends with a held D5 and the upbeat again.
    const a = analyzeMelody(tune([UPBEAT, ...PHRASE, 'D5/12 A4/2 B4/2', ...PHRASE, 'D5/16']));
    expect(phrases(a)).toEqual(['A 2-5 pickup', 'A 6-9 pickup']);
    expect(a.phrases[1]).toMatchObject({ relation: 'exact', of: 0, similarity: 1, firstNote: 15 });
    expect(a.form).toBe('AA');
    expect(a.barOffset).toBe(0);
  });

  it('a repeat of the first phrase without its upbeat is still a repeat', () => {
    const a = analyzeMelody(tune([UPBEAT, ...PHRASE, 'D5/16', ...PHRASE, 'D5/16']));
    expect(phrases(a)).toEqual(['A 2-5 pickup', 'A 6-9']);
    expect(a.phrases[1]).toMatchObject({ relation: 'exact', of: 0 });
    // Every note of the repeat is shared, though the first phrase has two more.
    expect(a.phrases[1]!.sharedNotes).toHaveLength(a.phrases[1]!.lastNote - a.phrases[1]!.firstNote + 1);
  });

  it('hears the barlines of a file that starts on its upbeat without padding (as abc2midi writes)', () => {
    // A 6/8 jig with an eighth-note upbeat at step 0: the barlines are 2 steps after the file's.
    const a1 = ['G4/4 B4/2 D5/4 B4/2', 'C5/4 A4/2 F#4/4 A4/2', 'G4/4 B4/2 D5/4 G5/2', 'F#5/4 E5/2 D5/4 D4/2'];
    const a2 = ['G4/4 B4/2 D5/4 B4/2', 'C5/4 A4/2 F#4/4 A4/2', 'G4/2 A4/2 B4/2 A4/2 F#4/2 D4/2'];
    const a = analyzeMelody(
      unpadded(['D4/2', ...a1, ...a2, 'G4/6 G4/4 D4/2', ...a1, ...a2, 'G4/6 G4/6'], SIX_EIGHT),
    );
    expect(a.barOffset).toBe(2);
    expect(phrases(a)).toEqual(['A 1-4 pickup', "A' 5-8 pickup", 'A 9-12 pickup', "A' 13-16 pickup"]);
    expect(a.phrases.map((p) => p.relation)).toEqual(['new', 'varied', 'exact', 'exact']);
    expect(a.phrases[2]!.of).toBe(0);
  });
});

describe('phrase ends', () => {
  const spans = (a: Analysis) => a.phrases.map((p) => `${p.firstBar + 1}-${p.lastBar + 1}`);

  it('ends phrases at rests that fall off the 4-bar grid: 2 + 2 + 4 bars', () => {
    const a = analyzeMelody(
      tune([
        'C4 D4 E4 F4',
        'G4/8 r/8',
        'A4 G4 F4 E4',
        'D4/8 r/8',
        'C4 E4 G4 C5',
        'B4 A4 G4 F4',
        'E4 G4 F4 D4',
        'C4/16',
      ]),
    );
    expect(spans(a)).toEqual(['1-2', '3-4', '5-8']);
  });

  it('ends phrases at long notes when no rest says where: 4 + 4 bars of running quarters', () => {
    const a = analyzeMelody(
      tune([
        'E4 F4 G4 E4',
        'D4 E4 F4 D4',
        'C4 D4 E4 C4',
        'G4/16',
        'E4 F4 G4 E4',
        'D4 E4 F4 D4',
        'B3 C4 D4 B3',
        'C4/16',
      ]),
    );
    expect(spans(a)).toEqual(['1-4', '5-8']);
    expect(a.phrases[1]).toMatchObject({ label: "A'", relation: 'varied' });
  });

  it('ends a phrase at a rest of a beat after 3 bars of a waltz, rather than cutting at bar 4', () => {
    const three: Meter = { numerator: 3, denominator: 4 };
    const a = analyzeMelody(
      tune(
        ['D4 F4 A4', 'D5 C5 Bb4', 'A4/8 r', 'G4 Bb4 D5', 'C5 A4 F4', 'E4/8 r', 'F4 A4 C5', 'D5/12'],
        three,
      ),
    );
    expect(spans(a)).toEqual(['1-3', '4-6', '7-8']);
  });
});

// An 8-bar strain in two phrases (the second with a new ending), and another.
const A1 = ['D4 E4 F#4 D4', 'A4/8 F#4/8', 'G4 F#4 E4 G4', 'E4/8 r/8'];
const A2 = ['D4 E4 F#4 D4', 'A4/8 F#4/8', 'G4 B4 A4 C#5', 'D5/8 r/8'];
const B1 = ['A4 B4 A4 G4', 'F#4/8 D5/8', 'C#5 B4 A4 G4', 'A4/12 r'];
const B2 = ['A4 B4 A4 G4', 'F#4/8 D5/8', 'C#5 E5 D5 C#5', 'D5/12 r'];

describe('strains', () => {
  it("an AABB tune with 8-bar strains: strains AABB, phrases a a' and b b' within them", () => {
    const a = analyzeMelody(tune([...A1, ...A2, ...A1, ...A2, ...B1, ...B2, ...B1, ...B2], FOUR_FOUR));
    expect(a.form).toBe("AA'AA'BB'BB'");
    expect(a.strainForm).toBe('AABB');
    expect(strains(a)).toEqual(['A 1-8', 'A 9-16', 'B 17-24', 'B 25-32']);
    expect(a.formSummary).toBe("AABB; A = a a', B = b b'");
    expect(a.strains.map((s) => [s.relation, s.of, s.firstPhrase, s.lastPhrase])).toEqual([
      ['new', null, 0, 1],
      ['repeat', 0, 2, 3],
      ['new', null, 4, 5],
      ['repeat', 2, 6, 7],
    ]);
    expect(a.phrases.map((p) => p.strain)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });

  it('first and second endings: the second pass is the same strain, varied', () => {
    const ending = ['G4 F#4 E4 D4', 'D4/8 r/8'];
    const a = analyzeMelody(
      tune([...A1, ...A2, ...A1, ...A2.slice(0, 2), ...ending, ...B1, ...B2, ...B1, ...B2]),
    );
    expect(a.strainForm).toBe('AABB');
    expect(a.strains[1]).toMatchObject({ letter: 'A', relation: 'varied', of: 0, similarity: 6 / 8 });
    expect(a.formSummary).toBe("AABB; A = a a' or a a'', B = b b'");
  });

  it('a tune that never repeats is one strain', () => {
    const a = analyzeMelody(tune([...A1, ...B1]));
    expect(a.strainForm).toBe('A');
    expect(a.formSummary).toBe('A; A = a b');
    expect(analyzeMelody(makeMelody({ notes: [] }))).toMatchObject({
      strains: [],
      strainForm: '',
      formSummary: '',
    });
  });

  it('the 16-bar AABA tune: its first phrase, played again with a new ending, is a 4-bar strain played twice', () => {
    // As in folk tunes whose 4-bar strain has first and second endings; the rest is one strain.
    const a = analyzeMelody(tune([...A1, ...A2, ...B1, ...A1]));
    expect(a.form).toBe("AA'BA");
    expect(strains(a)).toEqual(['A 1-4', 'A 5-8', 'B 9-16']);
    expect(a.formSummary).toBe("AAB; A = a or a', B = b a");
  });
});

/** A melody from a spec, played twice, optionally after an unpadded upbeat of `pickup` steps. */
function playedTwice(spec: MelodySpec, pickup: number): Melody {
  const m = spec.melody;
  const first = pickup > 0 ? [{ ...m.notes[0]!, start: 0, end: pickup }] : [];
  const once = m.notes.map((n) => ({ ...n, start: n.start + pickup, end: n.end + pickup }));
  const twice = [...once, ...once.map((n) => ({ ...n, start: n.start + m.length, end: n.end + m.length }))];
  const notes = [...first, ...twice];
  return makeMelody({ notes, meter: m.meter, key: m.key, length: notes[notes.length - 1]!.end });
}

/** What the phrases and strains say, without pitches. */
const form = (a: Analysis) => ({
  phrases: a.phrases.map(({ contour: _, ...p }) => p),
  strains: a.strains,
  form: a.form,
  strainForm: a.strainForm,
  formSummary: a.formSummary,
  barOffset: a.barOffset,
});

describe('properties of phrases and strains', () => {
  const tunes = fc.tuple(melodySpec, fc.constantFrom(0, 0, 1, 2, 4));

  it('transposing a melody leaves its phrases, strains and form unchanged', () => {
    fc.assert(
      fc.property(tunes, fc.integer({ min: -11, max: 11 }), ([spec, pickup], t) => {
        const before = analyzeMelody(playedTwice(spec, pickup));
        const moved = { ...spec, melody: playedTwice(spec, pickup) };
        const after = analyzeMelody(transposeSpec(moved, t));
        expect(form(after)).toEqual(form(before));
      }),
      { numRuns: 100, seed: 10 },
    );
  });

  it('strains cover the phrases in order, their letters come in alphabetical order of first appearance', () => {
    fc.assert(
      fc.property(tunes, fc.integer({ min: 0, max: 2 }), ([spec, pickup], k) => {
        const melody = playedTwice(spec, pickup);
        const a = analyzeMelody(k === 0 ? melody : shiftMelody(melody, k * 16));
        expect(
          a.strains.flatMap((s) => a.phrases.slice(s.firstPhrase, s.lastPhrase + 1).map((p) => p.index)),
        ).toEqual(a.phrases.map((p) => p.index));
        a.strains.forEach((s) => {
          expect(s.firstNote).toBe(a.phrases[s.firstPhrase]!.firstNote);
          expect(s.lastNote).toBe(a.phrases[s.lastPhrase]!.lastNote);
          expect(s.phraseLabels).toEqual(
            a.phrases.slice(s.firstPhrase, s.lastPhrase + 1).map((p) => p.label.toLowerCase()),
          );
          if (s.of !== null) expect(a.strains[s.of]!.letter).toBe(s.letter);
        });
        const seen: string[] = [];
        for (const s of a.strains) if (!seen.includes(s.letter)) seen.push(s.letter);
        expect(seen).toEqual(seen.map((_, i) => String.fromCharCode(65 + i)));
        expect(a.strainForm).toBe(a.strains.map((s) => s.letter).join(''));
        expect(a.barOffset).toBeGreaterThanOrEqual(0);
        expect(a.barOffset).toBeLessThan(16);
      }),
      { numRuns: 100, seed: 11 },
    );
  });
});
