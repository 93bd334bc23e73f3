/** What `npm start` decides before electron-vite runs (scripts/start/checks.ts), case by case. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  electronExecutable,
  fetchFailed,
  isAtLeast,
  nodeTooOld,
  planElectron,
  sandboxProblem,
  usernsRestricted,
  type ElectronPackage,
} from '../../../../scripts/start/checks.ts';

const installed: ElectronPackage = {
  dir: '/p/node_modules/electron',
  version: '44.11.5',
  pathTxt: 'electron',
  distVersion: 'v44.11.5',
};
const missing: ElectronPackage = { ...installed, pathTxt: null, distVersion: null };
const binary = join(installed.dir, 'dist', 'electron');

function plan(env: Record<string, string>, pkg: ElectronPackage, files: string[], nodeVersion = '22.12.0') {
  return planElectron(env, pkg, { platform: 'linux', nodeVersion, exists: (p) => files.includes(p) });
}

describe('planElectron', () => {
  it('launches the fetched binary when it is there, whatever the Node', () => {
    expect(plan({}, installed, [binary], '20.20.2')).toEqual({
      kind: 'run',
      execPath: binary,
      source: 'installed',
    });
  });

  it('fetches when path.txt, the dist version or the executable is missing or stale', () => {
    expect(plan({}, missing, [])).toEqual({ kind: 'fetch' });
    expect(plan({}, installed, [])).toEqual({ kind: 'fetch' });
    expect(plan({}, { ...installed, distVersion: 'v43.0.0' }, [binary])).toEqual({ kind: 'fetch' });
    expect(plan({}, { ...installed, pathTxt: 'electron.exe' }, [binary])).toEqual({ kind: 'fetch' });
  });

  it('says plainly, in one line, when this Node is too old to fetch', () => {
    const result = plan({}, missing, [], '20.20.2');
    expect(result).toEqual({ kind: 'stop', message: nodeTooOld('20.20.2', '44.11.5') });
    if (result.kind !== 'stop') return;
    expect(result.message).not.toContain('\n');
    expect(result.message).toMatch(
      /^Node 20\.20\.2 is too old .* needs Node 22\.12 or later \(see \.nvmrc\)/,
    );
    expect(result.message).toContain('ELECTRON_EXEC_PATH');
  });

  it("takes the user's own Electron from ELECTRON_EXEC_PATH, downloading nothing", () => {
    const own = '/opt/electron/electron';
    expect(plan({ ELECTRON_EXEC_PATH: own }, missing, [own], '20.20.2')).toEqual({
      kind: 'run',
      execPath: own,
      source: 'exec-path',
    });
    const wrong = plan({ ELECTRON_EXEC_PATH: '/nowhere/electron' }, missing, []);
    expect(wrong.kind).toBe('stop');
    expect(wrong.kind === 'stop' && wrong.message).toMatch(
      /^ELECTRON_EXEC_PATH is \/nowhere\/electron, which/,
    );
  });

  it('turns ELECTRON_OVERRIDE_DIST_PATH into the executable inside it (electron-vite reads only ELECTRON_EXEC_PATH)', () => {
    expect(plan({ ELECTRON_OVERRIDE_DIST_PATH: '/opt/e' }, missing, ['/opt/e/electron'])).toEqual({
      kind: 'run',
      execPath: '/opt/e/electron',
      source: 'override',
    });
    const empty = plan({ ELECTRON_OVERRIDE_DIST_PATH: '/opt/e' }, missing, []);
    expect(empty.kind === 'stop' && empty.message).toContain('/opt/e/electron does not exist');
    // ELECTRON_EXEC_PATH wins when both are set.
    expect(
      plan({ ELECTRON_EXEC_PATH: '/x/electron', ELECTRON_OVERRIDE_DIST_PATH: '/opt/e' }, missing, [
        '/x/electron',
      ]),
    ).toMatchObject({ execPath: '/x/electron' });
  });

  it('names the executable as Electron does on each system', () => {
    expect(electronExecutable('linux')).toBe('electron');
    expect(electronExecutable('win32')).toBe('electron.exe');
    expect(electronExecutable('darwin')).toBe('Electron.app/Contents/MacOS/Electron');
  });
});

describe('isAtLeast', () => {
  it.each([
    ['22.12.0', '22.12.0', true],
    ['v22.12.1', '22.12.0', true],
    ['24.0.0', '22.12.0', true],
    ['22.11.9', '22.12.0', false],
    ['20.20.2', '22.12.0', false],
  ])('%s >= %s is %s', (a, b, expected) => expect(isAtLeast(a, b)).toBe(expected));
});

describe('fetchFailed', () => {
  it("keeps the reason Electron's install step gave, not its stack trace", () => {
    const output = [
      'TypeError: fetch failed',
      '    at node:internal/deps/undici/undici:14976:13',
      '    at async FetchDownloader.download (file:///x/FetchDownloader.js:46:30)',
    ].join('\n');
    expect(fetchFailed('44.11.5', output)).toBe(
      'Could not fetch the Electron 44.11.5 binary (fetch failed). Connect to the network and run npm start again, or set ELECTRON_EXEC_PATH to an Electron 44 executable you have.',
    );
  });

  it("skips Node's warnings and copes with no output", () => {
    const output =
      '(node:12) ExperimentalWarning: something\n(Use `node --trace-warnings ...`)\nHTTPError: Response code 404';
    expect(fetchFailed('44.11.5', output)).toContain('(Response code 404)');
    expect(fetchFailed('44.11.5', '')).toContain('(its install step failed)');
  });
});

describe('the Linux sandbox helper', () => {
  const helper = { path: '/p/dist/chrome-sandbox', uid: 1000, mode: 0o100755 };
  const restricted = { platform: 'linux', env: {}, helper, usernsRestricted: true };

  it('prints the fix where user namespaces are restricted and the helper is not root-owned 4755', () => {
    const message = sandboxProblem(restricted)!;
    expect(message).toContain('sudo chown root:root /p/dist/chrome-sandbox');
    expect(message).toContain('sudo chmod 4755 /p/dist/chrome-sandbox');
    expect(message).toContain('NO_SANDBOX=1 npm start');
    expect(message).toMatch(/development only/);
    expect(sandboxProblem({ ...restricted, helper: { ...helper, uid: 0 } })).not.toBeNull();
    expect(sandboxProblem({ ...restricted, helper: { ...helper, mode: 0o104755 } })).not.toBeNull();
  });

  it('lets the run go ahead otherwise', () => {
    expect(sandboxProblem({ ...restricted, helper: { ...helper, uid: 0, mode: 0o104755 } })).toBeNull();
    expect(sandboxProblem({ ...restricted, usernsRestricted: false })).toBeNull();
    expect(sandboxProblem({ ...restricted, helper: null })).toBeNull();
    expect(sandboxProblem({ ...restricted, platform: 'darwin' })).toBeNull();
    expect(sandboxProblem({ ...restricted, env: { NO_SANDBOX: '1' } })).toBeNull();
  });

  it('reads the restriction from /proc/sys (Ubuntu 23.10+ AppArmor, Debian, or no namespaces at all)', () => {
    const settings = (values: Record<string, string>) => (name: string) => values[name] ?? null;
    expect(usernsRestricted(settings({ 'kernel/apparmor_restrict_unprivileged_userns': '1' }))).toBe(true);
    expect(usernsRestricted(settings({ 'kernel/apparmor_restrict_unprivileged_userns': '0' }))).toBe(false);
    expect(usernsRestricted(settings({ 'kernel/unprivileged_userns_clone': '0' }))).toBe(true);
    expect(usernsRestricted(settings({ 'user/max_user_namespaces': '0' }))).toBe(true);
    expect(usernsRestricted(settings({}))).toBe(false);
  });
});
