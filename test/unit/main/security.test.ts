import { describe, expect, it } from 'vitest';
import { isTrustedUrl, mimeType, resolveAppFile, resolveUnderRoot } from '../../../src-main/security.ts';
import { findMidiArgument } from '../../../src-main/open-with.ts';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/csp.ts';

describe('resolveUnderRoot', () => {
  it.each([
    ['/', '/app/index.html'],
    ['/index.html', '/app/index.html'],
    ['/assets/index-abc.js', '/app/assets/index-abc.js'],
    ['/assets/./x.css', '/app/assets/x.css'],
    ['/a%20b.svg', '/app/a b.svg'],
    ['/../etc/passwd', null],
    ['/assets/../../etc/passwd', null],
    ['/%2e%2e/etc/passwd', null],
    ['/..%2fetc/passwd', null],
    ['/..%5cwindows', null],
    ['/C:/Windows/win.ini', null],
    ['/bad%zzescape', null],
    ['/nul%00byte', null],
  ])('%s -> %s', (path, expected) => {
    expect(resolveUnderRoot('/app', path)).toBe(expected);
  });

  it('builds Windows paths with backslashes', () => {
    expect(resolveUnderRoot('C:\\Cantus\\renderer', '/assets/a.js', '\\')).toBe(
      'C:\\Cantus\\renderer\\assets\\a.js',
    );
  });
});

describe('isTrustedUrl', () => {
  const origins = ['app://cantus', 'http://localhost:5173'];
  it.each([
    ['app://cantus/index.html', true],
    ['app://cantus/assets/x.js', true],
    ['http://localhost:5173/', true],
    ['app://evil/index.html', false],
    ['http://localhost:5174/', false],
    ['https://example.org/', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
    ['', false],
    [undefined, false],
  ])('%s -> %s', (url, expected) => {
    expect(isTrustedUrl(url, origins)).toBe(expected);
  });
});

describe('mimeType', () => {
  it.each([
    ['a/index.html', 'text/html; charset=utf-8'],
    ['x.JS', 'text/javascript; charset=utf-8'],
    ['tfjs-backend-wasm-simd.wasm', 'application/wasm'],
    ['noext', 'application/octet-stream'],
  ])('%s', (path, type) => expect(mimeType(path)).toBe(type));
});

describe('findMidiArgument', () => {
  it.each([
    [['/opt/Cantus/cantus'], null],
    [['/opt/Cantus/cantus', '/home/ana/Tune.MID'], '/home/ana/Tune.MID'],
    [['electron', '.', '--flag', 'song.midi'], '/home/ben/music/song.midi'],
    [['cantus', '../class/a.mid'], '/home/ben/class/a.mid'],
    [['electron', '.', '--open=x.mid'], null],
    [['cantus', 'notes.txt'], null],
  ])('%j from /home/ben/music -> %s', (argv, expected) =>
    expect(findMidiArgument(argv, '/home/ben/music')).toBe(expected),
  );
});

describe('content security policy', () => {
  it('never allows eval or remote scripts', () => {
    const script = CONTENT_SECURITY_POLICY.split(';').find((d) => d.trim().startsWith('script-src'))!;
    expect(script).not.toMatch(/'unsafe-eval'|'unsafe-inline'|https?:|\*/);
    expect(script).toContain("'wasm-unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("font-src 'self' data:");
  });
});

describe('resolveAppFile', () => {
  const folders = ['/home/sam/basic_rnn'];
  const resolveApp = (path: string) =>
    resolveAppFile(path, '/app', '/res/models', (id) => folders[id] ?? null);
  it.each([
    ['/index.html', '/app/index.html'],
    ['/models/folk/config.json', '/res/models/folk/config.json'],
    ['/models/../secret', null],
    ['/user-models/0/config.json', '/home/sam/basic_rnn/config.json'],
    ['/user-models/0/../../etc/passwd', null],
    ['/user-models/1/config.json', null],
    ['/user-models/x/config.json', '/app/user-models/x/config.json'],
  ])('%s -> %s', (path, expected) => expect(resolveApp(path)).toBe(expected));
});
