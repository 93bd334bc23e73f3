/**
 * Electron entry: wires the window, the app:// protocol, the menu and the host API together.
 * Only the first Cantus builds any of it; a second one hands its command line to the first and
 * exits (see the single-instance lock below).
 */
import { app, dialog, ipcMain, Menu, session, type BrowserWindow } from 'electron';
import { basename, dirname, join } from 'node:path';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY } from './csp.ts';
import { createHost, type DialogPort, type SaveKind } from './host-handlers.ts';
import { createElectronSchedulerWorker } from './midi/electron-worker.ts';
import { createElectronPackCheckWorker } from './services/pack-check-electron.ts';
import { packCheckWorker, rememberVerdicts } from './services/pack-check.ts';
import { MidiService } from './midi/midi-service.ts';
import { DEFAULT_MODEL_ID } from '../src-core/model/model-id.ts';
import { registerIpc } from './ipc.ts';
import { menuTemplate } from './menu.ts';
import { registerAppScheme, serveAppProtocol } from './protocol.ts';
import { DEV_MODEL_FOLDERS, writeModelFolders } from './dev-model-folders.ts';
import { findMidiArgument } from './open-with.ts';
import { createMainWindow, lockDown } from './window.ts';

// electron-vite dev names its server here; a packaged app never loads pages from elsewhere.
const devUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
const allowedOrigins = devUrl ? [new URL(devUrl).origin] : [APP_ORIGIN];

let win: BrowserWindow | null = null;
const pendingOpens: string[] = [];

/** Title and file type of the save dialog, by what is saved. */
const SAVE_DIALOGS: Record<SaveKind, { title: string; filters: { name: string; extensions: string[] }[] }> = {
  midi: { title: 'Save as MIDI', filters: [{ name: 'MIDI files', extensions: ['mid'] }] },
  pack: { title: 'Export lesson pack', filters: [{ name: 'Cantus lesson packs', extensions: ['zip'] }] },
  csv: { title: 'Export progress as CSV', filters: [{ name: 'CSV files', extensions: ['csv'] }] },
};

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
  async chooseSavePath(suggestedName, kind) {
    const options = {
      ...SAVE_DIALOGS[kind],
      // Only a file name from the window: it suggests a name, never a folder.
      defaultPath: join(app.getPath('documents'), basename(suggestedName)),
    };
    const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  },
  async confirmReplace(path) {
    const options = {
      type: 'question' as const,
      buttons: ['Replace', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message: `“${basename(path)}” already exists. Replace it?`,
      detail: `Cantus added the file type to the name you typed, and a file of that name is already in ${dirname(path)}. Replacing it overwrites what it holds.`,
    };
    const result = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
    return result.response === 0;
  },
  async chooseModelFolder() {
    const options = {
      title: 'Choose a melody model folder (with config.json and weights_manifest.json)',
      properties: ['openDirectory' as const],
    };
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  async choosePackToImport() {
    const options = {
      title: 'Import a lesson pack',
      properties: ['openFile' as const],
      filters: [{ name: 'Cantus lesson packs', extensions: ['zip'] }],
    };
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  async chooseCsvFiles() {
    const options = {
      title: 'Choose progress exports for a class summary',
      properties: ['openFile' as const, 'multiSelections' as const],
      filters: [{ name: 'CSV files', extensions: ['csv'] }],
    };
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled || result.filePaths.length === 0 ? null : result.filePaths;
  },
};

function startFirstInstance(): void {
  registerAppScheme();

  // Models ship in resources/models and lesson packs in lessons/: beside the app when
  // packaged, in the project otherwise.
  const modelsRoot = app.isPackaged
    ? join(process.resourcesPath, 'models')
    : join(import.meta.dirname, '../../resources/models');
  const lessonsDir = app.isPackaged
    ? join(process.resourcesPath, 'lessons')
    : join(import.meta.dirname, '../../lessons');

  const midi = new MidiService({
    createWorker: createElectronSchedulerWorker,
    emit: (event, payload) => win?.webContents.send(event, payload),
    // tfjs loads only when call and response first needs the model.
    loadModel: async () =>
      (await import('../src-engine/node-model.ts')).loadStepModel(join(modelsRoot, DEFAULT_MODEL_ID)),
  });

  // Lesson packs are checked in a worker, so a large or hostile pack never holds up main.
  const packChecker = packCheckWorker(createElectronPackCheckWorker);

  const devModelFolders = devUrl ? process.env[DEV_MODEL_FOLDERS] : undefined;
  const host = createHost({
    dialog: dialogPort,
    midi,
    userDataDir: app.getPath('userData'),
    lessonsDir,
    checkPack: rememberVerdicts(packChecker),
    version: app.getVersion(),
    shell: 'electron',
    // In development the dev server serves /user-models/N/ and needs the folders main knows.
    modelFoldersChanged: devModelFolders
      ? (folders) => writeModelFolders(devModelFolders, folders)
      : undefined,
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
  app.on('second-instance', (_event, argv, workingDirectory) => {
    // A relative path on the second Cantus's command line is relative to where it was started.
    const path = findMidiArgument(argv, workingDirectory);
    if (path) openExternally(path);
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents, allowedOrigins));

  void app.whenReady().then(() => {
    // Nothing in Cantus needs the camera, notifications, geolocation or the like.
    // The window needs no permission (MIDI goes through main): every request is refused, and every
    // check answered "not granted", so no API sees a permission granted by default.
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
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

    const initial = findMidiArgument(process.argv, process.cwd());
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

  // Before quitting, silence and close the MIDI device, so no note is left hanging on it, and
  // close the progress log (every record is already on the disk; this finishes cleanly).
  let shutDown: Promise<unknown> | null = null;
  let readyToQuit = false;
  const shutDownThenQuit = () => {
    shutDown ??= Promise.allSettled([midi.dispose(), host.close(), packChecker.dispose()]).then(
      () => (readyToQuit = true),
    );
    void shutDown.finally(() => app.quit());
  };
  app.on('window-all-closed', shutDownThenQuit);
  // Quitting from the menu (Cmd+Q) skips window-all-closed.
  app.on('will-quit', (event) => {
    if (readyToQuit) return;
    event.preventDefault();
    shutDownThenQuit();
  });
}

// A second Cantus (say, a file opened with it while one runs) passes its command line and
// working folder to the first through the lock ('second-instance' there), and exits before
// building any protocol, IPC handler or window.
if (app.requestSingleInstanceLock()) startFirstInstance();
else app.exit(0);
