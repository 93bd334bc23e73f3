/**
 * Vite settings for the renderer, shared by the Electron build (electron.vite.config.ts)
 * and the plain-page build used for end-to-end tests in Chromium (vite.web.config.ts).
 */
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';
import type { UserConfig } from 'vite';

export const rendererRoot = resolve(import.meta.dirname, 'src-renderer');

export function rendererConfig(outDir: string): UserConfig {
  return {
    root: rendererRoot,
    base: './',
    plugins: [svelte()],
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
