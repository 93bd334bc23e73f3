import { describe, expect, it } from 'vitest';
import { barMs, phraseEnd, phraseMelody } from '../../../src-core/playback/call-response.ts';
import type { ArrivedMessage } from '../../../src-core/playback/recording.ts';

const settings = { tempo: 120, meter: { numerator: 4, denominator: 4 } }; // a bar is 2000 ms
const t0 = 5_000_000;
const on = (pitch: number, ms: number): ArrivedMessage => ({ bytes: [0x90, pitch, 90], at: t0 + ms });
const off = (pitch: number, ms: number): ArrivedMessage => ({ bytes: [0x80, pitch, 0], at: t0 + ms });
const phrase = [on(60, 0), off(60, 480), on(62, 500), off(62, 980), on(64, 1000), off(64, 1900)];

describe('phraseEnd', () => {
  it('is a bar after the last release, once that time has come', () => {
    expect(barMs(settings)).toBe(2000);
    expect(phraseEnd(phrase, t0 + 3800, settings)).toBeNull();
    expect(phraseEnd(phrase, t0 + 3900, settings)).toBe(t0 + 3900);
    expect(phraseEnd(phrase, t0 + 9000, settings)).toBe(t0 + 3900);
  });

  it('waits while a note is held, and before anything is played', () => {
    expect(phraseEnd([on(60, 0)], t0 + 10_000, settings)).toBeNull();
    expect(phraseEnd([], t0 + 10_000, settings)).toBeNull();
    expect(phraseEnd([{ bytes: [0xb0, 64, 127], at: t0 }], t0 + 10_000, settings)).toBeNull();
  });
});

describe('phraseMelody', () => {
  it('places the phrase on the grid from its first note, in whole bars', () => {
    const melody = phraseMelody(phrase, settings);
    expect(melody.notes.map((n) => [n.pitch, n.start, n.end])).toEqual([
      [60, 0, 4],
      [62, 4, 8],
      [64, 8, 15],
    ]);
    expect(melody.length).toBe(16);
    expect(melody.tempo).toBe(120);
  });
});
