import { describe, expect, it } from 'vitest';
import { cardinalityScore, establishment, occurrence, type Pattern } from './mirex.ts';

// A reference pattern with two occurrences, a found pattern that gets both partly right,
// and a found pattern that matches nothing. Scores worked out by hand:
//   card(P1, Q1) = 2/3, card(P2, Q2) = 3/4, the others 0; E = 3/4 for A, 0 for B.
const reference: Pattern[] = [
  [
    [
      [0, 60],
      [1, 62],
      [2, 64],
    ],
    [
      [4, 65],
      [5, 67],
      [6, 69],
    ],
  ],
];
const foundA: Pattern = [
  [
    [0, 60],
    [1, 62],
  ],
  [
    [4, 65],
    [5, 67],
    [6, 69],
    [7, 71],
  ],
];
const foundB: Pattern = [
  [
    [10, 50],
    [11, 51],
    [12, 52],
  ],
];

describe('MIREX pattern-discovery measures', () => {
  it('cardinality score', () => {
    expect(cardinalityScore(reference[0]![0]!, foundA[0]!)).toBeCloseTo(2 / 3);
    expect(cardinalityScore(reference[0]![1]!, foundA[1]!)).toBeCloseTo(3 / 4);
    expect(cardinalityScore(reference[0]![0]!, foundA[1]!)).toBe(0);
    expect(cardinalityScore([], [])).toBe(0);
  });

  it('establishment precision and recall', () => {
    expect(establishment(reference, [foundA])).toMatchObject({ precision: 0.75, recall: 0.75 });
    const withJunk = establishment(reference, [foundA, foundB]);
    expect(withJunk.precision).toBeCloseTo(0.375);
    expect(withJunk.recall).toBeCloseTo(0.75);
    expect(withJunk.f1).toBeCloseTo((2 * 0.375 * 0.75) / 1.125);
    expect(establishment(reference, [])).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it('occurrence precision and recall at c = 0.75 and above it', () => {
    const expected = (2 / 3 + 3 / 4) / 2;
    const at75 = occurrence(reference, [foundA, foundB], 0.75);
    // Only A establishes the reference pattern, so B does not lower occurrence precision.
    expect(at75.precision).toBeCloseTo(expected);
    expect(at75.recall).toBeCloseTo(expected);
    expect(occurrence(reference, [foundA], 0.8)).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(occurrence(reference, [reference[0]!], 0.75)).toMatchObject({ precision: 1, recall: 1, f1: 1 });
  });
});
