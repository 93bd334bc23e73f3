import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { PACK_LIMITS, readPackArchive, writePackArchive } from '../../../src-core/lessons/pack-files.ts';
import {
  PackLibrary,
  packFilesMap,
  packFilesRecord,
  readPack,
} from '../../../src-main/services/pack-library.ts';

const LESSONS = join(import.meta.dirname, '../../../lessons');
const intervalsJson = new Uint8Array(readFileSync(join(LESSONS, 'intervals', 'pack.json')));
const temp = (name: string) => mkdtempSync(join(tmpdir(), `cantus-${name}-`));

describe('writePackArchive', () => {
  const files = new Map([
    ['tunes/b.mid', new Uint8Array([1, 2, 3])],
    ['pack.json', strToU8('{"formatVersion": 1}')],
    ['a.mid', new Uint8Array(500).fill(7)],
  ]);

  it('gives the same bytes for the same files, whatever their order, pack.json first', () => {
    const zip = writePackArchive(files);
    expect(writePackArchive(new Map([...files].reverse()))).toEqual(zip);
    const read = readPackArchive(zip, 'x.zip');
    expect(read.problems).toEqual([]);
    expect([...read.files!.keys()]).toEqual(['pack.json', 'a.mid', 'tunes/b.mid']);
    expect(Object.fromEntries(read.files!)).toEqual(Object.fromEntries(files));
  });

  it('round-trips through the record the host API carries', () => {
    expect(packFilesMap(packFilesRecord(files))).toEqual(files);
  });
});

describe('readPack', () => {
  it('reads a folder and a zip of the same pack alike', async () => {
    const folder = await readPack(join(LESSONS, 'intervals'), 'intervals');
    const zipPath = join(temp('zip'), 'intervals.zip');
    writeFileSync(zipPath, zipSync({ 'pack.json': intervalsJson }));
    const zipped = await readPack(zipPath, 'intervals.zip');
    expect(folder.problems).toEqual([]);
    expect(zipped.problems).toEqual([]);
    expect(zipped.files).toEqual(folder.files);
    expect(zipped.pack).toEqual(folder.pack);
    expect(folder.pack?.id).toBe('intervals');
  });

  it('refuses links inside a folder and names what cannot be read', async () => {
    const dir = temp('linked');
    cpSync(join(LESSONS, 'intervals'), dir, { recursive: true });
    symlinkSync('/etc/passwd', join(dir, 'secret.mid'));
    const linked = await readPack(dir, 'linked');
    expect(linked.pack).toBeNull();
    expect(linked.problems.map((p) => p.code)).toEqual(['lessons/link']);
    const missing = await readPack(join(dir, 'nothing-here'), 'nothing-here');
    expect(missing.problems.map((p) => p.message)).toEqual([
      'nothing-here: there is no such file or folder.',
    ]);
  });
});

describe('PackLibrary', () => {
  it('names stored packs whose file does not match their id, and duplicate built-in ids', async () => {
    const lessons = temp('lessons');
    for (const folder of ['intervals', 'intervals-copy']) {
      mkdirSync(join(lessons, folder));
      writeFileSync(join(lessons, folder, 'pack.json'), intervalsJson);
    }
    mkdirSync(join(lessons, 'not-a-pack'));
    const userData = temp('user-data');
    mkdirSync(join(userData, 'packs'));
    writeFileSync(join(userData, 'packs', 'renamed.zip'), zipSync({ 'pack.json': intervalsJson }));
    writeFileSync(join(userData, 'packs', 'notes.txt'), 'not a pack');
    const listed = await new PackLibrary(lessons, userData).list();
    expect(listed.packs.map((p) => p.ref)).toEqual(['built-in/intervals']);
    expect(listed.problems).toEqual([
      {
        name: 'built-in/intervals-copy',
        message: 'Another built-in pack already has the id "intervals"; only the first is offered.',
      },
      {
        name: 'imported/renamed',
        message:
          'renamed.zip holds the pack "intervals", not "renamed". Import the pack again to replace it, or remove it.',
      },
    ]);
  });

  it('reports a missing built-in folder without failing the list', async () => {
    const listed = await new PackLibrary(join(temp('gone'), 'lessons'), temp('user-data')).list();
    expect(listed).toEqual({
      packs: [],
      problems: [
        {
          name: 'built-in',
          message: 'Cantus could not find its built-in lesson packs. Reinstall Cantus to repair it.',
        },
      ],
    });
  });

  it('keeps the size limits on a draft, and quick saves in a row leave the last one whole', async () => {
    const library = new PackLibrary(LESSONS, join(temp('drafts'), 'not-yet-made'));
    const tooBig = await library.saveDraft(
      new Map([['tune.mid', new Uint8Array(PACK_LIMITS.maxFileBytes + 1)]]),
    );
    expect(tooBig).toMatchObject({ ok: false, error: { code: 'lessons/draft-refused' } });
    if (!tooBig.ok)
      expect(tooBig.error.message).toMatch(/^The draft was not saved:\ntune\.mid: the file is 2/);
    const drafts = Array.from(
      { length: 8 },
      (_, i) => new Map([['pack.json', strToU8(`{"title": "v${i}"}`)]]),
    );
    const saved = await Promise.all(drafts.map((d) => library.saveDraft(d)));
    expect(saved.every((r) => r.ok)).toBe(true);
    expect(await library.loadDraft()).toEqual({ ok: true, value: drafts.at(-1) });
  });
});
