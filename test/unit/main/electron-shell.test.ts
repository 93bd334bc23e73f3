/**
 * The Electron-specific files, with electron mocked (the binary cannot run on every machine):
 * the window's security settings, navigation and pop-up refusal, the app:// protocol, IPC
 * sender checks, the preload's exposed API, the menu, and the wiring in index.ts.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../../../src-core/ipc/channels.ts';

type Listener = (...args: unknown[]) => unknown;

const electron = vi.hoisted(() => {
  class FakeContents {
    listeners = new Map<string, Listener[]>();
    windowOpenHandler: ((d: { url: string }) => unknown) | null = null;
    sent: unknown[][] = [];
    on(event: string, fn: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
      return this;
    }
    emit(event: string, ...args: unknown[]) {
      for (const fn of this.listeners.get(event) ?? []) fn(...args);
    }
    setWindowOpenHandler(fn: (d: { url: string }) => unknown) {
      this.windowOpenHandler = fn;
    }
    send(...args: unknown[]) {
      this.sent.push(args);
    }
    isLoading() {
      return false;
    }
  }
  const windows: FakeWindow[] = [];
  class FakeWindow {
    webContents = new FakeContents();
    loaded: string | null = null;
    constructor(public options: Record<string, unknown>) {
      windows.push(this);
    }
    once() {}
    on() {}
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
    isMinimized() {
      return false;
    }
    focus() {}
  }
  const handlers = new Map<string, Listener>();
  const exposed: Record<string, unknown> = {};
  const invoked: unknown[][] = [];
  const protocolHandlers = new Map<string, (r: Request) => Promise<Response>>();
  const privileged: unknown[] = [];
  const headerHooks: Listener[] = [];
  const appEvents = new Map<string, Listener>();
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((r) => (readyResolve = r));
  const permissionHandlers: { request?: Listener; check?: Listener } = {};
  return {
    permissionHandlers,
    /** What app.isPackaged says. */
    packaged: { value: false },
    FakeContents,
    FakeWindow,
    windows,
    handlers,
    exposed,
    invoked,
    protocolHandlers,
    privileged,
    headerHooks,
    appEvents,
    ready,
    readyResolve: () => readyResolve(),
    openExternal: vi.fn(),
    menuTemplate: [] as unknown[],
    singleInstanceLock: vi.fn(() => true),
    showOpenDialog: vi.fn(),
    exit: vi.fn(),
  };
});

vi.mock('electron', () => ({
  BrowserWindow: electron.FakeWindow,
  shell: { openExternal: electron.openExternal },
  ipcMain: { handle: (channel: string, fn: Listener) => electron.handlers.set(channel, fn) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      electron.invoked.push(args);
      return Promise.resolve('reply');
    },
    on: vi.fn(),
    removeListener: vi.fn(),
  },
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (electron.exposed[key] = api) },
  protocol: {
    registerSchemesAsPrivileged: (s: unknown) => electron.privileged.push(s),
    handle: (scheme: string, fn: (r: Request) => Promise<Response>) =>
      electron.protocolHandlers.set(scheme, fn),
  },
  app: {
    requestSingleInstanceLock: electron.singleInstanceLock,
    quit: vi.fn(),
    exit: electron.exit,
    get isPackaged() {
      return electron.packaged.value;
    },
    on: (event: string, fn: Listener) => electron.appEvents.set(event, fn),
    whenReady: () => electron.ready,
    getPath: (name: string) => join(tmpdir(), `cantus-mock-${name}`),
    getVersion: () => '0.0.0-test',
  },
  dialog: { showOpenDialog: electron.showOpenDialog, showSaveDialog: vi.fn() },
  Menu: {
    buildFromTemplate: (t: unknown[]) => ((electron.menuTemplate = t), t),
    setApplicationMenu: vi.fn(),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (fn: Listener) => (electron.permissionHandlers.request = fn),
      setPermissionCheckHandler: (fn: Listener) => (electron.permissionHandlers.check = fn),
      webRequest: { onHeadersReceived: (fn: Listener) => electron.headerHooks.push(fn) },
    },
  },
}));

// The worker file is bundled by electron-vite (`?modulePath`); the wiring test needs no thread.
vi.mock('../../../src-main/midi/electron-worker.ts', () => ({ createElectronSchedulerWorker: vi.fn() }));
// The pack checker's worker is bundled the same way; here the one made from sources stands in.
vi.mock('../../../src-main/services/pack-check-electron.ts', async () => ({
  createElectronPackCheckWorker: (await import('../../../src-main/services/pack-check-node.ts'))
    .createNodePackCheckWorker,
}));

beforeEach(() => {
  electron.openExternal.mockClear();
});

