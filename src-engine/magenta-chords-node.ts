/**
 * Chord models in Node (`cantus generate --chords`): magenta.js's Node bundle of MusicRNN, on
 * the same tfjs (wasm backend) as Cantus's engine. MusicRNN reads a checkpoint only over HTTP,
 * so a model folder is served on 127.0.0.1, file by file through the checkpoint reader, for as
 * long as the model is open. Everything else is in magenta-chords.ts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoadedCheckpoint, ReadModelFile } from '../src-core/model/load-checkpoint.ts';
import { ok, type Result } from '../src-core/result.ts';
import { openChordModel, type ChordMelodyModel, type ChordRnnClass } from './magenta-chords.ts';
import { wasmTf } from './node-tf.ts';
import { folderReader } from './read-checkpoint.ts';

async function musicRnnClass(): Promise<ChordRnnClass> {
  const mod = (await import('@magenta/music/node/music_rnn.js')) as unknown as {
    MusicRNN?: ChordRnnClass;
    default?: { MusicRNN?: ChordRnnClass };
  };
  const MusicRNN = mod.MusicRNN ?? mod.default?.MusicRNN;
  if (!MusicRNN) throw new Error('@magenta/music/node/music_rnn.js has no MusicRNN export');
  return MusicRNN;
}

/** Serves the model files `read` gives, by bare name, on 127.0.0.1 until closed. */
async function serveModel(read: ReadModelFile): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname).slice(1);
    const answer = (status: number, body: Uint8Array | string, type: string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return answer(404, 'Not found', 'text/plain');
    read(name).then(
      (file) =>
        file.ok
          ? answer(200, file.value, name.endsWith('.json') ? 'application/json' : 'application/octet-stream')
          : answer(404, 'Not found', 'text/plain'),
      () => answer(500, 'Unreadable', 'text/plain'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Opens the chord model at `where` (a folder, or an http(s) URL) that `checkpoint` was read from. */
export async function loadChordModel(
  where: string,
  checkpoint: LoadedCheckpoint,
): Promise<Result<ChordMelodyModel>> {
  await wasmTf();
  const MusicRNN = await musicRnnClass();
  if (/^https?:\/\//i.test(where)) return openChordModel(MusicRNN, where, checkpoint);
  const served = await serveModel(folderReader(where));
  const opened = await openChordModel(MusicRNN, served.url, checkpoint);
  if (!opened.ok) {
    await served.close();
    return opened;
  }
  const model = opened.value;
  return ok({
    range: model.range,
    continue: (primer, options) => model.continue(primer, options),
    dispose: () => {
      model.dispose();
      void served.close();
    },
  });
}
