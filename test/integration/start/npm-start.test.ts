/**
 * `npm start` end to end, without the real Electron (it cannot be fetched here): in a scratch
 * copy of the project, a stand-in executable given by ELECTRON_EXEC_PATH or
 * ELECTRON_OVERRIDE_DIST_PATH records how it was launched and exits, which ends electron-vite's
 * dev run; and with no Electron given and none installed, npm start stops with one plain line
 * (this Node is too old to fetch, or the fetch failed). The real node_modules/electron is never
 * touched: the scratch project has its own copy of the package.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAtLeast, NODE_FOR_ELECTRON } from '../../../scripts/start/checks.ts';
import { fetchElectron, readElectronPackage } from '../../../scripts/start/run.ts';

const project = resolve(import.meta.dirname, '../../..');
/** Files that use import.meta.dirname are copied, so what they build lands in the scratch folder. */
const COPIED = ['package.json', 'tsconfig.json', 'electron.vite.config.ts', 'renderer.vite.ts'];

let scratch = '';
let standIn = '';

/**
 * A project folder that links to this one's sources and packages, with its own out/ and its own
 * copy of the Electron package, without a binary.
 */
function makeScratchProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cantus-start-'));
  for (const name of readdirSync(project)) {
    if (name === 'node_modules' || name === 'out' || name.startsWith('.')) continue;
    if (COPIED.includes(name)) cpSync(join(project, name), join(dir, name));
    else symlinkSync(join(project, name), join(dir, name));
  }
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(join(project, 'node_modules'))) {
    if (name === 'electron' || name === '.vite') continue;
    symlinkSync(join(project, 'node_modules', name), join(dir, 'node_modules', name));
  }
  cpSync(join(project, 'node_modules/electron'), join(dir, 'node_modules/electron'), {
    recursive: true,
    filter: (source) => !/[/\\]electron[/\\](dist|path\.txt)$/.test(source),
  });
  return dir;
}

/** This environment without any Electron or download setting it may carry. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(ELECTRON_|npm_config_electron_|npm_package_config_electron_|NO_SANDBOX$)/i.test(key))
      env[key] = value;
  return { ...env, ...extra };
}

function npmStart(env: Record<string, string>) {
  const result = spawnSync('npm', ['start'], {
    cwd: scratch,
    env: cleanEnv(env),
    encoding: 'utf8',
    timeout: 90_000,
  });
  // npm's own lines ("npm error ...") are not Cantus's.
  const ours = result.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('npm '));
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, lines: ours };
}

/** What the stand-in wrote: its working folder, its arguments and the Electron variables it saw. */
function launchRecord(log: string) {
  const lines = readFileSync(log, 'utf8').split('\n');
  const values = (prefix: string) =>
    lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
  return { cwd: values('cwd=')[0], args: values('arg='), rendererUrl: values('ELECTRON_RENDERER_URL=')[0] };
}

beforeAll(() => {
  scratch = makeScratchProject();
  mkdirSync(join(scratch, 'stand-in'));
  standIn = join(scratch, 'stand-in', 'electron');
  writeFileSync(
    standIn,
    [
      '#!/bin/sh',
      '# Stands in for Electron: writes down how it was started, then exits, which ends the dev run.',
      '{ echo "cwd=$PWD"; for a in "$@"; do echo "arg=$a"; done; env | grep "^ELECTRON_"; } > "$STAND_IN_LOG"',
      'exit 0',
      '',
    ].join('\n'),
  );
  chmodSync(standIn, 0o755);
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('npm start with an Electron given by the environment', () => {
  it.each([
    ['ELECTRON_EXEC_PATH', () => standIn],
    ['ELECTRON_OVERRIDE_DIST_PATH', () => join(scratch, 'stand-in')],
  ])('%s: builds main and preload, starts the dev server and launches it on the project', (name, value) => {
    const log = join(scratch, `launch-${name}.log`);
    rmSync(join(scratch, 'out'), { recursive: true, force: true });
    const result = npmStart({ [name]: value(), STAND_IN_LOG: log });
    expect(result.lines).toEqual([]);
    expect(result.status).toBe(0);
    // electron-vite passes the project folder; Electron starts the package's main from it.
    const record = launchRecord(log);
    expect(record.cwd).toBe(scratch);
    expect(record.args[0]).toBe('.');
    const main = JSON.parse(readFileSync(join(scratch, 'package.json'), 'utf8')).main;
    expect(main).toBe('out/main/index.js');
    expect(existsSync(join(scratch, main))).toBe(true);
    expect(existsSync(join(scratch, 'out/preload/index.cjs'))).toBe(true);
    expect(record.rendererUrl).toMatch(/^http:\/\/localhost:\d+$/);
    // Nothing was fetched: the scratch Electron package is still without its binary.
    expect(existsSync(join(scratch, 'node_modules/electron/path.txt'))).toBe(false);
  });
});

describe('npm start without an Electron binary', () => {
  const offline = () => ({
    // Nothing listens on port 9 here: every download fails at once.
    ELECTRON_MIRROR: 'http://127.0.0.1:9/',
    electron_config_cache: join(scratch, 'electron-cache'),
  });

  it('stops with one plain line, never a stack trace', () => {
    const result = npmStart(offline());
    expect(result.status).not.toBe(0);
    expect(result.lines).toHaveLength(1);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    // Node 20 (this machine, CI) cannot run Electron's download tool; from 22.12 the fetch fails.
    expect(result.lines[0]).toMatch(
      isAtLeast(process.versions.node, NODE_FOR_ELECTRON)
        ? /^Could not fetch the Electron 44\.\d+\.\d+ binary \(.+\)\. Connect to the network/
        : /^Node \d+\.\d+\.\d+ is too old to fetch Electron's binary: Electron 44 needs Node 22\.12 or later/,
    );
    expect(existsSync(join(scratch, 'node_modules/electron/path.txt'))).toBe(false);
  });

  it("reports a failed fetch by Electron's own install step in one line", () => {
    // The install step runs on this Node too (20.19+ can require its ES module), so the failure
    // itself is checked here even where npm start stops earlier, at the Node check.
    const pkg = readElectronPackage(scratch)!;
    expect(pkg.dir).toBe(join(scratch, 'node_modules/electron'));
    expect(pkg.pathTxt).toBeNull();
    const message = fetchElectron(pkg, cleanEnv(offline()));
    expect(message).toMatch(
      /^Could not fetch the Electron 44\.\d+\.\d+ binary \(fetch failed\)\. Connect to the network and run npm start again, or set ELECTRON_EXEC_PATH/,
    );
    expect(message).not.toContain('\n');
    expect(existsSync(join(pkg.dir, 'path.txt'))).toBe(false);
  });
});
