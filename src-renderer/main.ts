import { mount } from 'svelte';
import App from './App.svelte';
import './styles.css';

const target = document.getElementById('app');
if (target) mount(App, { target });

// The browser test build (vite.web.config.ts) exposes the offline renderer so tests can check
// real rendered audio; the desktop build compiles this branch away.
if (import.meta.env['CANTUS_E2E']) {
  void import('./lib/tone-player.ts').then(({ renderMelody }) => {
    (window as unknown as { cantusTest: unknown }).cantusTest = { renderMelody };
  });
}
