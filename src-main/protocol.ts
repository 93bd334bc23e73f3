/** The app:// protocol that serves the built renderer, with the CSP header, refusing paths outside it. */
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from './csp.ts';
import { mimeType, resolveAppFile } from './security.ts';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/**
 * Serves the renderer from `root`, the melody models Cantus ships from `modelsRoot` under
 * /models/, and model folders the user chose under /user-models/N/.
 */
export function serveAppProtocol(
  root: string,
  modelsRoot: string,
  userModelFolder: (id: number) => string | null = () => null,
): void {
  protocol.handle('app', async (request) => {
    const file = resolveAppFile(
      new URL(request.url).pathname,
      root,
      modelsRoot,
      userModelFolder,
      sep as '/' | '\\',
    );
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
