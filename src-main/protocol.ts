/** The app:// protocol that serves the built renderer, with the CSP header, refusing paths outside it. */
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from './csp.ts';
import { mimeType, resolveUnderRoot } from './security.ts';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/** Serves the renderer from `root`, and the melody models from `modelsRoot` under /models/. */
export function serveAppProtocol(root: string, modelsRoot: string): void {
  protocol.handle('app', async (request) => {
    const path = new URL(request.url).pathname;
    const file = path.startsWith('/models/')
      ? resolveUnderRoot(modelsRoot, path.slice('/models'.length), sep as '/' | '\\')
      : resolveUnderRoot(root, path, sep as '/' | '\\');
    if (file === null) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: { 'Content-Type': mimeType(file), 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
