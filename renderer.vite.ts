/**
 * Vite settings for the renderer, shared by the Electron build (electron.vite.config.ts)
 * and the plain-page build used for end-to-end tests in Chromium (vite.web.config.ts).
 */
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Plugin, UserConfig } from 'vite';
import { isModelPath, readAppFile, type AppFolders } from './src-main/app-files.ts';
import { DEV_MODEL_FOLDERS, readModelFolders } from './src-main/dev-model-folders.ts';

export const rendererRoot = resolve(import.meta.dirname, 'src-renderer');

const modelsRoot = resolve(import.meta.dirname, 'resources/models');

/**
 * In development (`npm start`), serves the models as the app protocol does: those Cantus ships
 * under /models/, and the folders the user chose under /user-models/N/ (main names them in a
 * file this server makes; see src-main/dev-model-folders.ts). A missing model file is a 404, not
 * the page Vite would send for an unknown path.
 */
function serveModels(): Plugin {
  return {
    name: 'cantus-models',
    configureServer(server) {
      const list = join(mkdtempSync(join(tmpdir(), 'cantus-dev-')), 'model-folders.json');
      process.env[DEV_MODEL_FOLDERS] = list;
      const removeList = () => rmSync(dirname(list), { recursive: true, force: true });
      server.httpServer?.once('close', removeList);
      process.once('exit', removeList);
      const folders: AppFolders = {
        root: rendererRoot,
        modelsRoot,
        userModelFolder: (id) => readModelFolders(list)[id] ?? null,
      };
      server.middlewares.use((req, res, next) => {
        const pathname = (req.url ?? '/').split('?')[0]!;
        if (!isModelPath(pathname)) return next();
        readAppFile(pathname, folders).then((file) => {
          res.statusCode = file ? 200 : 404;
          res.setHeader('Content-Type', file ? file.type : 'text/plain; charset=utf-8');
          res.end(file ? file.body : 'Not found');
        }, next);
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
    resolve: {
      alias: [
        // magenta.js's compat/global reads `window`, which the generation worker lacks (chord
        // models run magenta's MusicRNN there): its browser twin reads globalThis instead.
        {
          find: /^(?:\.\.\/core|\.)\/compat\/global$/,
          replacement: resolve(
            import.meta.dirname,
            'node_modules/@magenta/music/esm/core/compat/global_browser.js',
          ),
        },
      ],
    },
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
