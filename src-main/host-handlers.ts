/**
 * The main-process side of the host API, free of Electron: every channel of the contract
 * implemented over small ports (dialogs, the user-data folder). The Electron shell and the
 * browser test bridge both serve these same handlers.
 */
import { access, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Args, Reply } from '../src-core/ipc/contract.ts';
import type { InvokeChannel } from '../src-core/ipc/channels.ts';
import { formatSize, PACK_LIMITS, writePackArchive } from '../src-core/lessons/pack-files.ts';
import { importClassSummary } from '../src-core/lessons/progress.ts';
import { formatProblems } from '../src-core/lessons/validate.ts';
import { checkPackHere, type PackCheck } from './services/pack-check.ts';
import { formatBytes } from '../src-core/midi/limits.ts';
import { fail, ok, type Result } from '../src-core/result.ts';
import { readUserFile, saveUserFile, type ReadFile } from './services/files.ts';
import { PackLibrary, packFilesMap, packFilesRecord } from './services/pack-library.ts';
import { ProgressStore } from './services/progress-store.ts';
import { RecentFiles } from './services/recent-files.ts';
import type { MidiService } from './midi/midi-service.ts';

/** What a save dialog is for: it sets the dialog's title and file type. */
export type SaveKind = 'midi' | 'pack' | 'csv';

/** Native dialogs, behind a port so tests can answer them. Each returns null when cancelled. */
export interface DialogPort {
  chooseMidiToOpen(): Promise<string | null>;
  chooseSavePath(suggestedName: string, kind: SaveKind): Promise<string | null>;
  chooseModelFolder(): Promise<string | null>;
  /** A lesson pack shared as one file (.zip). */
  choosePackToImport(): Promise<string | null>;
  /** Several progress exports (.csv) at once. */
  chooseCsvFiles(): Promise<string[] | null>;
  /**
   * Asks whether to replace an existing file the save dialog did not ask about (it asks only
   * for the name typed; Cantus may have added the extension). True: replace it.
   */
  confirmReplace(path: string): Promise<boolean>;
}

/** MIDI devices, as the handlers need them (src-main/midi/midi-service.ts). */
export type MidiPort = Pick<
  MidiService,
  | 'ports'
  | 'openOutput'
  | 'play'
  | 'stop'
  | 'panic'
  | 'setTempo'
  | 'openInput'
  | 'closeInput'
  | 'answerMode'
  | 'answered'
>;

export interface HostDeps {
  readonly dialog: DialogPort;
  readonly midi: MidiPort;
  readonly userDataDir: string;
  /** The built-in lesson packs: a folder each, holding a pack.json. */
  readonly lessonsDir: string;
  readonly version: string;
  readonly shell: 'electron' | 'web';
  /**
   * Checks lesson packs (default: in main's thread). The app gives a worker's, with verdicts
   * remembered, so a large pack never holds up main.
   */
  readonly checkPack?: PackCheck;
  /** The clock, for dates in suggested file names. */
  readonly now?: () => Date;
  /** Told the model folders the user chose (/user-models/N/ is the Nth) each time one is added. */
  readonly modelFoldersChanged?: (folders: readonly string[]) => void;
}

export type Handlers = { readonly [C in InvokeChannel]: (...args: Args<C>) => Promise<Reply<C>> };

export interface Host {
  readonly handlers: Handlers;
  /** Lets the window read `path` (a file the OS asked Cantus to open). */
  grantPath(path: string): void;
  /** The folder of a model the user chose, by the number in its address (/user-models/N/). */
  userModelFolder(id: number): string | null;
  /** Finishes pending writes and closes the progress log; call it when the app quits. */
  close(): Promise<void>;
}

/** Largest progress export read for a class summary (8 MB, far above a school year's). */
export const MAX_CSV_BYTES = 8 * 1024 * 1024;

/**
 * The window may only read files the user chose: in a dialog, from the OS ("open with"),
 * or earlier (the recent list). A page that has gone wrong cannot read anything else.
 */
