/**
 * `npm start`, after scripts/start.mjs has checked Node: makes sure there is an Electron to
 * launch (a user's own, the one already fetched, or a fetch through Electron's own install
 * step), checks Linux's sandbox helper, then runs `electron-vite dev` with ELECTRON_EXEC_PATH
 * set. Each refusal is printed as plain text on standard error, never a stack trace. The
 * decisions themselves are pure (checks.ts); this file gathers the facts and acts on them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  fetchFailed,
  planElectron,
  sandboxProblem,
  usernsRestricted,
  type ElectronPackage,
  type Env,
} from './checks.ts';

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** The folder of an installed package, as the project at `root` resolves it, or null. */
function packageDir(root: string, name: string): string | null {
  try {
    return dirname(createRequire(join(root, 'package.json')).resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

/** What node_modules/electron holds, read without `require('electron')` (which would fetch). */
export function readElectronPackage(root: string): ElectronPackage | null {
  const dir = packageDir(root, 'electron');
  if (dir === null) return null;
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  return {
    dir,
    version,
    pathTxt: readText(join(dir, 'path.txt')),
    distVersion: readText(join(dir, 'dist', 'version')),
  };
}

/**
 * Runs Electron's own install step (install.js, the `install-electron` command), which fetches
 * the binary into node_modules/electron/dist and does nothing when it is already there.
 * Returns null when it succeeded, else the one line to print.
 */
export function fetchElectron(pkg: ElectronPackage, env: Env): string | null {
  const result = spawnSync(process.execPath, [join(pkg.dir, 'install.js')], {
    env,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status === 0) return null;
  return fetchFailed(pkg.version, `${result.error?.message ?? ''}\n${result.stderr ?? ''}`);
}

function sandboxHelper(path: string): { path: string; uid: number; mode: number } | null {
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat?.isFile() ? { path, uid: stat.uid, mode: stat.mode } : null;
}

/** Runs `electron-vite dev` with the given arguments; resolves with its exit code. */
function runElectronVite(root: string, args: readonly string[], env: Env): Promise<number> {
  const dir = packageDir(root, 'electron-vite');
  if (dir === null) return Promise.resolve(stop('electron-vite is not installed: run npm ci first.'));
  const { bin } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    bin: string | Record<string, string>;
  };
  const cli = join(dir, typeof bin === 'string' ? bin : bin['electron-vite']!);
  const child = spawn(process.execPath, [cli, 'dev', ...args], { stdio: 'inherit', env });
  // Ctrl+C reaches the whole terminal group; a signal sent to this process alone is passed on.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.on('error', (error) => resolve(stop(`Could not run electron-vite (${error.message}).`)));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function stop(message: string): number {
  process.stderr.write(`${message}\n`);
  return 1;
}

/** `npm start` in the project at `root` (npm runs scripts there); `args` go to electron-vite. */
export async function start(root: string, args: readonly string[], env: Env): Promise<number> {
  const facts = { platform: process.platform, nodeVersion: process.versions.node, exists: existsSync };
  const pkg = readElectronPackage(root);
  if (pkg === null) return stop('Electron is not installed in node_modules: run npm ci first.');
  let plan = planElectron(env, pkg, facts);
  if (plan.kind === 'fetch') {
    process.stdout.write(`Fetching the Electron ${pkg.version} binary (only the first time)...\n`);
    const failure = fetchElectron(pkg, env);
    if (failure !== null) return stop(failure);
    plan = planElectron(env, readElectronPackage(root) ?? pkg, facts);
    if (plan.kind === 'fetch')
      return stop(
        `Electron's install step finished but its binary is not in ${join(pkg.dir, 'dist')}: delete node_modules/electron, run npm ci, then npm start again.`,
      );
  }
  if (plan.kind === 'stop') return stop(plan.message);
  const problem = sandboxProblem({
    platform: process.platform,
    env,
    helper: sandboxHelper(join(dirname(plan.execPath), 'chrome-sandbox')),
    usernsRestricted: usernsRestricted((name) => readText(join('/proc/sys', name))),
  });
  if (problem !== null) return stop(problem);
  return runElectronVite(root, args, { ...env, ELECTRON_EXEC_PATH: plan.execPath });
}
