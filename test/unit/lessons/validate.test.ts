import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { packJsonSchemaText } from '../../../src-core/lessons/json-schema.ts';
import { hasMarkup } from '../../../src-core/lessons/schema.ts';
import { normalizePackPath, readPackArchive, type PackFiles } from '../../../src-core/lessons/pack-files.ts';
import { validatePack } from '../../../src-core/lessons/validate.ts';
import { main } from '../../../src-cli/main.ts';

const lesson = (over: Record<string, unknown> = {}) => ({
  id: 'steps-1',
  title: 'Steps and skips',
  introduction: 'Listen for **steps**.',
  melody: { source: 'fixed', notes: 'C4 D4 E4 C4 C4 D4 E4 C4' },
  questions: [{ id: 'q1', kind: 'step-skip-leap' }],
  ...over,
});
const packJson = (over: Record<string, unknown> = {}) => ({
  formatVersion: 1,
  id: 'first-pack',
  title: 'First steps',
  author: 'A. Teacher',
  version: '1.0.0',
  language: 'en',
  lessons: [lesson()],
  ...over,
});
const files = (json: unknown, extra: Record<string, Uint8Array> = {}): PackFiles =>
  new Map([['pack.json', strToU8(JSON.stringify(json))], ...Object.entries(extra)]);
const messages = (f: PackFiles) => validatePack(f, 'pack').problems.map((p) => p.message);

