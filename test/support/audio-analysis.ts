/** Measuring rendered audio in tests: loudness, pitch, onsets, and reading WAV files. */

export function rms(samples: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/**
 * Fundamental frequency of a window by autocorrelation (60 Hz to 2 kHz): the first local peak
 * that comes close to the highest one, so a period's multiples (octaves below) are not chosen.
 */
export function pitchOf(samples: Float32Array, from: number, size: number, rate: number): number {
  const minLag = Math.floor(rate / 2000);
  const maxLag = Math.floor(rate / 60);
  const r: number[] = [];
  for (let lag = 0; lag <= maxLag + 1; lag++) {
    let sum = 0;
    for (let i = from; i < from + size; i++) sum += samples[i]! * samples[i + lag]!;
    r.push(sum);
  }
  const best = Math.max(...r.slice(minLag, maxLag + 1));
  for (let lag = minLag + 1; lag <= maxLag; lag++) {
    if (r[lag]! >= 0.85 * best && r[lag]! >= r[lag - 1]! && r[lag]! >= r[lag + 1]!) return rate / lag;
  }
  return 0;
}

/** Frequency of a MIDI pitch in Hz (A4 = 440 Hz). */
export function frequency(pitch: number): number {
  return 440 * 2 ** ((pitch - 69) / 12);
}

/** Distance in semitones between two frequencies. */
export function semitonesBetween(a: number, b: number): number {
  return Math.abs(12 * Math.log2(a / b));
}

/**
 * Onset times in seconds: frames (5 ms) whose loudness jumps well above the average of the
 * 50 ms before, at least `minGap` seconds apart.
 */
export function onsets(samples: Float32Array, rate: number, minGap = 0.06): number[] {
  const frame = Math.round(rate * 0.005);
  const env: number[] = [];
  for (let i = 0; i + frame <= samples.length; i += frame) env.push(rms(samples, i, i + frame));
  const peak = Math.max(...env);
  const found: number[] = [];
  for (let i = 1; i < env.length; i++) {
    // Before the start of the recording counts as silence.
    let before = 0;
    for (let k = Math.max(0, i - 10); k < i; k++) before += env[k]!;
    before /= 10;
    const t = (i * frame) / rate;
    if (
      env[i]! > 2 * before + 0.02 * peak &&
      env[i]! > env[i - 1]! &&
      (found.length === 0 || t - found.at(-1)! >= minGap)
    ) {
      // Step back to where the rise began, for a time close to the true attack.
      let j = i;
      while (j > 0 && env[j - 1]! < env[j]! && env[j - 1]! > before * 1.2) j--;
      found.push((j * frame) / rate);
    }
  }
  return found;
}

/** Reads a 16-bit PCM WAV file (as FluidSynth and sox write them), mixing to mono. */
export function readWav(bytes: Uint8Array): { samples: Float32Array; rate: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (text(0) !== 'RIFF' || text(8) !== 'WAVE') throw new Error('not a WAV file');
  let at = 12;
  let channels = 1;
  let rate = 44100;
  let bits = 16;
  while (at + 8 <= bytes.length) {
    const id = text(at);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ') {
      channels = view.getUint16(at + 10, true);
      rate = view.getUint32(at + 12, true);
      bits = view.getUint16(at + 22, true);
    } else if (id === 'data') {
      if (bits !== 16) throw new Error(`expected 16-bit samples, got ${bits}`);
      const frames = Math.floor(size / (2 * channels));
      const samples = new Float32Array(frames);
      for (let f = 0; f < frames; f++) {
        let sum = 0;
        for (let c = 0; c < channels; c++) sum += view.getInt16(at + 8 + (f * channels + c) * 2, true);
        samples[f] = sum / channels / 32768;
      }
      return { samples, rate };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error('WAV file has no data');
}
