import { describe, expect, it } from 'vitest';
import type { Meter } from '../../../src-core/music/melody.ts';
import { beatLayout, splitInBar, valueSteps } from '../../../src-core/score/rhythm.ts';

const meter = (text: string): Meter => {
  const [numerator, denominator] = text.split('/').map(Number);
  return { numerator: numerator!, denominator: denominator! };
};

describe('beatLayout', () => {
  it.each([
    ['2/4', [0, 4], false, 4],
    ['3/4', [0, 4, 8], false, null],
    ['4/4', [0, 4, 8, 12], false, 8],
    ['2/2', [0, 8], false, 8],
    ['3/8', [0], true, null],
    ['6/8', [0, 6], true, 6],
    ['9/8', [0, 6, 12], true, null],
    ['12/8', [0, 6, 12, 18], true, 12],
    ['5/8', [0, 4], false, null],
    ['7/8', [0, 4, 8], false, null],
  ])('%s beats at %o', (text, beatStarts, compound, middle) => {
    const layout = beatLayout(meter(text));
    expect(layout.beatStarts).toEqual(beatStarts);
    expect(layout.compound).toBe(compound);
    expect(layout.middle).toBe(middle);
  });

  it('refuses a meter that does not fit the sixteenth grid', () => {
    expect(() => beatLayout(meter('1/32'))).toThrow(/grid/);
  });
});

describe('splitInBar', () => {
  const show = (text: string, from: number, to: number, kind: 'note' | 'rest' = 'note'): string =>
    splitInBar(beatLayout(meter(text)), from, to, kind)
      .map((p) => `${p.offset}:${p.value}${'.'.repeat(p.dots)}`)
      .join(' ');

  it.each([
    ['4/4', 0, 16, 'note', '0:w'],
    ['4/4', 2, 6, 'note', '2:8 4:8'],
    ['4/4', 4, 16, 'note', '4:q 8:h'],
    ['4/4', 0, 6, 'rest', '0:q 4:8'],
    ['4/4', 1, 4, 'note', '1:8.'],
    ['4/4', 0, 7, 'note', '0:q. 6:16'],
    ['6/8', 0, 8, 'note', '0:q. 6:8'],
    ['6/8', 1, 6, 'note', '1:16 2:q'],
    ['6/8', 0, 6, 'rest', '0:q.'],
  ] as const)('%s [%i, %i) %s -> %s', (text, from, to, kind, expected) => {
    expect(show(text, from, to, kind)).toBe(expected);
  });
});

describe('valueSteps', () => {
  it.each([
    ['16', 0, 1],
    ['8', 0, 2],
    ['8', 1, 3],
    ['q', 0, 4],
    ['q', 1, 6],
    ['q', 2, 7],
    ['h', 0, 8],
    ['h', 1, 12],
    ['h', 2, 14],
    ['w', 0, 16],
  ] as const)('%s with %i dots is %i steps', (value, dots, steps) => {
    expect(valueSteps(value, dots)).toBe(steps);
  });
});
