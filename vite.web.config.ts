/** The same renderer as a plain page, for end-to-end tests in Chromium (see test/e2e/host-bridge.ts). */
import { defineConfig } from 'vite';
import { resolve } from 'node:path';
import { rendererConfig } from './renderer.vite.ts';

const base = rendererConfig(resolve(import.meta.dirname, 'dist-web'));

export default defineConfig({
  ...base,
  define: { ...base.define, 'import.meta.env.CANTUS_E2E': 'true' },
});
