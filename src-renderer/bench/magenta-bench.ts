/**
 * `npm run bench:generate` in Chromium: @magenta/music's default path (MusicRNN on the tfjs cpu
 * backend), on the same model Cantus ships, for comparison with Cantus's own engine. Only the
 * browser test build includes this page; the app never loads @magenta/music.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { MusicRNN } from '@magenta/music/esm/music_rnn';
import { melodyToNoteSequence } from '../../src-core/model/note-sequence.ts';
import type { Melody } from '../../src-core/music/melody.ts';
import { BASIC_MODEL_ID } from '../../src-core/model/model-id.ts';
import { builtInModelUrl } from '../lib/generator.svelte.ts';

const MODEL_URL = builtInModelUrl(BASIC_MODEL_ID);

async function timeMagenta(
  primer: Melody,
  steps: number,
  variations: number,
  runs: number,
): Promise<number[]> {
  if (!(await tf.setBackend('cpu'))) throw new Error('tfjs cpu backend did not start');
  // This page sits in bench/, one folder below the app's own page.
  const rnn = new MusicRNN(new URL(`../${MODEL_URL}`, document.baseURI).href);
  await rnn.initialize();
  const ns = melodyToNoteSequence(primer);
  const once = async () => {
    const started = performance.now();
    for (let v = 0; v < variations; v++) await rnn.continueSequence(ns as never, steps, 1.0);
    return performance.now() - started;
  };
  try {
    await once();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await once());
    return times;
  } finally {
    rnn.dispose();
  }
}

(window as unknown as { magentaBench: unknown }).magentaBench = { timeMagenta };
