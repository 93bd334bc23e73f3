/** The same renderer as a plain page, for end-to-end tests in Chromium (see test/e2e/host-bridge.ts). */
import { defineConfig } from 'vite';
import { resolve } from 'node:path';
import { rendererConfig } from './renderer.vite.ts';

export default defineConfig(rendererConfig(resolve(import.meta.dirname, 'dist-web')));
