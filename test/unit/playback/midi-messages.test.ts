import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';
import {
  isValidChannelMessage,
  melodyMessages,
  panicMessages,
  silenceMessages,
  soundingAfter,
} from '../../../src-core/playback/midi-messages.ts';

describe('melodyMessages', () => {
  it('puts program, note-ons and note-offs on the grid, offs before ons at the same step', () => {
    const melody = makeMelody({ notes: parseNotes('C4 C4/2 r/2 E4', 90) });
    expect(melodyMessages(melody, { channel: 3, program: 40 })).toEqual([
      { step: 0, bytes: [0xc3, 40] },
      { step: 0, bytes: [0x93, 60, 90], noteIndex: 0 },
      { step: 4, bytes: [0x83, 60, 0] },
      { step: 4, bytes: [0x93, 60, 90], noteIndex: 1 },
      { step: 6, bytes: [0x83, 60, 0] },
      { step: 8, bytes: [0x93, 64, 90], noteIndex: 2 },
      { step: 12, bytes: [0x83, 64, 0] },
    ]);
  });

  it.each([
    [{ channel: 16, program: null }],
    [{ channel: -1, program: null }],
    [{ channel: 0, program: 128 }],
    [{ channel: 0.5, program: null }],
  ])('refuses %j', (options) => {
    expect(() => melodyMessages(makeMelody({ notes: [] }), options)).toThrow(RangeError);
  });

  it('always produces valid messages, one on and one off per note', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            pitch: fc.integer({ min: 0, max: 127 }),
            len: fc.integer({ min: 1, max: 8 }),
            vel: fc.integer({ min: -5, max: 200 }),
          }),
          { maxLength: 40 },
        ),
        fc.integer({ min: 0, max: 15 }),
        (spec, channel) => {
          let at = 0;
          const notes = spec.map((n) => {
            const note = { pitch: n.pitch, start: at, end: at + n.len, velocity: n.vel };
            at += n.len;
            return note;
          });
          const messages = melodyMessages(makeMelody({ notes }), { channel, program: null });
          expect(messages.every((m) => isValidChannelMessage(m.bytes))).toBe(true);
          expect(messages).toHaveLength(notes.length * 2);
          expect(soundingAfter(messages.map((m) => m.bytes))).toEqual([]);
          for (let i = 1; i < messages.length; i++)
            expect(messages[i]!.step).toBeGreaterThanOrEqual(messages[i - 1]!.step);
        },
      ),
    );
  });
});

describe('isValidChannelMessage', () => {
  it.each([
    [[0x90, 60, 100], true],
    [[0x8f, 0, 0], true],
    [[0xc0, 5], true],
    [[0xe0, 0, 64], true],
    [[0x90, 60], false],
    [[0x90, 60, 128], false],
    [[0x90, -1, 1], false],
    [[0x90, 60.5, 1], false],
    [[0xc0, 5, 1], false],
    [[0x7f, 1, 1], false],
    [[0xf0, 1, 2], false],
    [[0xff], false],
    [[], false],
  ])('%j -> %s', (bytes, valid) => expect(isValidChannelMessage(bytes)).toBe(valid));
});

describe('silencing', () => {
  it('turns off what sounds, then all-sound-off and all-notes-off per channel', () => {
    const sounding = soundingAfter([
      [0x90, 60, 100],
      [0x91, 64, 90],
      [0x80, 60, 0],
      [0x92, 67, 80],
      [0x92, 67, 0],
    ]);
    expect(sounding).toEqual([[1, 64]]);
    expect(silenceMessages([1, 1], sounding)).toEqual([
      [0x81, 64, 0],
      [0xb1, 120, 0],
      [0xb1, 123, 0],
    ]);
  });

  it('panic covers all 16 channels', () => {
    const panic = panicMessages();
    expect(panic).toHaveLength(32);
    expect(new Set(panic.map((m) => m[0]! & 0x0f)).size).toBe(16);
    expect(panic.every(isValidChannelMessage)).toBe(true);
  });
});
