import {
  existsSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
  mkdirSync,
  readdirSync,
  truncateSync,
} from 'node:fs';
import { strFromU8, strToU8, zipSync } from 'fflate';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPackArchive } from '../../../src-core/lessons/pack-files.ts';
import { validatePack } from '../../../src-core/lessons/validate.ts';
import {
  createHost,
  fileNamePart,
  withExtension,
  withMidExtension,
  type DialogPort,
  type MidiPort,
} from '../../../src-main/host-handlers.ts';
import { dispatch, RejectedCall } from '../../../src-main/dispatch.ts';
import { readUserFile, writeFileAtomic } from '../../../src-main/services/files.ts';

const LESSONS = join(import.meta.dirname, '../../../lessons');

function scriptedDialog(
  open: (string | null)[],
  save: (string | null)[] = [],
  model: (string | null)[] = [],
  {
    pack = [],
    csv = [],
    replace = [],
  }: { pack?: (string | null)[]; csv?: (string[] | null)[]; replace?: boolean[] } = {},
): DialogPort & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    chooseMidiToOpen: async () => open.shift() ?? null,
    chooseSavePath: async (name, kind) => (asked.push(`save ${kind} ${name}`), save.shift() ?? null),
    chooseModelFolder: async () => model.shift() ?? null,
    choosePackToImport: async () => pack.shift() ?? null,
    chooseCsvFiles: async () => csv.shift() ?? null,
    confirmReplace: async (path) => (asked.push(`replace ${basename(path)}`), replace.shift() ?? false),
  };
}

/** MIDI is covered by its own tests (test/integration/midi); here it only records calls. */
const calls: string[] = [];
const midi: MidiPort = {
  ports: () => ({ ok: true, value: { inputs: [], outputs: ['Synth'] } }),
  openOutput: async (name) => (calls.push(`open ${name}`), { ok: true, value: null }),
  play: async () => ({ ok: true, value: { finished: true } }),
  stop: async () => void calls.push('stop'),
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
    lessonsDir: LESSONS,
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
    // It joins the recent list only once the window says it opened (a file that could not be
    // opened never does), and only a file the user chose can join.
    expect(await host.handlers['library:recent']()).toEqual({ ok: true, value: [] });
    expect(await host.handlers['library:opened']({ path: file })).toEqual({ ok: true, value: null });
    expect(await host.handlers['library:opened']({ path: '/etc/passwd' })).toEqual({ ok: true, value: null });
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
    await host.handlers['library:opened']({ path: file });
    // A new session (same user-data folder) still trusts the recent list.
    const again = createHost({
      dialog: scriptedDialog([]),
      midi,
      userDataDir: userData,
      lessonsDir: LESSONS,
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

  it('asks before the extension it adds lands on an existing file, and keeps the file when told to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cantus-replace-'));
    for (const name of ['tune.mid', 'pack.zip', 'class.csv']) writeFileSync(join(dir, name), 'keep me');
    const dialog = scriptedDialog(
      [],
      [join(dir, 'tune'), join(dir, 'pack'), join(dir, 'tune'), join(dir, 'tune.mid')],
      [],
      { replace: [false, false, true] },
    );
    const host = createHost({
      dialog,
      midi,
      userDataDir: join(dir, 'data'),
      lessonsDir: LESSONS,
      version: 'x',
      shell: 'web',
    });
    // "tune" typed; Cantus would write tune.mid, which exists: asked, and kept.
    expect(
      await host.handlers['file:save-midi']({ suggestedName: 'a.mid', bytes: new Uint8Array([1]) }),
    ).toEqual({
      ok: true,
      value: null,
    });
    expect(readFileSync(join(dir, 'tune.mid'), 'utf8')).toBe('keep me');
    // The same for a lesson pack.
    expect(await host.handlers['lessons:export']({ suggestedName: 'p', files: folkPack() })).toEqual({
      ok: true,
      value: null,
    });
    expect(readFileSync(join(dir, 'pack.zip'), 'utf8')).toBe('keep me');
    // Told to replace: written.
    const replaced = await host.handlers['file:save-midi']({
      suggestedName: 'a.mid',
      bytes: new Uint8Array([2]),
    });
    expect(replaced).toMatchObject({ ok: true, value: { name: 'tune.mid' } });
    expect([...readFileSync(join(dir, 'tune.mid'))]).toEqual([2]);
    // A name typed with its extension: the save dialog itself asked, so Cantus does not ask again.
    expect(
      (await host.handlers['file:save-midi']({ suggestedName: 'a.mid', bytes: new Uint8Array([3]) })).ok,
    ).toBe(true);
    expect(dialog.asked.filter((a) => a.startsWith('replace'))).toEqual([
      'replace tune.mid',
      'replace pack.zip',
      'replace tune.mid',
    ]);
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
    const told: (readonly string[])[] = [];
    const models = createHost({
      dialog: scriptedDialog([], [], [shipped, empty, shipped, null]),
      midi,
      userDataDir: mkdtempSync(join(tmpdir(), 'cantus-ud-')),
      lessonsDir: LESSONS,
      version: 'x',
      shell: 'web',
      modelFoldersChanged: (folders) => told.push([...folders]),
    });
    const chosen = await models.handlers['model:choose-folder']();
    expect(chosen).toEqual({ ok: true, value: { name: 'folk-rnn-2x256', url: './user-models/0/' } });
    expect(models.userModelFolder(0)).toBe(shipped);
    const refused = await models.handlers['model:choose-folder']();
    expect(refused).toMatchObject({ ok: false, error: { code: 'model/missing' } });
    expect(models.userModelFolder(1)).toBeNull();
    // The same folder again keeps its number.
    expect(await models.handlers['model:choose-folder']()).toMatchObject({
      value: { url: './user-models/0/' },
    });
    expect(await models.handlers['model:choose-folder']()).toEqual({ ok: true, value: null });
    expect(told).toEqual([[shipped]]);
  });

  it('passes valid calls through', async () => {
    expect(await dispatch(host.handlers, 'app:info', [])).toEqual({
      ok: true,
      value: { version: '1.2.3', platform: process.platform, shell: 'electron' },
    });
  });
});

