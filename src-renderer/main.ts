// First, before any schema is built (see the file).
import './lib/zod-jitless.ts';
import { mount } from 'svelte';
import App from './App.svelte';
import './styles.css';

const target = document.getElementById('app');
if (target) mount(App, { target });

// The browser test build (vite.web.config.ts) exposes the offline renderer (so tests can check
// real rendered audio) and a generation timer (for npm run bench:generate); the desktop build
// compiles this branch away.
if (import.meta.env['CANTUS_E2E']) {
  void Promise.all([import('./lib/tone-player.ts'), import('./lib/generator-bench.ts')]).then(
    ([{ renderMelody }, { timeGeneration }]) => {
      (window as unknown as { cantusTest: unknown }).cantusTest = { renderMelody, timeGeneration };
    },
  );
}
