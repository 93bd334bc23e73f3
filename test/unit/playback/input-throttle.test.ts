import { describe, expect, it } from 'vitest';
import { InputThrottle, MAX_NOTES_PER_SECOND } from '../../../src-core/playback/input-throttle.ts';

const on = (pitch: number, channel = 0) => [0x90 | channel, pitch, 100];
const off = (pitch: number, channel = 0) => [0x80 | channel, pitch, 0];

describe('InputThrottle', () => {
  it('passes what a person plays untouched', () => {
    const throttle = new InputThrottle();
    let passed = 0;
    // 30 notes a second for 10 s, each released before the next.
    for (let k = 0; k < 300; k++) {
      passed += Number(throttle.admit(on(60 + (k % 12)), k * 33));
      passed += Number(throttle.admit(off(60 + (k % 12)), k * 33 + 20));
    }
    expect(passed).toBe(600);
    expect(throttle.dropped).toBe(0);
  });

  it('passes at most a second’s burst and then the rate, from a flood of 100,000 messages a second', () => {
    const throttle = new InputThrottle();
    const passedOn = new Map<number, number>();
    let ons = 0;
    let offs = 0;
    for (let k = 0; k < 100_000; k++) {
      const pitch = 30 + (k % 60);
      const bytes = k % 3 === 2 ? off(pitch) : on(pitch);
      const at = k / 100; // 1 s in all
      if (!throttle.admit(bytes, at)) continue;
      if (bytes[0] === 0x90) {
        ons++;
        passedOn.set(pitch, (passedOn.get(pitch) ?? 0) + 1);
      } else {
        offs++;
        // A note-off passes only for a note-on that passed and was not yet released.
        expect(passedOn.get(pitch)).toBeGreaterThan(0);
        passedOn.set(pitch, passedOn.get(pitch)! - 1);
      }
    }
    expect(ons).toBeLessThanOrEqual(2 * MAX_NOTES_PER_SECOND);
    expect(ons).toBeGreaterThanOrEqual(MAX_NOTES_PER_SECOND);
    expect(offs).toBeLessThanOrEqual(ons);
    expect(throttle.dropped).toBe(100_000 - ons - offs);
  });

  it('takes velocity-0 note-ons as releases, keeps channels apart, and drops everything else', () => {
    const throttle = new InputThrottle(1);
    expect(throttle.admit(on(60, 0), 0)).toBe(true);
    expect(throttle.admit(on(60, 1), 0)).toBe(false); // no token left
    expect(throttle.admit(off(60, 1), 1)).toBe(false); // its note-on was dropped
    expect(throttle.admit([0x90, 60, 0], 2)).toBe(true);
    expect(throttle.admit([0xb0, 64, 127], 3)).toBe(false);
    expect(throttle.admit([0x90], 3)).toBe(false);
    expect(throttle.admit(on(61), 1500)).toBe(true); // a token again after a second
  });
});
