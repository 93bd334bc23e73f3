import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createHost,
  withMidExtension,
  type DialogPort,
  type MidiPort,
} from '../../../src-main/host-handlers.ts';
import { dispatch, RejectedCall } from '../../../src-main/dispatch.ts';
import { readUserFile, writeFileAtomic } from '../../../src-main/services/files.ts';

function scriptedDialog(
  open: (string | null)[],
  save: (string | null)[] = [],
  model: (string | null)[] = [],
): DialogPort {
  return {
    chooseMidiToOpen: async () => open.shift() ?? null,
    chooseSavePath: async () => save.shift() ?? null,
    chooseModelFolder: async () => model.shift() ?? null,
  };
}

/** MIDI is covered by its own tests (test/integration/midi); here it only records calls. */
const calls: string[] = [];
const midi: MidiPort = {
  ports: () => ({ ok: true, value: { inputs: [], outputs: ['Synth'] } }),
  openOutput: async (name) => (calls.push(`open ${name}`), { ok: true, value: null }),
  play: async () => ({ ok: true, value: { finished: true } }),
  stop: () => void calls.push('stop'),
  panic: () => void calls.push('panic'),
  setTempo: (t) => void calls.push(`tempo ${t}`),
  openInput: (name) => (calls.push(`input ${name}`), { ok: true, value: null }),
  closeInput: () => void calls.push('close input'),
  answerMode: (settings) => (
    calls.push(`answer ${settings === null ? 'off' : 'on'}`),
    { ok: true, value: null }
  ),
  answered: () => void calls.push('answered'),
};

function setup(open: (string | null)[] = [], save: (string | null)[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'cantus-host-'));
  const userData = join(dir, 'user-data');
  mkdirSync(userData);
  const host = createHost({
    dialog: scriptedDialog(open, save),
    midi,
    userDataDir: userData,
    version: '1.2.3',
    shell: 'electron',
  });
  return { dir, userData, host };
}

describe('host handlers', () => {
  it('opens the file chosen in the dialog and remembers it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cantus-open-'));
    const file = join(dir, 'tune.mid');
    writeFileSync(file, new Uint8Array([77, 84, 104, 100]));
    const { host } = setup([file]);
    const opened = await host.handlers['file:open-midi']();
    expect(opened).toEqual({
      ok: true,
      value: { name: 'tune.mid', path: file, bytes: new Uint8Array([77, 84, 104, 100]) },
    });
    const recent = await host.handlers['library:recent']();
    expect(recent).toEqual({ ok: true, value: [{ name: 'tune.mid', path: file }] });
    // The dialog has no more answers: the user cancels.
    expect(await host.handlers['file:open-midi']()).toEqual({ ok: true, value: null });
  });

  it('cancelling the dialog is not an error', async () => {
    const { host } = setup([null], [null]);
    expect(await host.handlers['file:open-midi']()).toEqual({ ok: true, value: null });
    expect(
      await host.handlers['file:save-midi']({ suggestedName: 'a.mid', bytes: new Uint8Array([1]) }),
    ).toEqual({
      ok: true,
      value: null,
    });
  });

  it('refuses to read a path the user never chose', async () => {
    const { host } = setup();
    const reply = await host.handlers['file:read-midi']({ path: '/etc/passwd' });
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.code).toBe('file/not-chosen');
  });

  it('reads a path granted by the OS ("open with") and one from the recent list', async () => {
    const { dir, userData, host } = setup();
    const file = join(dir, 'given.mid');
    writeFileSync(file, 'MThd');
    host.grantPath(file);
    const reply = await host.handlers['file:read-midi']({ path: file });
    expect(reply.ok).toBe(true);
    // A new session (same user-data folder) still trusts the recent list.
    const again = createHost({
      dialog: scriptedDialog([]),
      midi,
      userDataDir: userData,
      version: 'x',
      shell: 'web',
    });
    expect((await again.handlers['file:read-midi']({ path: file })).ok).toBe(true);
  });

  it('saves atomically with a .mid extension and reports a missing folder plainly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cantus-save-'));
    const { host } = setup([], [join(dir, 'my song'), join(dir, 'no-such-folder', 'song.mid')]);
    const saved = await host.handlers['file:save-midi']({
      suggestedName: 'my song.mid',
      bytes: new Uint8Array([9, 8, 7]),
    });
    expect(saved).toEqual({ ok: true, value: { path: join(dir, 'my song.mid'), name: 'my song.mid' } });
    expect([...readFileSync(join(dir, 'my song.mid'))]).toEqual([9, 8, 7]);
    expect(readdirSync(dir)).toEqual(['my song.mid']);

    const failed = await host.handlers['file:save-midi']({
      suggestedName: 'song.mid',
      bytes: new Uint8Array([1]),
    });
    expect(failed.ok).toBe(false);
    if (!failed.ok)
      expect(failed.error.message).toBe('The folder for "song.mid" does not exist. Choose another folder.');
  });

  it('reports files that are missing, folders, or too large in words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cantus-read-'));
    const missing = await readUserFile(join(dir, 'gone.mid'));
    expect(missing).toMatchObject({ ok: false, error: { code: 'file/enoent' } });
    const folder = await readUserFile(dir);
    expect(folder).toMatchObject({ ok: false, error: { code: 'file/not-a-file' } });
    writeFileSync(join(dir, 'big.mid'), new Uint8Array(2048));
    const big = await readUserFile(join(dir, 'big.mid'), 1024);
    expect(big).toMatchObject({ ok: false, error: { code: 'file/too-large' } });
    if (!big.ok)
      expect(big.error.message).toBe(
        '"big.mid" is 2 KB, more than the 1 KB Cantus opens. Choose a smaller MIDI file.',
      );
  });

  it('writeFileAtomic replaces the whole file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cantus-atomic-'));
    const file = join(dir, 'a.bin');
    await writeFileAtomic(file, new Uint8Array([1, 2, 3, 4, 5]));
    await writeFileAtomic(file, new Uint8Array([6]));
    expect([...readFileSync(file)]).toEqual([6]);
    expect(readdirSync(dir)).toEqual(['a.bin']);
  });

  it.each([
    ['tune', 'tune.mid'],
    ['tune.mid', 'tune.mid'],
    ['tune.MIDI', 'tune.MIDI'],
    ['tune.txt', 'tune.txt.mid'],
  ])('withMidExtension(%s) = %s', (name, expected) => expect(withMidExtension(name)).toBe(expected));
});

