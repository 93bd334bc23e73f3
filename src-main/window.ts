/** The one Cantus window, locked down: sandboxed, isolated, no node, no navigation, no pop-ups. */
import { BrowserWindow, shell, type WebContents } from 'electron';
import { isTrustedUrl } from './security.ts';

export const SECURE_WEB_PREFERENCES = {
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const;

export function createMainWindow(options: {
  preload: string;
  url: string;
  allowedOrigins: readonly string[];
}): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Cantus',
    backgroundColor: '#f7f5f0',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: options.preload },
  });
  lockDown(win.webContents, options.allowedOrigins);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(options.url);
  return win;
}

/** Denies navigation away from the app and every new window; web links open in the browser. */
export function lockDown(contents: WebContents, allowedOrigins: readonly string[]): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url, allowedOrigins)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedUrl(url, allowedOrigins)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
