import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  barGrid,
  barsFromSignatures,
  countBars,
  melodyFromBar,
  meterAt,
  signaturesOfBars,
} from '../../../src-core/music/bars.ts';
import { makeMelody, parseNotes, type Meter } from '../../../src-core/music/melody.ts';

const m = (numerator: number, denominator: number): Meter => ({ numerator, denominator });
const SIX_EIGHT = m(6, 8);
const COMMON = m(4, 4);

describe('bar grid', () => {
  it('lays plain bars from step 0 and numbers them from 1', () => {
    const grid = barGrid(makeMelody({ notes: parseNotes('C4/16 D4/8'), meter: COMMON }));
    expect(grid.regular).toBe(true);
    expect(grid.bars.map((b) => [b.start, b.length, b.number])).toEqual([
      [0, 16, 1],
      [16, 16, 2],
    ]);
    expect(grid.barAt(17)).toBe(1);
    expect(grid.barAt(-3)).toBe(0);
  });

  it('puts a pickup in bar 0 at the end of a full bar of its meter', () => {
    // One eighth upbeat, then two bars of 6/8.
    const melody = makeMelody({ notes: parseNotes('A4/2 D5/12 E5/12'), meter: SIX_EIGHT, pickup: 2 });
    const grid = barGrid(melody);
    expect(grid.regular).toBe(false);
    expect(grid.bars.map((b) => [b.start, b.length, b.number, b.pickup, b.offset])).toEqual([
      [0, 2, 0, true, 10],
      [2, 12, 1, false, 0],
      [14, 12, 2, false, 0],
    ]);
    expect(grid.barAt(1)).toBe(0);
    expect(grid.barAt(2)).toBe(1);
    expect(grid.barAt(25)).toBe(2);
  });

  it('changes meter at a barline, and ends a bar early where a change falls inside it', () => {
    const melody = makeMelody({
      notes: parseNotes('C4/12 C4/12 C4/16 C4/16'),
      meter: SIX_EIGHT,
      meterChanges: [{ at: 24, meter: COMMON }],
    });
    expect(
      barGrid(melody).bars.map((b) => [b.start, b.length, `${b.meter.numerator}/${b.meter.denominator}`]),
    ).toEqual([
      [0, 12, '6/8'],
      [12, 12, '6/8'],
      [24, 16, '4/4'],
      [40, 16, '4/4'],
    ]);
    const odd = makeMelody({
      notes: parseNotes('C4/32'),
      meter: COMMON,
      meterChanges: [{ at: 10, meter: m(3, 4) }],
    });
    expect(barGrid(odd).bars.map((b) => [b.start, b.length])).toEqual([
      [0, 10],
      [10, 12],
      [22, 12],
    ]);
    expect(meterAt(odd, 9)).toEqual(COMMON);
    expect(meterAt(odd, 10)).toEqual(m(3, 4));
  });

  it('counts the bars it would lay out, for any pickup, changes and length', () => {
    const meter = fc.constantFrom(m(2, 4), m(3, 4), COMMON, SIX_EIGHT, m(3, 8), m(5, 8), m(2, 2), m(1, 8));
    fc.assert(
      fc.property(
        meter,
        fc.integer({ min: 0, max: 15 }),
        fc.array(fc.record({ at: fc.integer({ min: 1, max: 200 }), meter }), { maxLength: 4 }),
        fc.integer({ min: 0, max: 300 }),
        (first, pickup, changes, length) => {
          const melody = makeMelody({ notes: [], meter: first, pickup, meterChanges: changes, length });
          const grid = barGrid(melody);
          expect(countBars(melody, length)).toBe(grid.bars.length);
          // Bars tile the melody without gaps and reach its end.
          grid.bars.forEach((b, i) => {
            if (i > 0) expect(b.start).toBe(grid.bars[i - 1]!.start + grid.bars[i - 1]!.length);
            expect(grid.barAt(b.start)).toBe(i);
          });
          const last = grid.bars.at(-1)!;
          expect(last.start + last.length).toBeGreaterThanOrEqual(length);
        },
      ),
    );
  });
});