describe('validatePack', () => {
  it('accepts a good pack, also with a UTF-8 byte-order mark', () => {
    expect(validatePack(files(packJson())).problems).toEqual([]);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...strToU8(JSON.stringify(packJson()))]);
    expect(validatePack(new Map([['pack.json', bom]])).pack?.id).toBe('first-pack');
  });

  const hostile: [string, PackFiles, RegExp][] = [
    [
      'bad JSON',
      new Map([['pack.json', strToU8('{"formatVersion": 1,')]]),
      /pack\.json: the file is not valid JSON/,
    ],
    ['no pack.json', new Map([['a.mid', new Uint8Array(4)]]), /has no pack\.json/],
    ['UTF-16 JSON', new Map([['pack.json', new Uint8Array([0xff, 0xfe, 0x7b, 0])]]), /UTF-16/],
    [
      'unknown format version',
      files(packJson({ formatVersion: 2 })),
      /pack\.json, formatVersion: .*newer Cantus/,
    ],
    ['wrong types', files(packJson({ lessons: 'none' })), /pack\.json, lessons: expected a list, found text/],
    [
      'unknown question kind',
      files(packJson({ lessons: [lesson({ questions: [{ id: 'q', kind: 'colour-quiz' }] })] })),
      /pack\.json, lessons\[0\]\.questions\[0\]\.kind: "colour-quiz" is not a question kind Cantus knows\. Use one of: interval-name/,
    ],
    ['a device name as id', files(packJson({ id: 'nul' })), /pack\.json, id: .*Windows keeps for a device/],
    [
      'a model Cantus does not have',
      files(
        packJson({
          lessons: [
            lesson({
              melody: {
                source: 'generate',
                model: 'folk-rnn-9x999',
                primer: 'C4 D4',
                temperature: 1,
                bars: 4,
              },
            }),
          ],
        }),
      ),
      /pack\.json, lessons\[0\]\.melody\.model: "folk-rnn-9x999" is not a model Cantus has; use one of "folk-/,
    ],
    [
      'a list nested 100,000 deep in a field',
      new Map([
        [
          'pack.json',
          strToU8(
            JSON.stringify(packJson()).replace('"First steps"', '['.repeat(100_000) + ']'.repeat(100_000)),
          ),
        ],
      ]),
      /^pack\.json, title: expected a string, found a list \(\[\[\[\.\.\.\)\.$/,
    ],
    [
      'script in a title',
      files(packJson({ title: 'Hi <script>alert(1)</script>' })),
      /pack\.json, title: .*may not contain HTML/,
    ],
    [
      'script in Markdown',
      files(packJson({ lessons: [lesson({ introduction: 'x <img src=x onerror=alert(1)>' })] })),
      /lessons\[0\]\.introduction: .*may not contain HTML/,
    ],
    [
      'MIDI reference to a missing file',
      files(packJson({ lessons: [lesson({ melody: { source: 'fixed', midi: 'tunes/a.mid' } })] })),
      /lessons\[0\]\.melody\.midi: the pack has no file "tunes\/a\.mid"/,
    ],
    [
      'MIDI reference escaping the pack',
      files(packJson({ lessons: [lesson({ melody: { source: 'fixed', midi: '../../etc/passwd.mid' } })] })),
      /lessons\[0\]\.melody\.midi: .*leaves the pack/,
    ],
    [
      'MIDI file that is not MIDI',
      files(packJson({ lessons: [lesson({ melody: { source: 'fixed', midi: 'a.mid' } })] }), {
        'a.mid': strToU8('hello'),
      }),
      /lessons\[0\]\.melody\.midi: "a\.mid" cannot be read/,
    ],
    [
      'duplicate lesson ids',
      files(packJson({ lessons: [lesson(), lesson()] })),
      /lessons\[1\]\.id: "steps-1" is already the id of lessons\[0\]/,
    ],
    [
      'huge pack.json',
      new Map([['pack.json', new Uint8Array(1024 * 1024 + 1)]]),
      /pack\.json: the file is 1\.0 MB; .* at most 1 MB/,
    ],
    [
      'too many lessons',
      files(packJson({ lessons: Array.from({ length: 101 }, (_, i) => lesson({ id: `l-${i}` })) })),
      /pack\.json, lessons: .*at most 100 lessons/,
    ],
    ['bad id', files(packJson({ id: 'Bad Id!' })), /pack\.json, id: .*lower-case letters/],
    [
      'unknown constraint',
      files(
        packJson({
          lessons: [
            lesson({
              melody: {
                source: 'generate',
                model: 'folk',
                primer: 'C4',
                temperature: 1,
                bars: 4,
                constraints: ['pretty'],
              },
            }),
          ],
        }),
      ),
      /constraints\[0\]: "pretty" is not a constraint Cantus knows/,
    ],
    ['unknown field', files(packJson({ colour: 'red' })), /pack\.json: "colour" is not a field Cantus knows/],
    [
      'bad notes',
      files(packJson({ lessons: [lesson({ melody: { source: 'fixed', notes: 'H9 x' } })] })),
      /melody\.notes: .*must be notes like/,
    ],
    [
      'a path with a backslash in the map',
      new Map([...files(packJson()), ['a\\b.mid', new Uint8Array(1)]]),
      /backslashes/,
    ],
  ];
  it.each(hostile)('refuses %s with a clear message', (_name, f, pattern) => {
    const result = validatePack(f, 'pack');
    expect(result.pack).toBeNull();
    expect(result.problems.map((p) => p.message).join('\n')).toMatch(pattern);
  });

  it.each([
    ['<b>', true],
    ['</p>', true],
    ['< script', true],
    ['< / p', true],
    ['<!doctype html>', true],
    ['<?xml', true],
    ['<\tB', true],
    ['javascript:alert(1)', true],
    ['bell \u0007', true],
    ['if a < b then', true],
    ['2 < 3 and 5 > 4', false],
    ['<3 and <=', false],
    ['<!-- 1', false],
    ['< / 2', false],
    ['tab\tand\nnewline', false],
    ['read more at <https://example.org/tunes>', false],
    ['write to <mailto:teacher@example.org>', false],
    ['<https://a.example> then <b>', true],
    ['<javascript:alert(1)>', true],
  ])('hasMarkup(%j) is %s', (text, expected) => expect(hasMarkup(text)).toBe(expected));

  it('answers a long run of spaces after "<" (a case that once took quadratic time)', () => {
    const spaces = ' '.repeat(200_000);
    expect(hasMarkup(`<${spaces}1`)).toBe(false);
    expect(hasMarkup(`<${spaces}/${spaces}1`)).toBe(false);
    expect(hasMarkup(`<${spaces}/${spaces}p`)).toBe(true);
    expect(hasMarkup(`<${spaces}<${spaces}b`)).toBe(true);
  });

  it('refuses text over its limit by its length alone, never scanning it for markup', () => {
    const tagged = messages(
      files(
        packJson({
          author: `<b>${'x'.repeat(200)}`,
          lessons: [lesson({ introduction: `<i>${'x'.repeat(20_000)}` })],
        }),
      ),
    );
    expect(tagged).toHaveLength(2);
    expect(tagged.join('\n')).toMatch(/author: .*at most 120 characters/);
    expect(tagged.join('\n')).toMatch(/introduction: .*at most 10000 characters/);
    expect(tagged.join('\n')).not.toMatch(/HTML/);
    // Near 1 MB, as much as a pack.json may hold; "<" and spaces once made the scan slow.
    const m = messages(files(packJson({ title: `<${' '.repeat(1_000_000)}1` })));
    expect(m).toHaveLength(1);
    expect(m[0]).toMatch(/^pack\.json, title: .*the title may be at most 120 characters\.$/);
  });

  it('checks a kept melody against its lesson: length and conditions', () => {
    const generated = (kept: Record<string, unknown>) =>
      files(
        packJson({
          lessons: [
            lesson({
              melody: {
                source: 'generate',
                model: 'folk-phrase-2x256',
                primer: 'C4 E4 G4 E4',
                temperature: 1,
                bars: 4,
                constraints: ['ends-on-tonic'],
                key: { tonic: 'C', mode: 'major' },
                kept,
              },
            }),
          ],
        }),
      );
    // Four bars of 4/4 ending on C: kept as it is.
    expect(messages(generated({ notes: 'C4 E4 G4 E4 D4 F4 A4 F4 E4 G4 C5 G4 F4 D4 C4/8' }))).toEqual([]);
    expect(messages(generated({ notes: 'C4 E4 G4 E4 D4 F4 A4 F4 E4 G4 C5 G4 F4 D4 B3/8' }))).toEqual([
      'pack.json, lessons[0].melody.kept.notes: the kept melody does not meet "ends on the home note (tonic)". Check the pack in Cantus to keep a new one.',
    ]);
    expect(messages(generated({ notes: 'C4/16 C4/16 C4/16 C4/16 C4/16' }))).toEqual([
      "pack.json, lessons[0].melody.kept.notes: the kept melody is longer than the lesson's 4 bars. Check the pack in Cantus to keep a new one.",
    ]);
    expect(messages(generated({ notes: 'C4 E4 G4/8', second: 'H9' }))[0]).toMatch(
      /lessons\[0\]\.melody\.kept\.second: "H9": must be notes like/,
    );
  });

  it('collects every problem, not only the first', () => {
    const m = messages(files(packJson({ id: 'X', version: 'one', lessons: [lesson({ questions: [] })] })));
    expect(m.length).toBeGreaterThanOrEqual(3);
  });

  it('never throws on odd JSON', () => {
    for (const text of ['null', '[]', '"x"', '1e999', '{"formatVersion":1,"__proto__":{"x":1}}'])
      expect(validatePack(new Map([['pack.json', strToU8(text)]])).pack).toBeNull();
  });
});

describe('pack paths and archives', () => {
  it.each([
    '../evil.mid',
    'a/../../b',
    '/etc/x',
    'C:/x',
    'a\\b',
    'a//b',
    '',
    'a\u0000b',
    '~/x',
    'con:',
    '__proto__',
    'midi/__proto__',
  ])('refuses the path %j', (p) => expect(normalizePackPath(p).ok).toBe(false));
  it('keeps plain paths', () => {
    expect(normalizePackPath('./midi/a.mid')).toEqual({ ok: true, value: 'midi/a.mid' });
  });

  it('opens a good zip', () => {
    const zip = zipSync({ 'pack.json': strToU8(JSON.stringify(packJson())) });
    const { files: f, problems } = readPackArchive(zip, 'p.zip');
    expect(problems).toEqual([]);
    expect(validatePack(f!).pack?.lessons).toHaveLength(1);
  });

  it('refuses a zip entry with ..', () => {
    const zip = zipSync({ 'pack.json': strToU8('{}'), '../evil.mid': new Uint8Array(10) });
    const { files: f, problems } = readPackArchive(zip, 'p.zip');
    expect(f).toBeNull();
    expect(problems[0]!.message).toMatch(/p\.zip: the entry "\.\.\/evil\.mid" leaves the pack/);
  });

  it('refuses a zip bomb before inflating it', () => {
    // 64 MB of zeros compresses to a few tens of KB.
    const zip = zipSync(
      { 'pack.json': strToU8('{}'), 'big.mid': new Uint8Array(64 * 1024 * 1024) },
      { level: 9 },
    );
    expect(zip.length).toBeLessThan(1024 * 1024);
    const { files: f, problems } = readPackArchive(zip, 'p.zip');
    expect(f).toBeNull();
    expect(problems[0]!.message).toMatch(/big\.mid: the file is 64 MB once unpacked; .* at most 2 MB/);
  });

  it('refuses a zip that lies about an entry size by never inflating past it', () => {
    const zip = zipSync({ 'pack.json': strToU8(JSON.stringify(packJson())) }, { level: 9 });
    // Patch the central directory's uncompressed size of the entry to 5 bytes.
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    for (let i = 0; i < zip.length - 4; i++)
      if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 5, true);
    const { files: f } = readPackArchive(zip, 'p.zip');
    expect(f?.get('pack.json')?.length ?? 5).toBeLessThanOrEqual(5);
  });

  it('refuses too many entries', () => {
    const entries = Object.fromEntries(
      Array.from({ length: 201 }, (_, i) => [`f${i}.txt`, new Uint8Array(1)]),
    );
    expect(readPackArchive(zipSync(entries), 'p.zip').problems[0]!.message).toMatch(/more than 200 entries/);
  });

  it('refuses something that is not a zip', () => {
    expect(readPackArchive(strToU8('hello, not a zip'), 'p.zip').problems[0]!.message).toMatch(
      /not a zip archive/,
    );
  });
});

