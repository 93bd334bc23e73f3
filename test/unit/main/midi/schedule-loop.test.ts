/** The device scheduler's loop on a fake clock: deadlines, tempo changes, stop. */
import { describe, expect, it } from 'vitest';
import { makeMelody, parseNotes } from '../../../../src-core/music/melody.ts';
import { melodyMessages } from '../../../../src-core/playback/midi-messages.ts';
import { runSchedule, type Clock } from '../../../../src-main/midi/schedule-loop.ts';

/** A clock that jumps straight to each deadline, plus an optional lateness per wait. */
function fakeClock(lateBy = () => 0): Clock & { t: number } {
  const clock = {
    t: 1000,
    now: () => clock.t,
    waitUntil(deadline: number, stopped: () => boolean) {
      if (stopped()) return;
      clock.t = Math.max(clock.t, deadline) + lateBy();
    },
  };
  return clock;
}

const melody = makeMelody({ notes: parseNotes('C4 D4/2 E4/2 F4/8'), tempo: 120 });
const messages = melodyMessages(melody, { channel: 0, program: null });

describe('runSchedule', () => {
  it('sends each message at its absolute deadline (125 ms a step at 120 bpm)', () => {
    const clock = fakeClock();
    const sent: [number[], number][] = [];
    const notes: number[] = [];
    const result = runSchedule(messages, 1000, clock, {
      tempo: () => 120,
      stopped: () => false,
      send: (bytes, deadline) => sent.push([[...bytes], deadline]),
      onNote: (i) => notes.push(i),
    });
    expect(result.finished).toBe(true);
    expect(sent.map(([, d]) => d - 1000)).toEqual([0, 500, 500, 750, 750, 1000, 1000, 2000]);
    expect(notes).toEqual([0, 1, 2, 3]);
  });

  it('does not let lateness accumulate', () => {
    const clock = fakeClock(() => 3); // every wake-up is 3 ms late
    const deadlines: number[] = [];
    runSchedule(messages, 1000, clock, {
      tempo: () => 120,
      stopped: () => false,
      send: (_b, d) => deadlines.push(d - 1000),
    });
    expect(deadlines).toEqual([0, 500, 500, 750, 750, 1000, 1000, 2000]);
  });

  it('follows a tempo change from the moment it happens', () => {
    const clock = fakeClock();
    let tempo = 120;
    const deadlines: number[] = [];
    runSchedule(messages, 1000, clock, {
      tempo: () => tempo,
      stopped: () => false,
      send: (_b, d) => {
        deadlines.push(d - 1000);
        if (deadlines.length === 3) tempo = 60; // after the D4 note-on at 500 ms, half speed
      },
    });
    // Steps after step 4 now take 250 ms: E4 at step 6 -> 500 + 2*250 = 1000 ms.
    expect(deadlines).toEqual([0, 500, 500, 1000, 1000, 1500, 1500, 3500]);
  });

  it('stops at once and reports what it sent', () => {
    const clock = fakeClock();
    let count = 0;
    const result = runSchedule(messages, 1000, clock, {
      tempo: () => 120,
      stopped: () => count >= 3,
      send: () => count++,
    });
    expect(result.finished).toBe(false);
    expect(result.sent).toEqual([
      [0x90, 60, 80],
      [0x80, 60, 0],
      [0x90, 62, 80],
    ]);
  });
});
