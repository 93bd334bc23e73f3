/**
 * Chord models in the generation worker: magenta.js's esm MusicRNN, imported only when a chord
 * model is opened (a chunk of its own), on the tfjs the worker has already started. Its
 * `compat/global` is swapped for the worker-safe `global_browser` by the renderer's build
 * (renderer.vite.ts). Everything else is in magenta-chords.ts.
 */
import type { ChordRnnClass } from './magenta-chords.ts';

export async function browserMusicRnn(): Promise<ChordRnnClass> {
  const { MusicRNN } = await import('@magenta/music/esm/music_rnn');
  return MusicRNN as unknown as ChordRnnClass;
}