describe('bars from the time signatures a file states', () => {
  it('reads a short first signature as a pickup (notation programs)', () => {
    // MuseScore 3's MIDI export of a 6/8 tune with an eighth upbeat and a 4/4 second strain.
    expect(
      barsFromSignatures(
        [
          { at: 0, meter: m(1, 8) },
          { at: 2, meter: SIX_EIGHT },
          { at: 14, meter: COMMON },
        ],
        COMMON,
      ),
    ).toEqual({ meter: SIX_EIGHT, pickup: 2, meterChanges: [{ at: 14, meter: COMMON }] });
  });

  it('reads a change off the barlines as a pickup that shifted them (abc2midi)', () => {
    // abc2midi: 6/8 from 0, an eighth upbeat, two bars, 4/4 from step 26.
    expect(
      barsFromSignatures(
        [
          { at: 0, meter: SIX_EIGHT },
          { at: 26, meter: COMMON },
        ],
        COMMON,
      ),
    ).toEqual({ meter: SIX_EIGHT, pickup: 2, meterChanges: [{ at: 26, meter: COMMON }] });
  });

  it('keeps plain changes, drops repeats of the meter in force and lets the last of one step count', () => {
    expect(
      barsFromSignatures(
        [
          { at: 0, meter: m(3, 4) },
          { at: 0, meter: COMMON },
          { at: 32, meter: COMMON },
          { at: 64, meter: m(3, 4) },
        ],
        SIX_EIGHT,
      ),
    ).toEqual({ meter: COMMON, pickup: 0, meterChanges: [{ at: 64, meter: m(3, 4) }] });
    expect(barsFromSignatures([], COMMON)).toEqual({ meter: COMMON, pickup: 0, meterChanges: [] });
    // A first signature after step 0: the standard's 4/4 until then.
    expect(barsFromSignatures([{ at: 32, meter: m(3, 4) }], COMMON)).toEqual({
      meter: COMMON,
      pickup: 0,
      meterChanges: [{ at: 32, meter: m(3, 4) }],
    });
  });

  it('writes signatures that read back as the same bars', () => {
    const cases = [
      { meter: SIX_EIGHT, pickup: 2, meterChanges: [{ at: 26, meter: COMMON }] },
      { meter: COMMON, pickup: 4, meterChanges: [] },
      { meter: COMMON, pickup: 3, meterChanges: [] },
      { meter: m(3, 4), pickup: 0, meterChanges: [{ at: 24, meter: SIX_EIGHT }] },
    ];
    for (const bars of cases) {
      expect(barsFromSignatures(signaturesOfBars(bars), COMMON)).toEqual(bars);
    }
    expect(signaturesOfBars({ meter: COMMON, pickup: 3 })[0]).toEqual({ at: 0, meter: m(3, 16) });
  });
});

describe('a melody from a bar on', () => {
  it('moves notes, signatures and triplets to the barline, in the meter and key in force there', () => {
    const melody = makeMelody({
      notes: parseNotes('A4/2 D5/12 E5/12 F4/1 G4/2 A4/1 C5/12'),
      meter: SIX_EIGHT,
      pickup: 2,
      meterChanges: [{ at: 26, meter: COMMON }],
      key: { tonic: 'D', mode: 'major' },
      keyChanges: [{ at: 26, key: { tonic: 'F', mode: 'major' } }],
      tuplets: [{ start: 26, span: 4 }],
    });
    const tail = melodyFromBar(melody, 27);
    expect(tail.notes.map((n) => [n.pitch, n.start, n.end])).toEqual([
      [65, 0, 1],
      [67, 1, 3],
      [69, 3, 4],
      [72, 4, 16],
    ]);
    expect([tail.meter, tail.pickup, tail.meterChanges, tail.key, tail.keyChanges]).toEqual([
      COMMON,
      undefined,
      undefined,
      { tonic: 'F', mode: 'major' },
      undefined,
    ]);
    expect(tail.tuplets).toEqual([{ start: 0, span: 4 }]);
    expect(melodyFromBar(melody, 1)).toBe(melody);
  });
});
