/**
 * The music worker: opens big MIDI files (reading, choosing the part, laying out the score) and
 * analyses long melodies off the window's thread, so the window never stops answering. The
 * window cancels a job by ending the worker (lib/music-worker.ts).
 */
import { analyzeMelody } from '../../src-core/analysis/analyze.ts';
import { openMidiFile } from '../../src-core/midi/open-file.ts';
import { buildScore } from '../../src-core/score/build-score.ts';
import type { FromMusic, ToMusic } from '../lib/music-protocol.ts';

const post = (message: FromMusic) => self.postMessage(message);

self.onmessage = (event: MessageEvent<ToMusic>) => {
  const m = event.data;
  try {
    if (m.type === 'open') {
      const opened = openMidiFile(m.bytes);
      post({
        type: 'opened',
        id: m.id,
        result: opened.ok
          ? { ok: true, file: opened.value, score: buildScore(opened.value.melody) }
          : { ok: false, message: opened.error.message },
      });
    } else {
      post({ type: 'analysed', id: m.id, analysis: analyzeMelody(m.melody) });
    }
  } catch (err) {
    post({ type: 'failed', id: m.id, message: err instanceof Error ? err.message : String(err) });
  }
};
