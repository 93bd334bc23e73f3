/**
 * Real audio: the in-app instrument renders a melody offline in Chromium (Tone.Offline), and the
 * rendered sound is checked here, in Node: it is not silent, each note sounds at its pitch while
 * it should, and the rests are quiet.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { extractMelody, readMidi } from '../../src-core/midi/index.ts';
import { secondsPerStep, type Melody } from '../../src-core/music/melody.ts';
import { pitchOf, rms } from '../support/audio-analysis.ts';

function fixtureMelody(name: string): Melody {
  const read = readMidi(new Uint8Array(readFileSync(resolve(import.meta.dirname, '../fixtures/midi', name))));
  if (!read.ok) throw new Error(read.error.message);
  const melody = extractMelody(read.value);
  if (!melody.ok) throw new Error(melody.error.message);
  return melody.value;
}

test('the in-app instrument renders each note at its pitch and time', async ({ page }) => {
  const melody = fixtureMelody('folk-d-major.mid');
  const tempo = 100;
  await page.goto('/index.html');
  await page.waitForFunction(() => 'cantusTest' in window);
  const rendered = await page.evaluate(
    async ({ melody, tempo }) => {
      const api = (
        window as unknown as {
          cantusTest: {
            renderMelody: (m: unknown, t: number) => Promise<{ samples: Float32Array; sampleRate: number }>;
          };
        }
      ).cantusTest;
      const { samples, sampleRate } = await api.renderMelody(melody, tempo);
      const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return { base64: btoa(binary), sampleRate };
    },
    { melody, tempo },
  );
  const raw = Buffer.from(rendered.base64, 'base64');
  const samples = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const rate = rendered.sampleRate;
  const step = secondsPerStep(tempo);
  expect(samples.length / rate).toBeCloseTo(melody.length * step + 0.5, 1);
  expect(rms(samples, 0, samples.length)).toBeGreaterThan(0.02);

  let right = 0;
  for (const note of melody.notes) {
    const start = Math.round((note.start + (note.end - note.start) * 0.3) * step * rate);
    const size = Math.min(2048, Math.round((note.end - note.start) * step * rate * 0.5));
    const heard = pitchOf(samples, start, size, rate);
    const expected = 440 * 2 ** ((note.pitch - 69) / 12);
    if (Math.abs(12 * Math.log2(heard / expected)) < 0.5) right++;
  }
  // Autocorrelation can slip on a very short note; nearly every note must be heard right.
  expect(right / melody.notes.length).toBeGreaterThan(0.95);

  // A rest a quarter note or longer is quiet once the previous note has died away.
  const loud = rms(samples, 0, samples.length);
  for (let i = 0; i + 1 < melody.notes.length; i++) {
    const gap = melody.notes[i + 1]!.start - melody.notes[i]!.end;
    if (gap < 4) continue;
    const from = Math.round((melody.notes[i]!.end * step + 0.45) * rate);
    const to = Math.round(melody.notes[i + 1]!.start * step * rate);
    if (to - from > 1000) expect(rms(samples, from, to)).toBeLessThan(loud * 0.1);
  }
});
