import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMonophonic } from '../../../src-core/music/melody.ts';
import { recordedMelody, type ArrivedMessage } from '../../../src-core/playback/recording.ts';

const settings = { start: 1_000_000, tempo: 120, meter: { numerator: 4, denominator: 4 } };
// At 120 BPM a quarter is 500 ms and a step 125 ms.
const on = (pitch: number, ms: number, velocity = 90): ArrivedMessage => ({
  bytes: [0x90, pitch, velocity],
  at: settings.start + ms,
});
const off = (pitch: number, ms: number): ArrivedMessage => ({
  bytes: [0x80, pitch, 0],
  at: settings.start + ms,
});

describe('recordedMelody', () => {
  it.each([
    [
      'on the beat',
      [on(60, 0), off(60, 500), on(62, 500), off(62, 1000)],
      [
        [60, 0, 4],
        [62, 4, 8],
      ],
    ],
    [
      'a little early or late snaps to the grid',
      [on(60, 20), off(60, 480), on(64, 740), off(64, 995)],
      [
        [60, 0, 4],
        [64, 6, 8],
      ],
    ],
    ['anticipating the downbeat snaps to it', [on(67, -50), off(67, 240)], [[67, 0, 2]]],
    ['released before the start is dropped', [on(67, -400), off(67, -200)], []],
    [
      'note-on with velocity 0 ends a note',
      [on(60, 0), { bytes: [0x90, 60, 0], at: settings.start + 250 }],
      [[60, 0, 2]],
    ],
    [
      'legato overlap keeps one line',
      [on(60, 0), on(62, 480), off(60, 560), off(62, 1000)],
      [
        [60, 0, 4],
        [62, 4, 8],
      ],
    ],
    [
      'a chord keeps its top note',
      [on(60, 0), on(64, 5), on(67, 10), off(60, 500), off(64, 500), off(67, 500)],
      [[67, 0, 4]],
    ],
    [
      'other messages are ignored',
      [{ bytes: [0xb0, 64, 127], at: settings.start }, on(60, 0), off(60, 250)],
      [[60, 0, 2]],
    ],
  ] as const)('%s', (_label, messages, expected) => {
    const melody = recordedMelody(messages, settings, settings.start + 5000);
    expect(melody.notes.map((n) => [n.pitch, n.start, n.end])).toEqual(expected);
  });

  it('counts a held note up to now, so the score grows while it is played', () => {
    const melody = recordedMelody([on(60, 0)], settings, settings.start + 760);
    expect(melody.notes.map((n) => [n.pitch, n.start, n.end])).toEqual([[60, 0, 6]]);
    expect(melody.tempo).toBe(120);
  });

  it('always gives a monophonic melody on the grid', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            pitch: fc.integer({ min: 40, max: 90 }),
            at: fc.integer({ min: -500, max: 8000 }),
            on: fc.boolean(),
          }),
        ),
        (events) => {
          const messages = [...events]
            .sort((a, b) => a.at - b.at)
            .map((e) => (e.on ? on(e.pitch, e.at) : off(e.pitch, e.at)));
          expect(isMonophonic(recordedMelody(messages, settings, settings.start + 9000).notes)).toBe(true);
        },
      ),
    );
  });
});
