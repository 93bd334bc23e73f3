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

export function serveAppProtocol(root: string): void {
  protocol.handle('app', async (request) => {
    const file = resolveUnderRoot(root, new URL(request.url).pathname, sep as '/' | '\\');
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
