/**
 * Loads an exported model folder with magenta.js MusicRNN, exactly as the app will, and checks
 * it against the training code: the one file of the scripts that imports @magenta/music.
 *
 * MusicRNN reads its checkpoint over HTTP (`fetch`), never from a file path, so the folder is
 * served for the duration of the check on 127.0.0.1 by a tiny static server.
 */
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  decodeEvents,
  encodeMelody,
  EVENT_CLASSES,
  MODEL_PITCH_RANGE,
} from '../../src-core/model/melody-events.ts';
import { melodyToNoteSequence, type NoteSequence } from '../../src-core/model/note-sequence.ts';
import { nextClassProbabilities } from './evaluate.ts';
import { basicEncoding } from '../../src-core/model/event-encoding.ts';
import type { LstmParams } from './lstm.ts';
import { wasmTf } from '../../src-engine/node-tf.ts';

interface MusicRnnLike {
  initialize(): Promise<void>;
  dispose(): void;
  continueSequence(sequence: NoteSequence, steps: number, temperature?: number): Promise<NoteSequence>;
  continueSequenceAndReturnProbabilities(
    sequence: NoteSequence,
    steps: number,
    temperature?: number,
  ): Promise<{ sequence: Promise<NoteSequence>; probs: Float32Array[] }>;
}

/** Serves the files directly inside `dir` (no subfolders, no `..`) on 127.0.0.1 until closed. */
export async function serveFolder(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const name = basename(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    readFile(join(dir, name)).then(
      (body) => {
        res.writeHead(200, {
          'content-type': name.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        });
        res.end(body);
      },
      () => {
        res.writeHead(404);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** magenta.js's MusicRNN class (the Node bundle, which shares our single tfjs). */
export async function musicRnnClass(): Promise<new (url: string) => MusicRnnLike> {
  const mod = (await import('@magenta/music/node/music_rnn.js')) as unknown as {
    MusicRNN?: new (url: string) => MusicRnnLike;
    default?: { MusicRNN?: new (url: string) => MusicRnnLike };
  };
  const MusicRNN = mod.MusicRNN ?? mod.default?.MusicRNN;
  if (!MusicRNN) throw new Error('@magenta/music/node/music_rnn.js has no MusicRNN export');
  return MusicRNN;
}

export interface MusicRnnCheck {
  /** Largest |p_MusicRNN - p_training| over every class of every continued step. */
  readonly maxAbsDifference: number;
  /** The continuation MusicRNN chose (argmax), as events. */
  readonly continuation: number[];
  readonly primerSteps: number;
  readonly steps: number;
  /** True when MusicRNN ran on the very tfjs engine (and backend) the training code uses. */
  readonly sharedEngine: boolean;
  /** The tfjs backend MusicRNN ran on. */
  readonly backend: string;
}

/** The tfjs that magenta's Node bundle `require`s. */
function magentaTf(): { engine(): unknown; getBackend(): string } {
  const require = createRequire(import.meta.url);
  const bundle = require.resolve('@magenta/music/node/music_rnn.js');
  return createRequire(bundle)('@tensorflow/tfjs') as { engine(): unknown; getBackend(): string };
}

/**
 * Gives MusicRNN (loaded from `modelDir`) the primer, lets it continue `steps` steps by argmax
 * with probabilities, and compares those probabilities with the training code's forward pass
 * (`params`) over the same events.
 */
export async function checkAgainstMusicRnn(
  params: LstmParams,
  modelDir: string,
  primer: readonly number[],
  steps: number,
): Promise<MusicRnnCheck> {
  const tf = await wasmTf();
  const melody = decodeEvents(primer);
  const reencoded = encodeMelody(melody);
  if (!reencoded.ok || reencoded.value.join() !== primer.join()) {
    throw new Error('The primer is not a canonical event sequence (it does not survive decode and encode)');
  }
  const served = await serveFolder(modelDir);
  const MusicRNN = await musicRnnClass();
  const rnn = new MusicRNN(served.url);
  try {
    await rnn.initialize();
    const result = await rnn.continueSequenceAndReturnProbabilities(melodyToNoteSequence(melody), steps);
    await result.sequence;
    const continuation = result.probs.map((p) => argmax(p));
    const ours = nextClassProbabilities(
      tf,
      params,
      basicEncoding(MODEL_PITCH_RANGE),
      [...primer, ...continuation.slice(0, -1)],
      16,
    );
    let maxAbsDifference = 0;
    result.probs.forEach((theirs, k) => {
      const mine = ours[primer.length - 1 + k]!;
      if (theirs.length !== EVENT_CLASSES || mine.length !== EVENT_CLASSES)
        throw new Error('Unexpected class count');
      for (let w = 0; w < EVENT_CLASSES; w++) {
        maxAbsDifference = Math.max(maxAbsDifference, Math.abs(theirs[w]! - mine[w]!));
      }
    });
    const theirTf = magentaTf();
    return {
      maxAbsDifference,
      continuation,
      primerSteps: primer.length,
      steps,
      sharedEngine: theirTf.engine() === tf.engine(),
      backend: theirTf.getBackend(),
    };
  } finally {
    rnn.dispose();
    await served.close();
  }
}

/** Continues a primer with MusicRNN loaded from `modelDir` (argmax, or sampling at `temperature`). */
export async function continueWithMusicRnn(
  modelDir: string,
  primer: NoteSequence,
  steps: number,
  temperature?: number,
): Promise<NoteSequence> {
  await wasmTf();
  const served = await serveFolder(modelDir);
  const MusicRNN = await musicRnnClass();
  const rnn = new MusicRNN(served.url);
  try {
    await rnn.initialize();
    return await rnn.continueSequence(primer, steps, temperature);
  } finally {
    rnn.dispose();
    await served.close();
  }
}

function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  return best;
}
