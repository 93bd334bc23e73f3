/** The same renderer as a plain page, for end-to-end tests in Chromium (see test/e2e/host-bridge.ts). */
import { defineConfig } from 'vite';
import { resolve } from 'node:path';
import { rendererConfig } from './renderer.vite.ts';

const base = rendererConfig(resolve(import.meta.dirname, 'dist-web'));

export default defineConfig({
  ...base,
  define: { ...base.define, 'import.meta.env.CANTUS_E2E': 'true' },
  build: {
    ...base.build,
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'src-renderer/index.html'),
        // npm run bench:generate compares magenta.js's default path in the browser here.
        'magenta-bench': resolve(import.meta.dirname, 'src-renderer/bench/magenta.html'),
      },
    },
  },
});