describe('window', () => {
  it('is sandboxed, isolated and without node', async () => {
    const { createMainWindow } = await import('../../../src-main/window.ts');
    createMainWindow({
      preload: '/p/index.cjs',
      url: 'app://cantus/index.html',
      allowedOrigins: ['app://cantus'],
    });
    const win = electron.windows.at(-1)!;
    expect(win.options['webPreferences']).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/p/index.cjs',
    });
    expect(win.loaded).toBe('app://cantus/index.html');
  });

  it('refuses navigation away from the app and every new window', async () => {
    const { lockDown } = await import('../../../src-main/window.ts');
    const contents = new electron.FakeContents();
    lockDown(contents as never, ['app://cantus']);
    const nav = (url: string) => {
      const event = { preventDefault: vi.fn() };
      contents.emit('will-navigate', event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(nav('https://example.org/')).toBe(true);
    expect(nav('file:///etc/passwd')).toBe(true);
    expect(nav('app://cantus/index.html')).toBe(false);
    expect(contents.windowOpenHandler!({ url: 'https://example.org/help' })).toEqual({ action: 'deny' });
    expect(electron.openExternal).toHaveBeenCalledWith('https://example.org/help');
    expect(contents.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(electron.openExternal).toHaveBeenCalledTimes(1);
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });
});

describe('ipc', () => {
  it('handles every channel and refuses frames from other origins', async () => {
    const { registerIpc } = await import('../../../src-main/ipc.ts');
    const handled = new Map<string, Listener>();
    const calls: string[] = [];
    const handlers = Object.fromEntries(
      INVOKE_CHANNELS.map((c) => [c, async () => (calls.push(c), { ok: true, value: [] })]),
    );
    registerIpc(
      { handle: (c: string, fn: Listener) => handled.set(c, fn) } as never,
      handlers as never,
      ['app://cantus'],
      () => undefined,
    );
    expect([...handled.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    const call = handled.get('library:recent')!;
    await expect(call({ senderFrame: { url: 'app://cantus/index.html' } })).resolves.toEqual({
      ok: true,
      value: [],
    });
    await expect(call({ senderFrame: { url: 'https://evil.example/' } })).rejects.toThrow(/not trusted/);
    await expect(call({ senderFrame: null })).rejects.toThrow(/not trusted/);
    expect(calls).toEqual(['library:recent']);
  });
});

describe('app:// protocol', () => {
  it('serves files under the renderer folder with the CSP header, nothing outside', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cantus-proto-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(root, 'assets', 'a.js'), 'export {}');
    const { serveAppProtocol, registerAppScheme } = await import('../../../src-main/protocol.ts');
    registerAppScheme();
    // Standard and with the code cache, so V8 keeps the app's compiled scripts between starts.
    expect(electron.privileged.at(-1)).toEqual([
      {
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true, codeCache: true }),
      },
    ]);
    serveAppProtocol(root, root);
    const handle = electron.protocolHandlers.get('app')!;
    const index = await handle(new Request('app://cantus/'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(await (await handle(new Request('app://cantus/assets/a.js'))).text()).toBe('export {}');
    expect((await handle(new Request('app://cantus/assets/%2e%2e/%2e%2e/etc/passwd'))).status).toBe(404);
    expect((await handle(new Request('app://cantus/missing.js'))).status).toBe(404);
  });
});

describe('preload', () => {
  it('exposes one function per channel and no ipcRenderer', async () => {
    await import('../../../src-main/preload/index.ts');
    const api = electron.exposed['cantus'] as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...INVOKE_CHANNELS, 'on'].sort());
    expect(Object.isFrozen(api)).toBe(true);
    await (api['file:read-midi'] as (a: unknown) => Promise<unknown>)({ path: '/x.mid' });
    expect(electron.invoked.at(-1)).toEqual(['file:read-midi', { path: '/x.mid' }]);
    expect(() => (api['on'] as (e: string, f: () => void) => void)('anything:else', () => undefined)).toThrow(
      /Unknown event/,
    );
    const off = (api['on'] as (e: string, f: () => void) => () => void)('menu:command', () => undefined);
    expect(typeof off).toBe('function');
  });
});

describe('menu', () => {
  it('sends commands for Open, Save and playback', async () => {
    const { menuTemplate } = await import('../../../src-main/menu.ts');
    const sent: string[] = [];
    const template = menuTemplate((c) => sent.push(c), { isMac: false, isDev: false });
    const items = template.flatMap((m) => (Array.isArray(m.submenu) ? m.submenu : []));
    const byLabel = (label: string) => items.find((i) => i.label === label)!;
    expect(byLabel('Open MIDI File…').accelerator).toBe('CmdOrCtrl+O');
    (byLabel('Open MIDI File…').click as () => void)();
    (byLabel('Save as MIDI…').click as () => void)();
    (byLabel('Stop').click as () => void)();
    expect(sent).toEqual(['open', 'save', 'stop']);
    expect(JSON.stringify(template)).not.toContain('toggleDevTools');
    expect(JSON.stringify(menuTemplate(() => undefined, { isMac: true, isDev: true }))).toContain(
      'toggleDevTools',
    );
  });
});

