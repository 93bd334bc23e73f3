import { describe, expect, it } from 'vitest';
import { clockSteps } from '../../../src-core/music/tempo.ts';

describe('steps at the first tempo', () => {
  it('leaves a melody of one tempo as it is', () => {
    const clock = clockSteps({ tempo: 120 });
    expect([0, 7, 100].map(clock)).toEqual([0, 7, 100]);
  });

  it('shortens steps after a quicker tempo and lengthens them after a slower one', () => {
    const clock = clockSteps({
      tempo: 120,
      tempoChanges: [
        { at: 16, bpm: 240 },
        { at: 32, bpm: 60 },
      ],
    });
    expect(clock(16)).toBe(16);
    expect(clock(24)).toBe(20); // twice as fast: 8 steps in the time of 4
    expect(clock(32)).toBe(24);
    expect(clock(36)).toBe(32); // half as fast: 4 steps in the time of 8
  });
});