export function createHost(deps: HostDeps): Host {
  const recent = new RecentFiles(deps.userDataDir);
  const granted = new Set<string>();
  const userModels: string[] = [];
  const checkPack = deps.checkPack ?? checkPackHere;
  const packs = new PackLibrary(deps.lessonsDir, deps.userDataDir, checkPack);
  const now = deps.now ?? (() => new Date());

  /**
   * The path to save to: the chosen one with its extension added. The save dialog asked about
   * replacing only the name as typed, so when adding the extension lands on an existing file,
   * the user is asked; null when they keep the file.
   */
  const savePathWithExtension = async (
    chosen: string,
    addExtension: (path: string) => string,
  ): Promise<string | null> => {
    const path = addExtension(chosen);
    if (path === chosen || !(await exists(path))) return path;
    return (await deps.dialog.confirmReplace(path)) ? path : null;
  };

  // One progress log, opened when first needed; a failed open is tried again next time.
  let store: Promise<ProgressStore> | null = null;
  let closed = false;
  const withProgress = async <T>(use: (store: ProgressStore) => Promise<Result<T>>): Promise<Result<T>> => {
    if (closed) return fail('progress/closed', 'Cantus is closing, so progress can no longer be saved.');
    store ??= ProgressStore.open(join(deps.userDataDir, 'progress'), { now });
    let opened: ProgressStore;
    try {
      opened = await store;
    } catch {
      store = null;
      return fail(
        'progress/unavailable',
        'Cantus could not open the record of progress in its data folder. Try again; if it keeps failing, restart Cantus.',
      );
    }
    return use(opened);
  };

  /** Reads a chosen file; it joins the recent list only once the window has opened it. */
  const readAndRemember = async (path: string) => {
    const read = await readUserFile(path);
    if (read.ok) granted.add(path);
    return read;
  };

  const handlers: Handlers = {
    'app:info': async () => ok({ version: deps.version, platform: process.platform, shell: deps.shell }),

    'file:open-midi': async () => {
      const path = await deps.dialog.chooseMidiToOpen();
      if (path === null) return ok(null);
      return readAndRemember(path);
    },

    'file:read-midi': async ({ path }) => {
      const allowed = granted.has(path) || (await recent.list()).some((f) => f.path === path);
      if (!allowed)
        return fail(
          'file/not-chosen',
          'Cantus can only open files you choose. Use Open to pick the file.',
          path,
        );
      return readAndRemember(path);
    },

    'file:save-midi': async ({ suggestedName, bytes }) => {
      const chosen = await deps.dialog.chooseSavePath(withMidExtension(suggestedName), 'midi');
      const path = chosen === null ? null : await savePathWithExtension(chosen, withMidExtension);
      if (path === null) return ok(null);
      const saved = await saveUserFile(path, bytes);
      if (saved.ok) await recent.add(saved.value.path).catch(() => undefined);
      return saved;
    },

    'library:recent': async () => ok(await recent.list()),

    'library:opened': async ({ path }) => {
      // Only a file the user chose and Cantus read can join the list.
      if (granted.has(path)) await recent.add(path).catch(() => undefined);
      return ok(null);
    },

    'midi:ports': async () => deps.midi.ports(),
    'midi:open-output': async ({ name, virtual }) => deps.midi.openOutput(name, virtual ?? false),
    'midi:play': async ({ melody, channel, program, tempo }) =>
      deps.midi.play(melody, { channel, program, tempo }),
    'midi:stop': async () => (await deps.midi.stop(), ok(null)),
    'midi:panic': async () => (deps.midi.panic(), ok(null)),
    'midi:set-tempo': async (tempo) => (deps.midi.setTempo(tempo), ok(null)),
    'midi:open-input': async ({ name }) => deps.midi.openInput(name),
    'midi:close-input': async () => (deps.midi.closeInput(), ok(null)),
    'midi:answer-mode': async (mode) => deps.midi.answerMode(mode.on ? mode : null),
    'midi:answered': async () => (deps.midi.answered(), ok(null)),

    'model:choose-folder': async () => {
      const folder = await deps.dialog.chooseModelFolder();
      if (folder === null) return ok(null);
      const { readCheckpoint } = await import('../src-engine/read-checkpoint.ts');
      const checked = await readCheckpoint(folder);
      if (!checked.ok) return fail(checked.error.code, checked.error.message, folder);
      let id = userModels.indexOf(folder);
      if (id < 0) {
        id = userModels.push(folder) - 1;
        deps.modelFoldersChanged?.(userModels);
      }
      return ok({ name: basename(folder), url: `./user-models/${id}/` });
    },

    'lessons:packs': async () => ok(await packs.list()),

    'lessons:import': async () => {
      const path = await deps.dialog.choosePackToImport();
      if (path === null) return ok(null);
      return packs.import(path, basename(path));
    },

    'lessons:remove': async ({ ref }) => packs.remove(ref),

    'lessons:export': async ({ suggestedName, files }) => {
      const pack = packFilesMap(files);
      const checked = await checkPack(pack, suggestedName);
      if (!checked.pack)
        return fail(
          'lessons/invalid',
          `${suggestedName} was not exported:\n${formatProblems(checked.problems)}`,
        );
      // What Cantus writes, Cantus (and a colleague's) must be able to read back.
      const archive = writePackArchive(pack);
      if (archive.length > PACK_LIMITS.maxArchiveBytes)
        return fail(
          'lessons/archive-too-large',
          `${suggestedName} was not exported: as one file it would be ${formatSize(archive.length)}, and a lesson pack may be at most ${formatSize(PACK_LIMITS.maxArchiveBytes)}. Use fewer or smaller MIDI files.`,
        );
      const chosen = await deps.dialog.chooseSavePath(withExtension(suggestedName, '.zip'), 'pack');
      const path =
        chosen === null ? null : await savePathWithExtension(chosen, (p) => withExtension(p, '.zip'));
      if (path === null) return ok(null);
      return saveUserFile(path, archive);
    },

    'lessons:draft-load': async () => {
      const draft = await packs.loadDraft();
      return draft.ok ? ok(draft.value && packFilesRecord(draft.value)) : draft;
    },

    'lessons:draft-save': async ({ files }) => packs.saveDraft(packFilesMap(files)),

    'progress:profiles': () => withProgress(async (s) => ok(s.profiles())),
    'progress:add-profile': ({ name }) => withProgress((s) => s.addProfile(name)),
    'progress:record': (attempt) => withProgress((s) => s.recordAttempt(attempt)),
    'progress:attempts': ({ profileId }) => withProgress(async (s) => ok(s.attempts({ profileId }))),

    'progress:export-csv': ({ profileId }) =>
      withProgress(async (s) => {
        const profile = profileId === null ? null : s.profiles().find((p) => p.id === profileId);
        if (profile === undefined)
          return fail('progress/unknown-profile', 'That student profile is not on this computer.');
        const who = profile === null ? 'all-students' : fileNamePart(profile.name);
        const suggested = `cantus-progress-${who}-${localDate(now())}.csv`;
        const chosen = await deps.dialog.chooseSavePath(suggested, 'csv');
        const path =
          chosen === null ? null : await savePathWithExtension(chosen, (p) => withExtension(p, '.csv'));
        if (path === null) return ok(null);
        // A byte-order mark, so spreadsheet programs read accented names as UTF-8.
        const csv = `\uFEFF${s.exportCsv(profile?.id)}`;
        return saveUserFile(path, new TextEncoder().encode(csv));
      }),

    'progress:class-summary': async () => {
      const paths = await deps.dialog.chooseCsvFiles();
      if (paths === null || paths.length === 0) return ok(null);
      const files: { name: string; text: string }[] = [];
      for (const path of paths) {
        const read = await readChosenFile(path, MAX_CSV_BYTES, 'progress export (.csv)');
        if (!read.ok) return read;
        const text = decodeUtf8(read.value.bytes);
        if (text === null)
          return fail(
            'progress/not-utf8',
            `"${read.value.name}" is not UTF-8 text, so it is not a Cantus progress export as saved. Export it from Cantus again.`,
            path,
          );
        files.push({ name: read.value.name, text });
      }
      const summary = importClassSummary(files);
      return summary.ok
        ? ok({ students: [...summary.value.students], lessons: [...summary.value.lessons] })
        : summary;
    },
  };

  return {
    handlers,
    grantPath: (path) => void granted.add(path),
    userModelFolder: (id) => userModels[id] ?? null,
    async close() {
      closed = true;
      // A draft kept as the window closed, or a pack being imported, is finished first.
      await packs.idle();
      const opened = await store?.catch(() => null);
      await opened?.close();
    },
  };
}