// ---------------------------------------------------------------------------------------
// Lesson packs and progress

const encode = (text: string) => new TextEncoder().encode(text);
const intervalsJson = readFileSync(join(LESSONS, 'intervals', 'pack.json'));
const folkMidi = new Uint8Array(
  readFileSync(join(import.meta.dirname, '../../fixtures/midi/folk-d-major.mid')),
);

/** A small valid pack with a MIDI file, unlike the built-in ones (which write their notes). */
function folkPack(over: Record<string, unknown> = {}): Record<string, Uint8Array> {
  const json = {
    formatVersion: 1,
    id: 'folk-tunes',
    title: 'Folk tunes',
    author: 'A. Teacher',
    version: '1.0.0',
    language: 'en',
    lessons: [
      {
        id: 'folk-1',
        title: 'A tune in D',
        introduction: 'Listen for **steps**.',
        melody: { source: 'fixed', midi: 'tunes/folk.mid' },
        questions: [{ id: 'q1', kind: 'step-skip-leap' }],
      },
    ],
    ...over,
  };
  return { 'pack.json': encode(JSON.stringify(json)), 'tunes/folk.mid': folkMidi };
}

/** A host over a fresh user-data folder; tests queue the dialogs' answers in `answers`. */
function lessonHost() {
  const dir = mkdtempSync(join(tmpdir(), 'cantus-packs-'));
  const userData = join(dir, 'user-data');
  const answers = {
    save: [] as (string | null)[],
    pack: [] as (string | null)[],
    csv: [] as (string[] | null)[],
  };
  const dialogs = scriptedDialog([], answers.save, [], answers);
  const make = () =>
    createHost({
      dialog: dialogs,
      midi,
      userDataDir: userData,
      lessonsDir: LESSONS,
      version: 'x',
      shell: 'web',
      now: () => new Date(2025, 2, 7, 10, 30),
    });
  return { dir, userData, answers, dialogs, host: make(), make };
}

