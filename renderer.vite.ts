/**
 * Vite settings for the renderer, shared by the Electron build (electron.vite.config.ts)
 * and the plain-page build used for end-to-end tests in Chromium (vite.web.config.ts).
 */
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin, UserConfig } from 'vite';

export const rendererRoot = resolve(import.meta.dirname, 'src-renderer');

const modelsRoot = resolve(import.meta.dirname, 'resources/models');

/** In development (`npm start`), serves resources/models under /models/ as the app protocol does. */
function serveModels(): Plugin {
  return {
    name: 'cantus-models',
    configureServer(server) {
      server.middlewares.use('/models', (req, res, next) => {
        const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
        if (path.split('/').includes('..')) return next();
        const file = resolve(modelsRoot, `.${path}`);
        if (!file.startsWith(modelsRoot) || !statSync(file, { throwIfNoEntry: false })?.isFile())
          return next();
        createReadStream(file).pipe(res);
      });
    },
  };
}

export function rendererConfig(outDir: string): UserConfig {
  return {
    root: rendererRoot,
    base: './',
    plugins: [svelte(), serveModels()],
    define: { global: 'globalThis' },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 4000,
      rollupOptions: { input: resolve(rendererRoot, 'index.html') },
    },
    worker: { format: 'es' },
  };
}
