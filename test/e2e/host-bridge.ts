/**
 * Serves the renderer as a plain page for end-to-end tests, with the host API bridged over
 * HTTP to the real main-process handlers (src-main/host-handlers.ts). Only the native dialogs
 * are stand-ins: a test says which file the "user picks" through /__test/dialog, and reads the
 * content-policy violations reported so far from /__test/csp-reports.
 *
 *   npx tsx test/e2e/host-bridge.ts [port]      (after `npm run build:web`)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fromWire, toWire } from '../../src-core/ipc/wire.ts';
import { readAppFile, type AppFolders } from '../../src-main/app-files.ts';
import { CONTENT_SECURITY_POLICY } from '../../src-main/csp.ts';
import { dispatch, RejectedCall } from '../../src-main/dispatch.ts';
import { createHost, type DialogPort } from '../../src-main/host-handlers.ts';
import { MidiService } from '../../src-main/midi/midi-service.ts';
import { createNodeSchedulerWorker } from '../../src-main/midi/node-worker.ts';
import { createNodePackCheckWorker } from '../../src-main/services/pack-check-node.ts';
import { packCheckWorker, rememberVerdicts } from '../../src-main/services/pack-check.ts';
import { loadStepModel } from '../../src-engine/node-model.ts';

const port = Number(process.argv[2] ?? process.env['CANTUS_E2E_PORT'] ?? 5199);
const root = resolve(import.meta.dirname, '../../dist-web');
const modelsRoot = resolve(import.meta.dirname, '../../resources/models');
const lessonsDir = resolve(import.meta.dirname, '../../lessons');
const userDataDir = process.env['CANTUS_USER_DATA'] ?? mkdtempSync(join(tmpdir(), 'cantus-e2e-'));

/**
 * Answers queued by tests; an empty queue means the user cancelled. `save` answers every save
 * dialog (MIDI, lesson pack, CSV); `csv` answers the multi-file CSV dialog with a list.
 */
const answers = {
  open: [] as (string | null)[],
  save: [] as (string | null)[],
  model: [] as (string | null)[],
  pack: [] as (string | null)[],
  csv: [] as (string[] | null)[],
  replace: [] as boolean[],
};
const dialogs: DialogPort = {
  chooseMidiToOpen: async () => answers.open.shift() ?? null,
  chooseSavePath: async () => answers.save.shift() ?? null,
  chooseModelFolder: async () => answers.model.shift() ?? null,
  choosePackToImport: async () => answers.pack.shift() ?? null,
  chooseCsvFiles: async () => answers.csv.shift() ?? null,
  // An empty queue means "Cancel": keep the existing file.
  confirmReplace: async () => answers.replace.shift() ?? false,
};
/**
 * Content-policy violations reported by the pages and workers: the bridge adds a report-uri to
 * the app's policy (enforced the same), so a test can see violations in workers too.
 */
const cspReports: unknown[] = [];
const POLICY = `${CONTENT_SECURITY_POLICY}; report-uri /__test/csp-report`;
const listeners = new Set<ServerResponse>();
function broadcast(event: string, payload: unknown): void {
  for (const l of listeners) l.write(`data: ${JSON.stringify({ event, payload: toWire(payload) })}\n\n`);
}
// Real MIDI through whatever system this machine has (JACK in the tests; see scripts/jack-midi.sh).
const midi = new MidiService({
  createWorker: createNodeSchedulerWorker,
  emit: broadcast,
  loadModel: () => loadStepModel(),
});
// Packs are checked in a worker with verdicts remembered, as in the app.
const host = createHost({
  dialog: dialogs,
  midi,
  userDataDir,
  lessonsDir,
  checkPack: rememberVerdicts(packCheckWorker(createNodePackCheckWorker)),
  version: 'e2e',
  shell: 'web',
});
const folders: AppFolders = { root, modelsRoot, userModelFolder: (id) => host.userModelFolder(id) };

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null;
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
  try {
    if (req.method === 'POST' && url.pathname.startsWith('/__host/')) {
      const channel = url.pathname.slice('/__host/'.length);
      const args = fromWire(await body(req));
      const reply = await dispatch(host.handlers, channel, args, (m, e) => console.error(m, e));
      return json(res, 200, toWire(reply));
    }
    if (url.pathname === '/__host/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(': connected\n\n');
      listeners.add(res);
      req.on('close', () => listeners.delete(res));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/__test/csp-report') {
      cspReports.push(await body(req));
      return json(res, 200, { ok: true });
    }
    if (req.method === 'GET' && url.pathname === '/__test/csp-reports') return json(res, 200, cspReports);
    if (req.method === 'POST' && url.pathname === '/__test/dialog') {
      const { open, save, model, pack, csv, replace } = (await body(req)) as {
        [K in keyof typeof answers]?: (typeof answers)[K][number];
      };
      if (open !== undefined) answers.open.push(open);
      if (save !== undefined) answers.save.push(save);
      if (model !== undefined) answers.model.push(model);
      if (pack !== undefined) answers.pack.push(pack);
      if (csv !== undefined) answers.csv.push(csv);
      if (replace !== undefined) answers.replace.push(replace);
      return json(res, 200, { ok: true });
    }
    if (req.method === 'POST' && url.pathname === '/__test/emit') {
      const message = (await body(req)) as { event: string; payload: unknown };
      if (message.event === 'file:opened-externally')
        host.grantPath((message.payload as { path: string }).path);
      broadcast(message.event, message.payload);
      return json(res, 200, { ok: true });
    }
    if (req.method === 'GET') {
      // The page, the app's models and chosen model folders, as the desktop app's protocol serves them.
      const file = await readAppFile(url.pathname, folders);
      if (!file) return json(res, 404, { error: 'not found' });
      res.writeHead(200, {
        'content-type': file.type,
        'content-security-policy': POLICY,
      });
      return res.end(file.body);
    }
    json(res, 405, { error: 'method not allowed' });
  } catch (err) {
    if (err instanceof RejectedCall) return json(res, 400, { error: err.message });
    console.error(err);
    json(res, 500, { error: 'internal error' });
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`Cantus test bridge on http://127.0.0.1:${port} (user data in ${userDataDir})`);
});
