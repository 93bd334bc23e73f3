import { describe, expect, it } from 'vitest';
import { MAX_PRIMER_STEPS, preparePrimer, primerReadingWords } from '../../../src-core/model/generate.ts';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';

const SIX_EIGHT = { numerator: 6, denominator: 8 };
const COMMON = { numerator: 4, denominator: 4 };
const key = { tonic: 'D', mode: 'major' } as const;

describe('the primer a model reads starts on a barline of the meter it continues in', () => {
  it('leaves out an upbeat, so the model counts bars from a downbeat', () => {
    const primer = makeMelody({
      notes: parseNotes('A4/2 D5/6 F#5/6 A5/12'),
      meter: SIX_EIGHT,
      pickup: 2,
      key,
    });
    const prepared = preparePrimer(primer);
    if (!prepared.ok) throw new Error(prepared.error.message);
    expect(prepared.value.cut).toBe(2);
    expect(prepared.value.meter).toEqual(SIX_EIGHT);
  });

  it('reads only what follows the last change of time signature, in that meter', () => {
    const primer = makeMelody({
      notes: parseNotes('D5/12 A4/12 D5/8 E5/8 F#5/16'),
      meter: SIX_EIGHT,
      meterChanges: [{ at: 24, meter: COMMON }],
      key,
    });
    const prepared = preparePrimer(primer);
    if (!prepared.ok) throw new Error(prepared.error.message);
    expect(prepared.value.cut).toBe(24);
    expect(prepared.value.meter).toEqual(COMMON);
  });

  it('cuts a long plain primer at the first barline within the last MAX_PRIMER_STEPS steps', () => {
    const primer = makeMelody({
      notes: parseNotes(Array(70).fill('D5').join(' ')),
      meter: { numerator: 3, denominator: 4 },
    });
    const prepared = preparePrimer(primer);
    if (!prepared.ok) throw new Error(prepared.error.message);
    // 280 steps: the first barline at or after step 280 - 256 = 24 is bar 3's, at step 24.
    expect(primer.length).toBe(280);
    expect(prepared.value.cut).toBe(Math.ceil((280 - MAX_PRIMER_STEPS) / 12) * 12);
    expect(prepared.value.cut).toBe(24);
  });
});

describe('what the model reads differently, in words', () => {
  it('names triplets heard as sixteenths and the bar it reads from after a change of meter', () => {
    const plain = makeMelody({ notes: parseNotes('D5 E5 F#5 G5') });
    expect(primerReadingWords(plain)).toEqual([]);
    const changing = makeMelody({
      notes: parseNotes('D5/12 A4/12 D5/1 E5/2 F#5/1 G5/12'),
      meter: SIX_EIGHT,
      meterChanges: [{ at: 24, meter: COMMON }],
      tuplets: [{ start: 24, span: 4 }],
    });
    expect(primerReadingWords(changing)).toEqual([
      'The model hears the triplets as sixteenth notes, and writes on the sixteenth grid.',
      'The time signature changes, so the model reads from bar 3 on, in 4/4, and continues in 4/4.',
    ]);
  });
});