describe('published JSON Schema', () => {
  it('lessons/pack.schema.json is up to date (run scripts/lessons/write-schema.ts)', () => {
    const committed = readFileSync(new URL('../../../lessons/pack.schema.json', import.meta.url), 'utf8');
    // Compared as data: Prettier may lay the committed file out differently.
    expect(JSON.parse(committed)).toEqual(JSON.parse(packJsonSchemaText()));
  });
});

describe('cantus lessons', () => {
  async function run(...args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
  }
  it('validates a good and a bad zip, and lists lessons', async () => {
    const { mkdtempSync, writeFileSync, mkdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'cantus-lessons-'));
    const good = join(dir, 'good.zip');
    writeFileSync(good, zipSync({ 'pack.json': strToU8(JSON.stringify(packJson())) }));
    const bad = join(dir, 'bad.zip');
    writeFileSync(bad, zipSync({ 'pack.json': strToU8(JSON.stringify(packJson({ formatVersion: 9 }))) }));
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'pack.json'), JSON.stringify(packJson()));

    expect((await run('lessons', 'validate', good, folder)).code).toBe(0);
    const failed = await run('lessons', 'validate', good, bad);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/bad\.zip: pack\.json, formatVersion: .*version 9/);
    const listed = await run('lessons', 'list', folder);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/1\. steps-1: Steps and skips/);
    expect((await run('lessons', 'validate', join(dir, 'missing'))).code).toBe(1);
  });
});