/**
 * Reads a file the user chose for something other than MIDI, with messages naming what it
 * should be (`kind`); file-system failures are worded by readUserFile.
 */
async function readChosenFile(path: string, limit: number, kind: string): Promise<Result<ReadFile>> {
  const name = basename(path);
  const info = await stat(path).catch(() => null);
  if (info && !info.isFile())
    return fail('file/not-a-file', `"${name}" is a folder, not a file. Choose a ${kind}.`, path);
  if (info && info.size > limit)
    return fail(
      'file/too-large',
      `"${name}" is ${formatBytes(info.size)}, more than the ${formatBytes(limit)} Cantus reads as a ${kind}. Choose a ${kind} saved by Cantus.`,
      path,
    );
  return readUserFile(path, limit);
}

/** UTF-8 text, or null when the bytes are not UTF-8. */
function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** "2025-03-07", in local time: the date a teacher sees on the calendar. */
export function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A name made safe for a file name: letters and digits of any script, dashes between. */
export function fileNamePart(name: string): string {
  const part = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}_]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return part === '' ? 'student' : part;
}

/** Adds `extension` (".zip", ".csv") unless the name already ends in it, in any case. */
export function withExtension(name: string, extension: string): string {
  return name.toLowerCase().endsWith(extension.toLowerCase()) ? name : `${name}${extension}`;
}

/** Adds ".mid" unless the name already ends in .mid or .midi. */
export function withMidExtension(name: string): string {
  return /\.midi?$/i.test(name) ? name : `${name}.mid`;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