async function refsOf(host: ReturnType<typeof createHost>) {
  const listed = await host.handlers['lessons:packs']();
  if (!listed.ok) throw new Error(listed.error.message);
  return {
    refs: listed.value.packs.map((p) => p.ref),
    problems: listed.value.problems,
    packs: listed.value.packs,
  };
}

describe('lesson packs', () => {
  it('lists the built-in packs with their files', async () => {
    const { host } = lessonHost();
    const { packs, problems } = await refsOf(host);
    expect(problems).toEqual([]);
    expect(packs.map((p) => [p.ref, p.origin, Object.keys(p.files)])).toEqual([
      ['built-in/intervals', 'built-in', ['pack.json']],
      ['built-in/keys-and-modes', 'built-in', ['pack.json']],
      ['built-in/motifs', 'built-in', ['pack.json']],
      ['built-in/repetition-and-form', 'built-in', ['pack.json']],
    ]);
    expect(packs[0]!.files['pack.json']).toEqual(new Uint8Array(intervalsJson));
    // The reply crosses the border as the contract says.
    await expect(dispatch(host.handlers, 'lessons:packs', [])).resolves.toMatchObject({ ok: true });
  });

  it('imports a zip, keeps the archive as it came, lists it, and removes it', async () => {
    const { dir, userData, answers, host } = lessonHost();
    const archive = join(dir, 'Intervals for 3B.zip');
    // A pack may not take the id of one that comes with Cantus: progress is kept by pack id.
    writeFileSync(archive, zipSync({ 'pack.json': new Uint8Array(intervalsJson) }));
    answers.pack.push(archive);
    expect(await host.handlers['lessons:import']()).toMatchObject({
      ok: false,
      error: { code: 'lessons/id-taken', message: expect.stringContaining('"intervals"') },
    });
    expect(existsSync(join(userData, 'packs', 'intervals.zip'))).toBe(false);

    const ownJson = strToU8(
      JSON.stringify({ ...JSON.parse(strFromU8(new Uint8Array(intervalsJson))), id: 'intervals-3b' }),
    );
    const bytes = zipSync({ 'pack.json': ownJson });
    writeFileSync(archive, bytes);
    answers.pack.push(archive);
    const imported = await host.handlers['lessons:import']();
    expect(imported).toEqual({
      ok: true,
      value: {
        ref: 'imported/intervals-3b',
        origin: 'imported',
        files: { 'pack.json': ownJson },
      },
    });
    expect(new Uint8Array(readFileSync(join(userData, 'packs', 'intervals-3b.zip')))).toEqual(bytes);
    expect((await refsOf(host)).refs).toEqual([
      'built-in/intervals',
      'built-in/keys-and-modes',
      'built-in/motifs',
      'built-in/repetition-and-form',
      'imported/intervals-3b',
    ]);

    expect(await host.handlers['lessons:remove']({ ref: 'built-in/intervals' })).toMatchObject({
      ok: false,
      error: {
        code: 'lessons/built-in',
        message: expect.stringMatching(/comes with Cantus and cannot be removed/),
      },
    });
    expect(await host.handlers['lessons:remove']({ ref: 'imported/intervals-3b' })).toEqual({
      ok: true,
      value: null,
    });
    expect((await refsOf(host)).refs).not.toContain('imported/intervals-3b');
    expect(readdirSync(join(userData, 'packs'))).toEqual([]);
    expect(await host.handlers['lessons:remove']({ ref: 'imported/intervals' })).toMatchObject({
      ok: false,
      error: { code: 'lessons/unknown-pack' },
    });
    expect(await host.handlers['lessons:remove']({ ref: 'imported/../../x' })).toMatchObject({
      ok: false,
      error: { code: 'lessons/unknown-pack' },
    });
  });

  it.each([
    [
      'an entry leaving the pack',
      { 'pack.json': intervalsJson, '../evil.mid': folkMidi },
      /"\.\.\/evil\.mid" leaves the pack/,
    ],
    [
      'HTML in a title',
      {
        'pack.json': folkPack({ title: 'Hi <img src=x onerror=alert(1)>' })['pack.json']!,
        'tunes/folk.mid': folkMidi,
      },
      /pack\.json, title: .*may not contain HTML/,
    ],
    [
      'a missing MIDI file',
      { 'pack.json': folkPack()['pack.json']! },
      /the pack has no file "tunes\/folk\.mid"/,
    ],
  ])('refuses a pack with %s, naming the problem, and keeps nothing', async (_what, entries, problem) => {
    const { dir, userData, answers, host } = lessonHost();
    const archive = join(dir, 'shared.zip');
    writeFileSync(
      archive,
      zipSync(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, new Uint8Array(v)]))),
    );
    answers.pack.push(archive);
    const refused = await host.handlers['lessons:import']();
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('lessons/refused');
    expect(refused.error.message).toMatch(/^shared\.zip was not imported:\n/);
    expect(refused.error.message).toMatch(problem);
    expect(existsSync(join(userData, 'packs'))).toBe(false);
  });

  it('refuses an archive too large to be a pack without reading it, and one that is no zip', async () => {
    const { dir, answers, host } = lessonHost();
    const big = join(dir, 'huge.zip');
    writeFileSync(big, '');
    truncateSync(big, 21 * 1024 * 1024);
    const notZip = join(dir, 'notes.zip');
    writeFileSync(notZip, 'just some text');
    answers.pack.push(big, notZip);
    expect(await host.handlers['lessons:import']()).toMatchObject({
      ok: false,
      error: {
        message:
          'huge.zip was not imported:\nhuge.zip: the archive is 21 MB; a lesson pack may be at most 20 MB.',
      },
    });
    expect(await host.handlers['lessons:import']()).toMatchObject({
      ok: false,
      error: {
        message: expect.stringMatching(
          /^notes\.zip was not imported:\nnotes\.zip: the file is not a zip archive/,
        ),
      },
    });
  });

  it('exports a pack as a zip that reads back the same, after checking it', async () => {
    const { dir, answers, host, dialogs } = lessonHost();
    answers.save.push(join(dir, 'exported'));
    const files = folkPack();
    const saved = await host.handlers['lessons:export']({ suggestedName: 'Folk tunes', files });
    expect(saved.ok).toBe(true);
    if (!saved.ok || !saved.value) return;
    expect(saved.value.name).toBe('exported.zip');
    expect(dialogs.asked).toEqual(['save pack Folk tunes.zip']);
    const read = readPackArchive(new Uint8Array(readFileSync(saved.value.path)), 'exported.zip');
    expect(read.problems).toEqual([]);
    expect(Object.fromEntries(read.files!)).toEqual(files);
    expect(validatePack(read.files!).problems).toEqual([]);

    // An invalid pack is refused before any dialog opens.
    const invalid = await host.handlers['lessons:export']({
      suggestedName: 'broken.zip',
      files: { 'pack.json': files['pack.json']! },
    });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'lessons/invalid' } });
    if (!invalid.ok)
      expect(invalid.error.message).toMatch(
        /^broken\.zip was not exported:\n.*has no file "tunes\/folk\.mid"/,
      );
    expect(dialogs.asked).toHaveLength(1);
  });

  it('answers null when a dialog is cancelled', async () => {
    const { host } = lessonHost();
    await host.handlers['progress:add-profile']({ name: 'Ada' });
    expect(await host.handlers['lessons:import']()).toEqual({ ok: true, value: null });
    expect(await host.handlers['lessons:export']({ suggestedName: 'f', files: folkPack() })).toEqual({
      ok: true,
      value: null,
    });
    expect(await host.handlers['progress:export-csv']({ profileId: null })).toEqual({
      ok: true,
      value: null,
    });
    expect(await host.handlers['progress:class-summary']()).toEqual({ ok: true, value: null });
    await host.close();
  });

  it('refuses to export or keep a pack too large to be read back as one file', async () => {
    const { dir, answers, host } = lessonHost();
    // Eleven files of 2 MB that do not compress: within the 40 MB of files, over the 20 MB archive.
    const noise = (seed: number) => {
      const bytes = new Uint8Array(2 * 1024 * 1024);
      let x = seed;
      for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
      return bytes;
    };
    const files = {
      ...folkPack(),
      ...Object.fromEntries([...Array(11).keys()].map((k) => [`extra/${k}.mid`, noise(k + 1)])),
    };
    answers.save.push(join(dir, 'big.zip'));
    const exported = await host.handlers['lessons:export']({ suggestedName: 'big', files });
    expect(exported).toMatchObject({ ok: false, error: { code: 'lessons/archive-too-large' } });
    if (!exported.ok) expect(exported.error.message).toMatch(/at most 20 MB/);
    expect(existsSync(join(dir, 'big.zip'))).toBe(false);
    expect(await host.handlers['lessons:draft-save']({ files })).toMatchObject({
      ok: false,
      error: { code: 'lessons/draft-refused' },
    });
  });

  it('finishes a draft save asked for just before closing', async () => {
    const { userData, host } = lessonHost();
    const draft = { 'pack.json': encode('{"formatVersion": 1}') };
    const saving = host.handlers['lessons:draft-save']({ files: draft });
    await host.close();
    expect(existsSync(join(userData, 'draft-pack.zip'))).toBe(true);
    expect(await saving).toEqual({ ok: true, value: null });
  });

  it('keeps the editor draft, incomplete or not, and reports a damaged one', async () => {
    const { userData, host } = lessonHost();
    expect(await host.handlers['lessons:draft-load']()).toEqual({ ok: true, value: null });
    const draft = {
      'pack.json': encode('{"formatVersion": 1, "title": "Half writ'),
      'tunes/folk.mid': folkMidi,
    };
    expect(await host.handlers['lessons:draft-save']({ files: draft })).toEqual({ ok: true, value: null });
    expect(await host.handlers['lessons:draft-load']()).toEqual({ ok: true, value: draft });
    expect(readdirSync(userData)).toContain('draft-pack.zip');

    const refused = await host.handlers['lessons:draft-save']({ files: { 'a/../b.mid': folkMidi } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'lessons/draft-refused' } });
    expect(await host.handlers['lessons:draft-load']()).toEqual({ ok: true, value: draft });

    writeFileSync(join(userData, 'draft-pack.zip'), 'PK\u0003\u0004 torn');
    const damaged = await host.handlers['lessons:draft-load']();
    expect(damaged).toMatchObject({ ok: false, error: { code: 'lessons/draft-damaged' } });
    if (!damaged.ok) expect(damaged.error.message).toMatch(/could not read the pack you were editing/);
    expect(await host.handlers['lessons:draft-save']({ files: draft })).toEqual({ ok: true, value: null });
    expect(await host.handlers['lessons:draft-load']()).toEqual({ ok: true, value: draft });
  });

  it('names a stored pack damaged on disk and still lists the others', async () => {
    const { dir, userData, answers, host } = lessonHost();
    const a = join(dir, 'a.zip');
    const b = join(dir, 'b.zip');
    const ownJson = strToU8(
      JSON.stringify({ ...JSON.parse(strFromU8(new Uint8Array(intervalsJson))), id: 'intervals-3b' }),
    );
    writeFileSync(a, zipSync({ 'pack.json': ownJson }));
    writeFileSync(b, zipSync(Object.fromEntries(Object.entries(folkPack()))));
    answers.pack.push(a, b);
    expect((await host.handlers['lessons:import']()).ok).toBe(true);
    expect((await host.handlers['lessons:import']()).ok).toBe(true);
    writeFileSync(join(userData, 'packs', 'intervals-3b.zip'), 'overwritten');
    const { refs, problems } = await refsOf(host);
    expect(refs).toEqual([
      'built-in/intervals',
      'built-in/keys-and-modes',
      'built-in/motifs',
      'built-in/repetition-and-form',
      'imported/folk-tunes',
    ]);
    expect(problems).toEqual([
      {
        name: 'imported/intervals-3b',
        message: expect.stringMatching(
          /^intervals-3b\.zip: the file is not a zip archive .*\nImport the pack again to replace it, or remove it\.$/,
        ),
      },
    ]);
    // The damaged one can still be removed by that name.
    expect(await host.handlers['lessons:remove']({ ref: 'imported/intervals-3b' })).toEqual({
      ok: true,
      value: null,
    });
    expect((await refsOf(host)).problems).toEqual([]);
  });
});

