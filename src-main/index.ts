/** Electron entry: wires the window, the app:// protocol, the menu and the host API together. */
import { app, dialog, ipcMain, Menu, session, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY } from './csp.ts';
import { createHost, type DialogPort } from './host-handlers.ts';
import { createElectronSchedulerWorker } from './midi/electron-worker.ts';
import { MidiService } from './midi/midi-service.ts';
import { DEFAULT_MODEL_ID } from '../src-core/model/model-id.ts';
import { registerIpc } from './ipc.ts';
import { menuTemplate } from './menu.ts';
import { registerAppScheme, serveAppProtocol } from './protocol.ts';
import { findMidiArgument } from './open-with.ts';
import { createMainWindow, lockDown } from './window.ts';

const devUrl = process.env['ELECTRON_RENDERER_URL'];
const allowedOrigins = devUrl ? [new URL(devUrl).origin] : [APP_ORIGIN];

registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

let win: BrowserWindow | null = null;
const pendingOpens: string[] = [];

const dialogPort: DialogPort = {
  async chooseMidiToOpen() {
    const options = {
      title: 'Open a MIDI file',
      properties: ['openFile' as const],
      filters: [
        { name: 'MIDI files', extensions: ['mid', 'midi'] },
        { name: 'All files', extensions: ['*'] },
      ],
    };
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  async chooseSavePath(suggestedName) {
    const options = {
      title: 'Save as MIDI',
      defaultPath: join(app.getPath('documents'), suggestedName),
      filters: [{ name: 'MIDI files', extensions: ['mid'] }],
    };
    const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  },
  async chooseModelFolder() {
    const options = {
      title: 'Choose a melody model folder (with config.json and weights_manifest.json)',
      properties: ['openDirectory' as const],
    };
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
};

// Models ship in resources/models: beside the app when packaged, in the project otherwise.
const modelsRoot = app.isPackaged
  ? join(process.resourcesPath, 'models')
  : join(import.meta.dirname, '../../resources/models');

const midi = new MidiService({
  createWorker: createElectronSchedulerWorker,
  emit: (event, payload) => win?.webContents.send(event, payload),
  // tfjs loads only when call and response first needs the model.
  loadModel: async () =>
    (await import('../src-engine/node-model.ts')).loadStepModel(join(modelsRoot, DEFAULT_MODEL_ID)),
});

const host = createHost({
  dialog: dialogPort,
  midi,
  userDataDir: app.getPath('userData'),
  version: app.getVersion(),
  shell: 'electron',
});

function openExternally(path: string): void {
  host.grantPath(path);
  if (win && !win.webContents.isLoading()) win.webContents.send('file:opened-externally', { path });
  else pendingOpens.push(path);
}

// macOS "open with" arrives as an event; Windows and Linux pass the file on the command line.
app.on('open-file', (event, path) => {
  event.preventDefault();
  openExternally(path);
});
app.on('second-instance', (_event, argv) => {
  const path = findMidiArgument(argv);
  if (path) openExternally(path);
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});
app.on('web-contents-created', (_event, contents) => lockDown(contents, allowedOrigins));

void app.whenReady().then(() => {
  // Nothing in Cantus needs the camera, notifications, geolocation or the like.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  const rendererRoot = join(import.meta.dirname, '../renderer');
  serveAppProtocol(rendererRoot, modelsRoot, (id) => host.userModelFolder(id));
  registerIpc(ipcMain, host.handlers, allowedOrigins);

  const send = (command: 'open' | 'save' | 'play-toggle' | 'stop') =>
    win?.webContents.send('menu:command', command);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(menuTemplate(send, { isMac: process.platform === 'darwin', isDev: !!devUrl })),
  );

  const initial = findMidiArgument(process.argv);
  if (initial) openExternally(initial);

  win = createMainWindow({
    preload: join(import.meta.dirname, '../preload/index.cjs'),
    url: devUrl ?? `${APP_ORIGIN}/index.html`,
    allowedOrigins,
  });
  win.webContents.on('did-finish-load', () => {
    for (const path of pendingOpens.splice(0)) win?.webContents.send('file:opened-externally', { path });
  });
  win.on('closed', () => (win = null));
});

app.on('window-all-closed', () => {
  // Silence and close the MIDI device first, so no note is left hanging on it.
  void midi.dispose().finally(() => app.quit());
});
