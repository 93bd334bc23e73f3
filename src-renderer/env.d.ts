/// <reference types="svelte" />
/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Set in the browser test build only (vite.web.config.ts). */
  readonly CANTUS_E2E?: boolean;
}
