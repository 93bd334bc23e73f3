/** The app:// protocol that serves the built renderer, with the CSP header, refusing paths outside it. */
import { protocol } from 'electron';
import { readAppFile, type AppFolders } from './app-files.ts';
import { CONTENT_SECURITY_POLICY } from './csp.ts';

/** Must run before the app is ready. `codeCache` lets V8 keep compiled scripts between starts. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
    },
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
  const folders: AppFolders = { root, modelsRoot, userModelFolder };
  protocol.handle('app', async (request) => {
    const file = await readAppFile(new URL(request.url).pathname, folders);
    if (file === null) return new Response('Not found', { status: 404 });
    return new Response(file.body, {
      headers: { 'Content-Type': file.type, 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
    });
  });
}
