/**
 * The development server (`npm start`) serves models as the app protocol does
 * (renderer.vite.ts with src-main/app-files.ts): the shipped ones under /models/, the folders
 * the user chose under /user-models/N/ once main has written them down, and a 404 (not the
 * page's HTML, Vite's answer to unknown paths) for any file that is not there.
 */
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';
import { rendererConfig } from '../../../renderer.vite.ts';
import { DEV_MODEL_FOLDERS, writeModelFolders } from '../../../src-main/dev-model-folders.ts';

const shipped = resolve(import.meta.dirname, '../../../resources/models/folk-rnn-2x256');
const outDir = mkdtempSync(join(tmpdir(), 'cantus-dev-out-'));
let server: ViteDevServer;
let port = 0;

/** A GET with the path sent as written (no client-side clean-up of dot segments). */
function get(path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () =>
        done({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

beforeAll(async () => {
  server = await createServer({
    ...rendererConfig(outDir),
    configFile: false,
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0 },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await server.listen();
  const address = server.httpServer!.address();
  port = typeof address === 'object' && address ? address.port : 0;
});

afterAll(async () => {
  await server?.close();
  rmSync(outDir, { recursive: true, force: true });
});

describe('models on the development server', () => {
  it('serves the shipped model files with their types', async () => {
    const config = await get('/models/folk-rnn-2x256/config.json');
    expect(config.status).toBe(200);
    expect(config.type).toBe('application/json');
    expect(config.body).toBe(readFileSync(join(shipped, 'config.json'), 'utf8'));
  });

  it('answers 404 for a missing model file, where Vite would send the page', async () => {
    for (const path of [
      '/models/folk-rnn-2x256/missing.bin',
      '/models/no-such-model/config.json',
      '/models/folk-rnn-2x256/',
      '/models/%2e%2e/package.json',
      '/user-models/0/config.json',
      '/user-models/x/config.json',
    ]) {
      const answer = await get(path);
      expect({ path, status: answer.status, type: answer.type }).toEqual({
        path,
        status: 404,
        type: 'text/plain; charset=utf-8',
      });
    }
    // Other unknown paths still get the page, as Vite does for a single-page app.
    expect(await get('/somewhere/else')).toMatchObject({ status: 200, type: 'text/html' });
  });

  it('serves a folder the user chose once main has written it down, and nothing outside it', async () => {
    const list = process.env[DEV_MODEL_FOLDERS]!;
    expect(list).toBeTruthy();
    writeModelFolders(list, [shipped]);
    const config = await get('/user-models/0/config.json');
    expect(config.status).toBe(200);
    expect(config.body).toBe(readFileSync(join(shipped, 'config.json'), 'utf8'));
    expect((await get('/user-models/0/weights_manifest.json')).status).toBe(200);
    expect((await get('/user-models/0/%2e%2e/%2e%2e/package.json')).status).toBe(404);
    expect((await get('/user-models/0/nothing.bin')).status).toBe(404);
    expect((await get('/user-models/1/config.json')).status).toBe(404);
  });
});