describe('index.ts wiring', () => {
  it('registers the scheme, the CSP header, every channel and a locked-down window', async () => {
    electron.handlers.clear();
    await import('../../../src-main/index.ts');
    expect(electron.appEvents.has('open-file')).toBe(true);
    electron.readyResolve();
    await vi.waitFor(() => expect(electron.handlers.size).toBe(INVOKE_CHANNELS.length));
    const headers: Record<string, unknown> = {};
    electron.headerHooks.at(-1)!({ responseHeaders: {} }, (r: { responseHeaders: Record<string, unknown> }) =>
      Object.assign(headers, r.responseHeaders),
    );
    expect(String(headers['Content-Security-Policy'])).toContain("default-src 'self'");
    // Every permission a page may ask for (camera, microphone, notifications, Web MIDI...) is
    // refused when asked and reported as not granted when checked.
    const answers: unknown[] = [];
    electron.permissionHandlers.request!({}, 'media', (granted: unknown) => answers.push(granted));
    expect(answers).toEqual([false]);
    expect(electron.permissionHandlers.check!({}, 'midi', 'app://cantus')).toBe(false);
    const win = electron.windows.at(-1)!;
    expect(win.loaded).toBe('app://cantus/index.html');
    expect(win.options['webPreferences']).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    // A file opened from the OS is granted and sent to the window.
    const event = { preventDefault: vi.fn() };
    electron.appEvents.get('open-file')!(event, '/music/tune.mid');
    expect(win.webContents.sent).toContainEqual(['file:opened-externally', { path: '/music/tune.mid' }]);
    // "Open with" from a terminal while Cantus runs: the second Cantus's argv and working folder.
    electron.appEvents.get('second-instance')!({}, ['cantus', '--flag', 'tunes/jig.mid'], '/home/ana/music');
    expect(win.webContents.sent).toContainEqual([
      'file:opened-externally',
      { path: '/home/ana/music/tunes/jig.mid' },
    ]);
  });
});

/** Loads index.ts afresh, as a new Electron process would, with nothing registered yet. */
async function startMain(): Promise<void> {
  electron.privileged.length = 0;
  electron.appEvents.clear();
  electron.handlers.clear();
  electron.protocolHandlers.clear();
  vi.resetModules();
  await import('../../../src-main/index.ts');
}

describe('a second instance', () => {
  it('exits at once, building no protocol, IPC handler or window', async () => {
    const windowsBefore = electron.windows.length;
    electron.singleInstanceLock.mockReturnValueOnce(false);
    await startMain();
    expect(electron.exit).toHaveBeenCalledWith(0);
    // The app is ready already (an earlier test said so): anything registered would be built now.
    await new Promise((r) => setTimeout(r, 20));
    expect(electron.privileged).toEqual([]);
    expect([...electron.appEvents.keys()]).toEqual([]);
    expect(electron.handlers.size).toBe(0);
    expect(electron.protocolHandlers.size).toBe(0);
    expect(electron.windows.length).toBe(windowsBefore);
  });
});

describe('in development', () => {
  it('tells the dev server which model folders the user chose', async () => {
    const list = join(mkdtempSync(join(tmpdir(), 'cantus-dev-')), 'model-folders.json');
    const shipped = join(import.meta.dirname, '../../../resources/models/folk-rnn-2x256');
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173');
    vi.stubEnv('CANTUS_DEV_MODEL_FOLDERS', list);
    try {
      await startMain();
      await vi.waitFor(() => expect(electron.handlers.size).toBe(INVOKE_CHANNELS.length));
      expect(electron.windows.at(-1)!.loaded).toBe('http://localhost:5173');
      electron.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [shipped] });
      const chosen = await electron.handlers.get('model:choose-folder')!({
        senderFrame: { url: 'http://localhost:5173/' },
      });
      expect(chosen).toMatchObject({ ok: true, value: { url: './user-models/0/' } });
      const { readModelFolders } = await import('../../../src-main/dev-model-folders.ts');
      expect(readModelFolders(list)).toEqual([shipped]);
    } finally {
      vi.unstubAllEnvs();
      rmSync(dirname(list), { recursive: true, force: true });
    }
  });
});

describe('packaged', () => {
  it('ignores ELECTRON_RENDERER_URL: an installed app loads only its own files', async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173');
    electron.packaged.value = true;
    // Electron sets process.resourcesPath for an installed app; Node has none.
    Object.defineProperty(process, 'resourcesPath', { value: tmpdir(), configurable: true });
    try {
      await startMain();
      await vi.waitFor(() => expect(electron.handlers.size).toBe(INVOKE_CHANNELS.length));
      expect(electron.windows.at(-1)!.loaded).toBe('app://cantus/index.html');
      // Only the app's own origin may call the host API.
      await expect(
        electron.handlers.get('app:info')!({ senderFrame: { url: 'http://localhost:5173/' } }),
      ).rejects.toThrow(/sender not trusted/);
    } finally {
      electron.packaged.value = false;
      Reflect.deleteProperty(process, 'resourcesPath');
      vi.unstubAllEnvs();
    }
  });
});
