import { describe, expect, it } from 'vitest';
import { labelLanes, labelWidth } from '../../../src-renderer/lib/label-lanes.ts';

const spot = (x: number, row = 0, width = 20) => ({ x, row, width });

describe('interval names that never cover one another', () => {
  it('keeps labels with room between them above the stave', () => {
    expect(labelLanes([spot(10), spot(40), spot(70)])).toEqual([0, 0, 0]);
  });

  it('moves a label that would cover the one before below the stave, and leaves out one with no room', () => {
    expect(labelLanes([spot(10), spot(25), spot(40), spot(45)])).toEqual([0, 1, 0, null]);
  });

  it('starts each system afresh', () => {
    expect(labelLanes([spot(100, 0), spot(10, 1), spot(20, 1)])).toEqual([0, 0, 1]);
  });

  it('no two labels placed in one lane overlap, for any spacing', () => {
    const spots = Array.from({ length: 60 }, (_, i) =>
      spot(i * 9 + (i % 3) * 4, Math.floor(i / 20), labelWidth('m3')),
    );
    const lanes = labelLanes(spots);
    for (let i = 0; i < spots.length; i++) {
      for (let j = i + 1; j < spots.length; j++) {
        if (lanes[i] === null || lanes[i] !== lanes[j] || spots[i]!.row !== spots[j]!.row) continue;
        const gap = Math.abs(spots[i]!.x - spots[j]!.x) - (spots[i]!.width + spots[j]!.width) / 2;
        expect(gap).toBeGreaterThanOrEqual(0);
      }
    }
    expect(lanes.filter((l) => l !== null).length).toBeGreaterThan(30);
  });
});