describe('progress', () => {
  const answer = (profileId: string, lessonId: string, score: number) => ({
    profileId,
    packId: 'intervals',
    lessonId,
    questionKind: 'interval-name',
    score,
    correct: score === 1,
  });

  it('adds profiles, records attempts, exports CSV and sums up a class', async () => {
    const { dir, answers, host } = lessonHost();
    const ada = await host.handlers['progress:add-profile']({ name: 'Ada Lovelace' });
    const ben = await host.handlers['progress:add-profile']({ name: 'Ben/Ten' });
    if (!ada.ok || !ben.ok) throw new Error('profiles were not added');
    expect(await host.handlers['progress:add-profile']({ name: 'ada lovelace' })).toMatchObject({
      ok: false,
      error: { code: 'progress/name-taken' },
    });
    expect(await host.handlers['progress:profiles']()).toEqual({ ok: true, value: [ada.value, ben.value] });

    const first = await host.handlers['progress:record'](answer(ada.value.id, 'intervals-1', 1));
    expect(first).toMatchObject({
      ok: true,
      value: { at: new Date(2025, 2, 7, 10, 30).toISOString(), score: 1 },
    });
    await host.handlers['progress:record'](answer(ada.value.id, 'intervals-2', 0.5));
    await host.handlers['progress:record'](answer(ben.value.id, 'intervals-1', 0));
    expect(await host.handlers['progress:record'](answer('nobody', 'intervals-1', 0))).toMatchObject({
      ok: false,
      error: { code: 'progress/unknown-profile' },
    });
    const attempts = await host.handlers['progress:attempts']({ profileId: ada.value.id });
    expect(attempts.ok && attempts.value.map((a) => [a.lessonId, a.score])).toEqual([
      ['intervals-1', 1],
      ['intervals-2', 0.5],
    ]);

    await expect(
      dispatch(host.handlers, 'progress:attempts', [{ profileId: ada.value.id }]),
    ).resolves.toMatchObject({
      ok: true,
    });

    const adaCsv = join(dir, 'ada');
    const benCsv = join(dir, 'ben.CSV');
    answers.save.push(adaCsv, benCsv);
    answers.csv.push([`${adaCsv}.csv`, benCsv]);
    const savedAda = await host.handlers['progress:export-csv']({ profileId: ada.value.id });
    expect(savedAda).toEqual({ ok: true, value: { path: `${adaCsv}.csv`, name: 'ada.csv' } });
    const withMark = readFileSync(`${adaCsv}.csv`, 'utf8');
    expect(withMark.startsWith('\uFEFF')).toBe(true);
    const text = withMark.slice(1);
    expect(
      text
        .split('\r\n')
        .slice(0, 3)
        .map((l) => l.split(',').slice(0, 6).join(',')),
    ).toEqual([
      'student,profile_id,pack,lesson,question_kind,score',
      `Ada Lovelace,${ada.value.id},intervals,intervals-1,interval-name,1`,
      `Ada Lovelace,${ada.value.id},intervals,intervals-2,interval-name,0.5`,
    ]);
    expect(text.split('\r\n')).toHaveLength(4);
    expect((await host.handlers['progress:export-csv']({ profileId: ben.value.id })).ok).toBe(true);
    expect(await host.handlers['progress:export-csv']({ profileId: 'nobody' })).toMatchObject({
      ok: false,
      error: { code: 'progress/unknown-profile' },
    });

    const summary = await host.handlers['progress:class-summary']();
    expect(summary).toMatchObject({
      ok: true,
      value: {
        students: [
          { student: 'Ada Lovelace', lessonId: 'intervals-1', attempts: 1, meanScore: 1 },
          { student: 'Ada Lovelace', lessonId: 'intervals-2', attempts: 1, meanScore: 0.5 },
          { student: 'Ben/Ten', lessonId: 'intervals-1', attempts: 1, meanScore: 0 },
        ],
        lessons: [
          { lessonId: 'intervals-1', students: 2, meanScore: 0.5, struggled: ['Ben/Ten'] },
          { lessonId: 'intervals-2', students: 1, meanScore: 0.5, struggled: ['Ada Lovelace'] },
        ],
      },
    });
    await expect(dispatch(host.handlers, 'progress:class-summary', [])).resolves.toEqual({
      ok: true,
      value: null,
    });
    await host.close();
  });

  it('keeps which model wrote a generated lesson melody with the answer', async () => {
    const { host } = lessonHost();
    const cy = await host.handlers['progress:add-profile']({ name: 'Cy' });
    if (!cy.ok) throw new Error(cy.error.message);
    await host.handlers['progress:record'](answer(cy.value.id, 'intervals-1', 1));
    await host.handlers['progress:record']({
      ...answer(cy.value.id, 'repeats-1', 1),
      model: 'folk-lookback-2x256',
    });
    const attempts = await host.handlers['progress:attempts']({ profileId: cy.value.id });
    expect(attempts.ok && attempts.value.map((a) => a.model)).toEqual([undefined, 'folk-lookback-2x256']);
  });

  it('suggests a file name with the student and the date, and keeps progress across restarts', async () => {
    const { make, dialogs, host } = lessonHost();
    const ben = await host.handlers['progress:add-profile']({ name: 'Ben/Ten' });
    if (!ben.ok) throw new Error(ben.error.message);
    await host.handlers['progress:record'](answer(ben.value.id, 'intervals-1', 1));
    await host.handlers['progress:export-csv']({ profileId: ben.value.id });
    await host.handlers['progress:export-csv']({ profileId: null });
    expect(dialogs.asked).toEqual([
      'save csv cantus-progress-Ben-Ten-2025-03-07.csv',
      'save csv cantus-progress-all-students-2025-03-07.csv',
    ]);
    await host.close();
    expect(await host.handlers['progress:record'](answer(ben.value.id, 'intervals-1', 1))).toMatchObject({
      ok: false,
    });
    const again = make();
    const attempts = await again.handlers['progress:attempts']({ profileId: ben.value.id });
    expect(attempts.ok && attempts.value).toHaveLength(1);
    await again.close();
  });

  it('reads CSV files for a class summary with plain messages when they are wrong', async () => {
    const { dir, answers, host } = lessonHost();
    const big = join(dir, 'big.csv');
    writeFileSync(big, '');
    truncateSync(big, 9 * 1024 * 1024);
    const latin1 = join(dir, 'latin1.csv');
    writeFileSync(latin1, Buffer.from([0x41, 0xe9, 0x0d, 0x0a]));
    const other = join(dir, 'other.csv');
    writeFileSync(other, 'name,score\r\nAda,1\r\n');
    answers.csv.push([big], [latin1], [other], [join(dir, 'gone.csv')]);
    const messages = [];
    for (let i = 0; i < 4; i++) {
      const reply = await host.handlers['progress:class-summary']();
      messages.push(reply.ok ? 'ok' : reply.error.message);
    }
    expect(messages[0]).toMatch(/^"big\.csv" is 9 MB, more than the 8 MB Cantus reads as a progress export/);
    expect(messages[1]).toMatch(/^"latin1\.csv" is not UTF-8 text/);
    expect(messages[2]).toMatch(/other\.csv .*Cantus progress export/);
    expect(messages[3]).toMatch(/"gone\.csv" is not there any more/);
  });
});

describe('host helpers', () => {
  it.each([
    ['Ada Lovelace', 'Ada-Lovelace'],
    ['../../etc', 'etc'],
    ['Zoë Ñúñez', 'Zoë-Ñúñez'],
    ['???', 'student'],
  ])('fileNamePart(%j) = %j', (name, expected) => expect(fileNamePart(name)).toBe(expected));

  it.each([
    ['pack', '.zip', 'pack.zip'],
    ['pack.ZIP', '.zip', 'pack.ZIP'],
    ['marks.csv', '.csv', 'marks.csv'],
    ['marks.txt', '.csv', 'marks.txt.csv'],
  ])('withExtension(%j, %j) = %j', (name, ext, expected) => expect(withExtension(name, ext)).toBe(expected));
});
