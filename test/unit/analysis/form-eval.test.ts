import { describe, expect, it } from 'vitest';
import { readAbcForms } from '../../../scripts/eval/form.ts';

/** One ABC tune in 2/4 with eighth notes as the unit: a bar is 8 steps. */
const abc = (body: string): string => `X:1\nT:Test\nM:2/4\nL:1/8\nK:D\n${body}\n`;
const strains = (body: string) =>
  readAbcForms(abc(body))[0]!.strains.map((s) => `${s.letter} ${s.start}-${s.end}`);

describe('the ABC repeat signs the form evaluation takes as its truth', () => {
  it('|:A:||:B:| is played AABB', () => {
    expect(strains('|:DEFG|ABcd:||:dcBA|GFED:|')).toEqual(['A 0-16', 'A 16-32', 'B 32-48', 'B 48-64']);
  });

  it('a repeat without a start sign goes back to the end of the last repeat, or the start', () => {
    expect(strains('DEFG|ABcd:|dcBA|GFED:|')).toEqual(['A 0-16', 'A 16-32', 'B 32-48', 'B 48-64']);
  });

  it('first and second endings: each pass plays its own ending, and a part without repeats is played once', () => {
    expect(strains('|:DEFG|1ABcd:|2Adcd||fedc|BAGF|]')).toEqual(['A 0-16', 'A 16-32', 'B 32-48']);
    expect(strains('|:DEFG [1ABcd:| [2Adcd|]')).toEqual(['A 0-16', 'A 16-32']);
  });

  it('note lengths, broken rhythm, tuplets, chords, grace notes and a pickup', () => {
    const [form] = readAbcForms(abc('A|:d2 d>e|(3fga [df]2|{g}f4|d3 A:|'));
    expect(form).toMatchObject({ pickup: true, pickupSteps: 2, barSteps: 8, length: 2 + 2 * 32 });
    // The pickup before |: joins the first strain; the second pass starts at the repeat sign.
    expect(form!.strains.map((s) => `${s.letter} ${s.start}-${s.end}`)).toEqual(['A 0-34', 'A 34-66']);
    expect(form!.onsets.slice(0, 9)).toEqual([0, 2, 6, 9, 10, 11.33, 12.67, 14, 18].map(Math.round));
  });
});
