/**
 * What `npm start` decides before it hands over to electron-vite, as pure functions of what it
 * found (scripts/start/run.ts gathers the facts and acts): which Electron executable to launch,
 * whether Electron's binary must be fetched first, and whether Linux's sandbox helper would abort
 * the run. Every refusal is one plain message saying what to do.
 */
import { join } from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

/** Electron 44's download tool (@electron/get) needs this Node or later. */
export const NODE_FOR_ELECTRON = '22.12.0';

/** What node_modules/electron holds. */
export interface ElectronPackage {
  readonly dir: string;
  /** The package's version, which is the binary's version too. */
  readonly version: string;
  /** path.txt: the executable's path inside dist/, written once the binary is in place; null when missing. */
  readonly pathTxt: string | null;
  /** dist/version, or null when missing. */
  readonly distVersion: string | null;
}

export type ElectronPlan =
  | {
      readonly kind: 'run';
      readonly execPath: string;
      readonly source: 'exec-path' | 'override' | 'installed';
    }
  | { readonly kind: 'fetch' }
  | { readonly kind: 'stop'; readonly message: string };

/** The executable inside an Electron dist folder, as Electron's own install step names it. */
export function electronExecutable(platform: string): string {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  return platform === 'win32' ? 'electron.exe' : 'electron';
}

/** True when version `a` (like "20.20.2", with or without a leading v) is at least `b`. */
export function isAtLeast(a: string, b: string): boolean {
  const parse = (v: string) => v.replace(/^v/, '').split('.').map(Number);
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

const majorOf = (version: string) => version.split('.')[0];

/**
 * Which Electron to launch. A user's own Electron comes first and nothing is downloaded then:
 * ELECTRON_EXEC_PATH names the executable, ELECTRON_OVERRIDE_DIST_PATH the folder holding it
 * (electron-vite reads only the first, so the second is turned into it). Otherwise the binary
 * npm's Electron package fetched, or a fetch when it is missing and this Node can run the tool.
 */
export function planElectron(
  env: Env,
  pkg: ElectronPackage,
  facts: {
    readonly platform: string;
    readonly nodeVersion: string;
    readonly exists: (path: string) => boolean;
  },
): ElectronPlan {
  const major = majorOf(pkg.version);
  const execPath = env['ELECTRON_EXEC_PATH'];
  if (execPath) {
    return facts.exists(execPath)
      ? { kind: 'run', execPath, source: 'exec-path' }
      : {
          kind: 'stop',
          message: `ELECTRON_EXEC_PATH is ${execPath}, which does not exist: point it at an Electron ${major} executable, or unset it to use the one npm start fetches.`,
        };
  }
  const overrideDir = env['ELECTRON_OVERRIDE_DIST_PATH'];
  const executable = electronExecutable(facts.platform);
  if (overrideDir) {
    const inOverride = join(overrideDir, pkg.pathTxt ?? executable);
    return facts.exists(inOverride)
      ? { kind: 'run', execPath: inOverride, source: 'override' }
      : {
          kind: 'stop',
          message: `ELECTRON_OVERRIDE_DIST_PATH is ${overrideDir}, but ${inOverride} does not exist: point it at the folder that holds your Electron ${major}, or unset it.`,
        };
  }
  const installed = join(pkg.dir, 'dist', executable);
  if (
    pkg.pathTxt === executable &&
    pkg.distVersion?.replace(/^v/, '') === pkg.version &&
    facts.exists(installed)
  )
    return { kind: 'run', execPath: installed, source: 'installed' };
  if (!isAtLeast(facts.nodeVersion, NODE_FOR_ELECTRON))
    return { kind: 'stop', message: nodeTooOld(facts.nodeVersion, pkg.version) };
  return { kind: 'fetch' };
}

/** One line for a Node too old to fetch Electron's binary. */
export function nodeTooOld(nodeVersion: string, electronVersion: string): string {
  const major = majorOf(electronVersion);
  return `Node ${nodeVersion.replace(/^v/, '')} is too old to fetch Electron's binary: Electron ${major} needs Node ${NODE_FOR_ELECTRON.replace(/\.0$/, '')} or later (see .nvmrc). Switch Node (for example \`nvm use\`) and run npm start again, or set ELECTRON_EXEC_PATH to an Electron ${major} executable you have.`;
}

/**
 * One line for a fetch that failed, with the reason Electron's install step gave (the first line
 * of what it printed, without the stack trace that follows).
 */
export function fetchFailed(electronVersion: string, installOutput: string): string {
  const lines = installOutput.split('\n').map((l) => l.trim());
  // Node's own warnings ("(node:123) ...") and the stack's "at ..." lines are not the reason.
  const first =
    lines.find((l) => /^[A-Za-z]*Error\b/.test(l)) ??
    lines.find((l) => l !== '' && !l.startsWith('at ') && !l.startsWith('(node:') && !l.startsWith('(Use '));
  const reason = first ? first.replace(/^[A-Za-z]*Error: /, '').slice(0, 200) : 'its install step failed';
  return `Could not fetch the Electron ${electronVersion} binary (${reason}). Connect to the network and run npm start again, or set ELECTRON_EXEC_PATH to an Electron ${majorOf(electronVersion)} executable you have.`;
}

/** Whether this Linux stops unprivileged programs from making user namespaces, by its /proc/sys settings. */
export function usernsRestricted(readSetting: (name: string) => string | null): boolean {
  return (
    readSetting('kernel/apparmor_restrict_unprivileged_userns') === '1' ||
    readSetting('kernel/unprivileged_userns_clone') === '0' ||
    readSetting('user/max_user_namespaces') === '0'
  );
}

/**
 * Chromium's sandbox needs user namespaces; where they are restricted (Ubuntu 23.10 and later)
 * it falls back to the chrome-sandbox helper beside the executable, and aborts unless that is
 * owned by root with mode 4755. Returns the fix to print, or null when the run can go ahead.
 */
export function sandboxProblem(facts: {
  readonly platform: string;
  readonly env: Env;
  /** The chrome-sandbox beside the executable, or null when there is none. */
  readonly helper: { readonly path: string; readonly uid: number; readonly mode: number } | null;
  readonly usernsRestricted: boolean;
}): string | null {
  const { helper } = facts;
  if (facts.platform !== 'linux' || helper === null || !facts.usernsRestricted) return null;
  if (facts.env['NO_SANDBOX'] === '1') return null;
  if (helper.uid === 0 && (helper.mode & 0o7777) === 0o4755) return null;
  return [
    `This Linux restricts user namespaces, so Electron's sandbox helper must be owned by root with mode 4755, and ${helper.path} is not. Fix it once with:`,
    `  sudo chown root:root ${helper.path}`,
    `  sudo chmod 4755 ${helper.path}`,
    "and run npm start again. (NO_SANDBOX=1 npm start runs without Chromium's sandbox: for development only, never for a build you ship.)",
  ].join('\n');
}
