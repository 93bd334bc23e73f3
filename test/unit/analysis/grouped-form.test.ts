import { describe, expect, it } from 'vitest';
import { groupedForm } from '../../../src-core/analysis/describe.ts';

describe('a form that reads at any length', () => {
  it('leaves a short form as it is', () => {
    expect(groupedForm(['A', "A'", 'B', 'A'])).toBe("AA'BA");
    expect(groupedForm(['A', 'A', 'B', 'B'])).toBe('AABB');
  });

  it('writes runs once with their count, spaced, in a long form', () => {
    const labels = [...Array<string>(8).fill('A'), "A'", 'B', 'B', ...Array<string>(4).fill('C'), "A'"];
    expect(groupedForm(labels)).toBe("A×8 A' B B C×4 A'");
  });

  it('cuts a very long form after a dozen groups and gives the total', () => {
    const labels = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 'A' : 'B'));
    expect(groupedForm(labels)).toBe('A B A B A B A B A B A B … (40 in all)');
  });
});
