/**
 * Archives built to cost Cantus time or memory, or to look different to Cantus than to
 * other zip tools. The archives are made with fflate, then altered byte by byte; the
 * tests check what is refused and why, never how long it takes.
 */
import { strToU8, Zip, ZipDeflate, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { checkPackFiles, readPackArchive } from '../../../src-core/lessons/pack-files.ts';

const packJson = strToU8('{"formatVersion": 1}');

/** Little-endian fields of a zip, read and written in place. */
const view = (zip: Uint8Array) => new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
const END = 0x06054b50;

function endRecord(zip: Uint8Array): number {
  for (let at = zip.length - 22; at >= 0; at--) if (view(zip).getUint32(at, true) === END) return at;
  throw new Error('no end record');
}

/** Each directory record of a zip: where it starts, how long it is, and its name. */
function directory(zip: Uint8Array): { at: number; length: number; name: string }[] {
  const v = view(zip);
  const end = endRecord(zip);
  const records = [];
  let at = v.getUint32(end + 16, true);
  for (let i = 0; i < v.getUint16(end + 10, true); i++) {
    const nameLength = v.getUint16(at + 28, true);
    const length = 46 + nameLength + v.getUint16(at + 30, true) + v.getUint16(at + 32, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    records.push({ at, length, name });
    at += length;
  }
  return records;
}

/** Sets the unpacked size an entry declares, in its own header and in the directory. */
function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const v = view(out);
  const record = directory(out).find((r) => r.name === name)!;
  v.setUint32(record.at + 24, size, true);
  v.setUint32(v.getUint32(record.at + 42, true) + 22, size, true);
  return out;
}

/** The same local entries under another directory: `records` are byte strings of directory records. */
function withDirectory(zip: Uint8Array, records: Uint8Array[]): Uint8Array {
  const start = view(zip).getUint32(endRecord(zip) + 16, true);
  const size = records.reduce((n, r) => n + r.length, 0);
  const out = new Uint8Array(start + size + 22);
  out.set(zip.subarray(0, start));
  let at = start;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  const v = view(out);
  v.setUint32(at, END, true);
  v.setUint16(at + 8, records.length, true);
  v.setUint16(at + 10, records.length, true);
  v.setUint32(at + 12, size, true);
  v.setUint32(at + 16, start, true);
  return out;
}

const messages = (read: ReturnType<typeof readPackArchive>) => read.problems.map((p) => p.message).join('\n');

describe('readPackArchive bounds its work by the pack limits', () => {
  it('refuses an entry that declares 1 byte but unpacks to 50 MB, naming the entry', () => {
    const honest = zipSync(
      { 'pack.json': packJson, 'big.mid': new Uint8Array(50 * 1024 * 1024) },
      { level: 9 },
    );
    const read = readPackArchive(declareSize(honest, 'big.mid', 1), 'p.zip');
    expect(read.files).toBeNull();
    expect(read.problems.map((p) => p.file)).toEqual(['big.mid']);
    expect(messages(read)).toMatch(
      /^big\.mid: the entry unpacks to more than the 1 byte the archive declares/,
    );
  });

  it('refuses an entry that unpacks to less than it declares', () => {
    const honest = zipSync({ 'pack.json': packJson, 'a.mid': new Uint8Array(100) });
    const read = readPackArchive(declareSize(honest, 'a.mid', 200), 'p.zip');
    expect(read.files).toBeNull();
    expect(messages(read)).toMatch(
      /^a\.mid: the entry unpacks to 100 bytes, but the archive declares 200 bytes/,
    );
  });

  it.each([
    ['10 million in a ZIP64 end record', 10_000_000],
    ['all 65535 of a plain end record', 0xffff],
  ])('refuses an archive whose end record claims %s entries', (_name, count) => {
    // A ZIP64 end record, its locator and a plain end record, and nothing else: 98 bytes.
    const zip = new Uint8Array(56 + 20 + 22);
    const v = view(zip);
    v.setUint32(0, 0x06064b50, true);
    v.setBigUint64(4, 44n, true);
    v.setBigUint64(24, BigInt(count), true);
    v.setBigUint64(32, BigInt(count), true);
    v.setUint32(56, 0x07064b50, true);
    v.setUint32(72, 1, true);
    v.setUint32(76, END, true);
    v.setUint16(76 + 8, 0xffff, true);
    v.setUint16(76 + 10, 0xffff, true);
    v.setUint32(76 + 12, 0xffffffff, true);
    v.setUint32(76 + 16, 0xffffffff, true);
    const read = readPackArchive(zip, 'p.zip');
    expect(read.files).toBeNull();
    expect(read.problems.map((p) => p.code)).toEqual(['lessons/too-many-files']);
    expect(messages(read)).toMatch(/p\.zip: the archive holds more than 200 entries/);
  });

  it('refuses directory entries that share one entry’s data', () => {
    const zip = zipSync({ 'pack.json': packJson, 'a.mid': new Uint8Array(1000).fill(1) });
    const records = directory(zip).map((r) => zip.slice(r.at, r.at + r.length));
    const copy = records[1]!.slice();
    copy.set(strToU8('b.mid'), 46);
    const read = readPackArchive(withDirectory(zip, [...records, copy]), 'p.zip');
    expect(read.files).toBeNull();
    expect(messages(read)).toMatch(
      /^b\.mid: the archive's directory lists this file, but .*no data of its own/,
    );
  });

  it('refuses an entry the directory does not list', () => {
    const zip = zipSync({ 'pack.json': packJson, 'hidden.mid': new Uint8Array(10) });
    const records = directory(zip).map((r) => zip.slice(r.at, r.at + r.length));
    const read = readPackArchive(withDirectory(zip, records.slice(0, 1)), 'p.zip');
    expect(read.files).toBeNull();
    expect(messages(read)).toMatch(
      /p\.zip: the archive holds an entry "hidden\.mid" that its directory does not list/,
    );
  });

  it('reads an archive written as a stream, whose sizes only its directory gives', () => {
    const parts: Uint8Array[] = [];
    const zip = new Zip((error, data) => {
      if (error) throw error;
      parts.push(data);
    });
    const files = new Map([
      ['pack.json', packJson],
      ['tunes/a.mid', new Uint8Array(70_000).map((_, i) => i % 251)],
      ['empty.txt', new Uint8Array(0)],
    ]);
    for (const [name, data] of files) {
      const entry = new ZipDeflate(name, { level: 6 });
      zip.add(entry);
      entry.push(data, true);
    }
    zip.end();
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
    const read = readPackArchive(bytes, 'p.zip');
    expect(read.problems).toEqual([]);
    expect(read.files).toEqual(files);
  });

  it('refuses a file beside a folder entry of the same name', () => {
    const zip = zipSync({ 'pack.json': packJson, 'tunes/': new Uint8Array(0), TUNES: new Uint8Array(1) });
    expect(messages(readPackArchive(zip, 'p.zip'))).toMatch(/^TUNES: the pack also has a folder "tunes"/);
  });
});

describe('checkPackFiles keeps only what can be written and read back', () => {
  const one = new Uint8Array(1);
  it.each([
    [
      'names that differ only in case',
      [
        ['pack.json', one],
        ['tunes/A.mid', one],
        ['tunes/a.mid', one],
      ],
      /tunes\/a\.mid: the pack also has "tunes\/A\.mid", whose name differs only in upper and lower case/,
    ],
    [
      'a file beside a folder of the same name',
      [
        ['pack.json', one],
        ['a', one],
        ['a/b.mid', one],
      ],
      /^a: the pack also has a folder "a"; a file and a folder cannot share a name/,
    ],
    [
      'a file beside a folder whose name differs only in case',
      [
        ['pack.json', one],
        ['midi/x/y.mid', one],
        ['MIDI', one],
      ],
      /^MIDI: the pack also has a folder "midi"/,
    ],
    [
      'folders whose names differ only in case',
      [
        ['pack.json', one],
        ['Tunes/a.mid', one],
        ['tunes/b.mid', one],
      ],
      /^tunes\/b\.mid: the folder "tunes" is also written "Tunes"/,
    ],
  ] as [string, [string, Uint8Array][], RegExp][])('refuses %s', (_name, entries, pattern) => {
    const problems = checkPackFiles(new Map(entries), 'the draft');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(pattern);
  });

  it('refuses an entry whose name is flagged as UTF-8 but is not', () => {
    const zip = zipSync({ 'pack.json': packJson, 'tune-x.mid': new Uint8Array([1, 2, 3]) });
    const out = zip.slice();
    // "tune-x.mid" becomes "tune-\xff.mid" in the entry and the directory, flagged UTF-8 (bit 11).
    for (let at = 0; at + 10 <= out.length; at++)
      if (new TextDecoder().decode(out.subarray(at, at + 10)) === 'tune-x.mid') out[at + 5] = 0xff;
    const v = view(out);
    for (const record of directory(out)) {
      v.setUint16(record.at + 8, v.getUint16(record.at + 8, true) | 0x800, true);
      const local = v.getUint32(record.at + 42, true);
      v.setUint16(local + 6, v.getUint16(local + 6, true) | 0x800, true);
    }
    const read = readPackArchive(out, 'pack.zip');
    expect(read.files).toBeNull();
    expect(read.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^pack\.zip: the entry "tune-.*\.mid" has a name that is not valid UTF-8; refused\./,
      ),
    ]);
  });

  it('says once that the files unpack to more than 40 MB, however many entries pass the limit', () => {
    const entries: Record<string, Uint8Array> = { 'pack.json': packJson };
    for (let i = 0; i < 40; i++) entries[`m${i}.mid`] = new Uint8Array([i]);
    let zip: Uint8Array = zipSync(entries, { level: 0 });
    for (let i = 0; i < 40; i++) zip = declareSize(zip, `m${i}.mid`, 2 * 1024 * 1024);
    const read = readPackArchive(zip, 'big.zip');
    expect(read.files).toBeNull();
    expect(read.problems.filter((p) => p.code === 'lessons/pack-too-large')).toHaveLength(1);
  });

  it('accepts files in folders and names that differ by more than case', () => {
    const files = new Map([
      ['pack.json', one],
      ['a.mid', one],
      ['a/b.mid', one],
      ['a/c/b.mid', one],
      ['ab', one],
    ]);
    expect(checkPackFiles(files, 'the draft')).toEqual([]);
  });
});
