/**
 * The main-process side of the host API, free of Electron: every channel of the contract
 * implemented over small ports (dialogs, the user-data folder). The Electron shell and the
 * browser test bridge both serve these same handlers.
 */
import { basename } from 'node:path';
import type { Args, Reply } from '../src-core/ipc/contract.ts';
import type { InvokeChannel } from '../src-core/ipc/channels.ts';
import { fail, ok } from '../src-core/result.ts';
import { readUserFile, saveUserFile } from './services/files.ts';
import { RecentFiles } from './services/recent-files.ts';
import type { MidiService } from './midi/midi-service.ts';

/** Native dialogs, behind a port so tests can answer them. Each returns null when cancelled. */
export interface DialogPort {
  chooseMidiToOpen(): Promise<string | null>;
  chooseSavePath(suggestedName: string): Promise<string | null>;
  chooseModelFolder(): Promise<string | null>;
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
  readonly version: string;
  readonly shell: 'electron' | 'web';
}

export type Handlers = { readonly [C in InvokeChannel]: (...args: Args<C>) => Promise<Reply<C>> };

export interface Host {
  readonly handlers: Handlers;
  /** Lets the window read `path` (a file the OS asked Cantus to open). */
  grantPath(path: string): void;
  /** The folder of a model the user chose, by the number in its address (/user-models/N/). */
  userModelFolder(id: number): string | null;
}

/**
 * The window may only read files the user chose: in a dialog, from the OS ("open with"),
 * or earlier (the recent list). A page that has gone wrong cannot read anything else.
 */
export function createHost(deps: HostDeps): Host {
  const recent = new RecentFiles(deps.userDataDir);
  const granted = new Set<string>();
  const userModels: string[] = [];

  const readAndRemember = async (path: string) => {
    const read = await readUserFile(path);
    if (read.ok) {
      granted.add(path);
      await recent.add(path).catch(() => undefined);
    }
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
      const path = await deps.dialog.chooseSavePath(withMidExtension(suggestedName));
      if (path === null) return ok(null);
      const saved = await saveUserFile(withMidExtension(path), bytes);
      if (saved.ok) await recent.add(saved.value.path).catch(() => undefined);
      return saved;
    },

    'library:recent': async () => ok(await recent.list()),

    'midi:ports': async () => deps.midi.ports(),
    'midi:open-output': async ({ name, virtual }) => deps.midi.openOutput(name, virtual ?? false),
    'midi:play': async ({ melody, channel, program, tempo }) =>
      deps.midi.play(melody, { channel, program, tempo }),
    'midi:stop': async () => (deps.midi.stop(), ok(null)),
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
      if (id < 0) id = userModels.push(folder) - 1;
      return ok({ name: basename(folder), url: `./user-models/${id}/` });
    },
  };

  return {
    handlers,
    grantPath: (path) => void granted.add(path),
    userModelFolder: (id) => userModels[id] ?? null,
  };
}

/** Adds ".mid" unless the name already ends in .mid or .midi. */
export function withMidExtension(name: string): string {
  return /\.midi?$/i.test(name) ? name : `${name}.mid`;
}