describe('dispatch', () => {
  const { host } = setup();

  it('refuses unknown channels and bad arguments', async () => {
    await expect(dispatch(host.handlers, 'fs:read-anything', [])).rejects.toBeInstanceOf(RejectedCall);
    await expect(dispatch(host.handlers, 'file:read-midi', [{ path: 7 }])).rejects.toThrow(
      /Bad arguments for file:read-midi/,
    );
  });

  it('answers a failing handler with a plain message, never its exception', async () => {
    const logged: string[] = [];
    const broken = {
      ...host.handlers,
      'library:recent': async () => {
        throw new Error('ENOMEM at secret/path.ts:12');
      },
    };
    const reply = await dispatch(broken, 'library:recent', [], (m) => logged.push(m));
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'host/failed',
        message: 'Something went wrong in Cantus. Try again; if it keeps happening, restart Cantus.',
      },
    });
    expect(JSON.stringify(reply)).not.toContain('secret');
    expect(logged).toEqual(['Handler for library:recent failed']);
  });

  it('checks replies against the contract', async () => {
    const leaky = { ...host.handlers, 'library:recent': async () => ({ ok: true, value: [{ name: 1 }] }) };
    await expect(dispatch(leaky as never, 'library:recent', [])).rejects.toBeInstanceOf(RejectedCall);
  });

  it('passes MIDI calls to the MIDI service after checking them', async () => {
    calls.length = 0;
    await dispatch(host.handlers, 'midi:open-output', [{ name: 'Synth' }]);
    await dispatch(host.handlers, 'midi:set-tempo', [90]);
    await dispatch(host.handlers, 'midi:panic', []);
    await expect(dispatch(host.handlers, 'midi:set-tempo', [0])).rejects.toBeInstanceOf(RejectedCall);
    const overlapping = {
      melody: {
        notes: [
          { pitch: 60, start: 0, end: 8, velocity: 80 },
          { pitch: 62, start: 4, end: 8, velocity: 80 },
        ],
        meter: { numerator: 4, denominator: 4 },
        tempo: 120,
        key: null,
        length: 8,
      },
      channel: 0,
      program: null,
      tempo: 120,
    };
    await expect(dispatch(host.handlers, 'midi:play', [overlapping])).rejects.toThrow(/must not overlap/);
    await expect(
      dispatch(host.handlers, 'midi:play', [{ ...overlapping, channel: 16 }]),
    ).rejects.toBeInstanceOf(RejectedCall);
    expect(calls).toEqual(['open Synth', 'tempo 90', 'panic']);
  });

  it('checks a chosen model folder before the window may load it', async () => {
    const shipped = join(import.meta.dirname, '../../../resources/models/folk-rnn-2x256');
    const empty = mkdtempSync(join(tmpdir(), 'cantus-no-model-'));
    const models = createHost({
      dialog: scriptedDialog([], [], [shipped, empty, null]),
      midi,
      userDataDir: mkdtempSync(join(tmpdir(), 'cantus-ud-')),
      version: 'x',
      shell: 'web',
    });
    const chosen = await models.handlers['model:choose-folder']();
    expect(chosen).toEqual({ ok: true, value: { name: 'folk-rnn-2x256', url: './user-models/0/' } });
    expect(models.userModelFolder(0)).toBe(shipped);
    const refused = await models.handlers['model:choose-folder']();
    expect(refused).toMatchObject({ ok: false, error: { code: 'model/missing' } });
    expect(models.userModelFolder(1)).toBeNull();
    expect(await models.handlers['model:choose-folder']()).toEqual({ ok: true, value: null });
  });

  it('passes valid calls through', async () => {
    expect(await dispatch(host.handlers, 'app:info', [])).toEqual({
      ok: true,
      value: { version: '1.2.3', platform: process.platform, shell: 'electron' },
    });
  });
});
