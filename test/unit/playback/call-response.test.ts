import { describe, expect, it } from 'vitest';
import {
  barMs,
  HELD_LIMIT_BARS,
  MAX_PHRASE_MESSAGES,
  phraseMelody,
  PhraseListener,
} from '../../../src-core/playback/call-response.ts';
import type { ArrivedMessage } from '../../../src-core/playback/recording.ts';

const settings = { tempo: 120, meter: { numerator: 4, denominator: 4 } }; // a bar is 2000 ms
const t0 = 5_000_000;
const on = (pitch: number, ms: number): ArrivedMessage => ({ bytes: [0x90, pitch, 90], at: t0 + ms });
const off = (pitch: number, ms: number): ArrivedMessage => ({ bytes: [0x80, pitch, 0], at: t0 + ms });
const phrase = [on(60, 0), off(60, 480), on(62, 500), off(62, 980), on(64, 1000), off(64, 1900)];

function listen(messages: readonly ArrivedMessage[]): PhraseListener {
  const listener = new PhraseListener(settings);
  for (const m of messages) listener.add(m);
  return listener;
}

describe('PhraseListener.ended', () => {
  it('is a bar after the last release, once that time has come', () => {
    expect(barMs(settings)).toBe(2000);
    const listener = listen(phrase);
    expect(listener.ended(t0 + 3800)).toBeNull();
    expect(listener.ended(t0 + 3900)).toBe(t0 + 3900);
    expect(listener.ended(t0 + 9000)).toBe(t0 + 3900);
  });

  it('waits while a note is held, and before anything is played', () => {
    expect(listen([on(60, 0)]).ended(t0 + 2000)).toBeNull();
    expect(listen([]).ended(t0 + 10_000)).toBeNull();
    expect(listen([{ bytes: [0xb0, 64, 127], at: t0 }]).ended(t0 + 10_000)).toBeNull();
    expect(listen([off(60, 0)]).ended(t0 + 10_000)).toBeNull(); // a release from before the phrase
  });

  it('takes a note-on of velocity 0 as a release', () => {
    expect(listen([on(60, 0), { bytes: [0x90, 60, 0], at: t0 + 400 }]).ended(t0 + 2400)).toBe(t0 + 2400);
  });

  it('releases a note whose note-off was lost once it has been held for the limit, so the phrase ends', () => {
    const listener = listen([on(60, 0), on(62, 500), off(62, 900)]); // 60 is never released
    const limit = t0 + HELD_LIMIT_BARS * 2000;
    expect(listener.ended(limit - 1)).toBeNull();
    expect(listener.ended(limit + 2000)).toBe(limit + 2000);
    expect(listener.held).toBe(0);
    // 60 lasts until the limit, on the grid: 4 bars of 16 steps.
    expect(listener.melody().notes.map((n) => [n.pitch, n.start, n.end])).toEqual([
      [60, 0, 4],
      [62, 4, 7],
    ]);
  });

  it('keeps a bounded phrase through a flood of 100,000 messages, and still ends it', () => {
    const listener = new PhraseListener(settings);
    let most = 0;
    for (let k = 0; k < 100_000; k++) {
      const ms = k / 100; // 100,000 messages a second
      listener.add(k % 2 === 0 ? on(40 + (k % 48), ms) : off(40 + ((k - 1) % 48), ms));
      most = Math.max(most, listener.size);
    }
    expect(most).toBeLessThanOrEqual(MAX_PHRASE_MESSAGES);
    const last = t0 + 99_999 / 100;
    expect(listener.ended(last + 1999)).toBeNull();
    expect(listener.ended(last + 2000)).toBe(last + 2000);
    // The phrase kept is the flood's last stretch, on a grid of whole bars.
    const melody = listener.melody();
    expect(melody.notes.length).toBeGreaterThan(0);
    expect(melody.length % 16).toBe(0);
    expect(melody.length).toBeLessThanOrEqual(32);
  });

  it('starts afresh after clear', () => {
    const listener = listen([on(60, 0)]);
    listener.clear();
    expect(listener.size).toBe(0);
    expect(listener.ended(t0 + 100_000)).toBeNull();
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
