/**
 * The Content-Security-Policy every Cantus page is served with: no eval, no remote code,
 * WebAssembly allowed (the model runs on tfjs' wasm backend), fonts from data: URLs
 * (VexFlow embeds Bravura). Sent as a response header, so module workers get it too.
 * Inline styles are allowed because VexFlow and Svelte set style attributes; blob: workers
 * because Tone.js runs its clock in a worker it creates from a blob.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Origin of the custom protocol the packaged renderer is served from. */
export const APP_ORIGIN = 'app://cantus';
