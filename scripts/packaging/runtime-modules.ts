/**
 * Which installed packages the packaged app needs, so the asar carries those and no others.
 *
 * electron-vite bundles the window completely (tone, vexflow, magenta... are inside
 * out/renderer), but leaves main's dependencies as imports of packages: `@julusian/midi`, tfjs,
 * zod and a few more. electron-builder copies every production dependency into the asar; this
 * module finds the ones main's built code imports, follows their dependencies through
 * package-lock.json (by npm's rule: a package's own node_modules first, then each folder up),
 * and names the rest so the builder config can leave them out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';

/** The part of package-lock.json (lockfile version 2 or 3) this module reads. */
export interface Lockfile {
  readonly packages: Readonly<Record<string, LockedPackage>>;
}

export interface LockedPackage {
  readonly dev?: boolean;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

/** Module specifiers in built JavaScript: `from "x"`, `import("x")`, `require("x")`, `import "x"`. */
export function importedSpecifiers(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    // Static imports and re-exports start a line in bundled output; a string elsewhere that
    // happens to say "from 'x'" does not.
    /^\s*(?:import|export)\b[^;"']*?\bfrom\s*["']([^"'\s]+)["']/gm,
    /^\s*import\s*["']([^"'\s]+)["']/gm,
    /\bimport\s*\(\s*["']([^"'\s]+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"'\s]+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) found.add(m[1]!);
  return [...found];
}

/**
 * The package a specifier names (`@scope/name/sub` → `@scope/name`), or null for relative
 * paths, URLs and Node's own modules.
 */
export function packageOf(specifier: string): string | null {
  if (/^[./]/.test(specifier) || /^[a-z]+:/i.test(specifier) || isBuiltin(specifier)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Packages imported by the built main process (every .js/.mjs/.cjs file under `outMain`). */
export function packagesImportedBy(outMain: string): string[] {
  const names = new Set<string>();
  const files = readdirSync(outMain, { recursive: true, encoding: 'utf8' }).filter((f) =>
    /\.[cm]?js$/.test(f),
  );
  if (files.length === 0) throw new Error(`No built code in ${outMain}: run electron-vite build first.`);
  for (const file of files)
    for (const spec of importedSpecifiers(readFileSync(join(outMain, file), 'utf8'))) {
      const name = packageOf(spec);
      if (name) names.add(name);
    }
  return [...names].sort();
}

/** Where npm would find `name` when required from the package at `from` ('' for the project). */
export function resolveLocation(lock: Lockfile, from: string, name: string): string | null {
  let base = from;
  for (;;) {
    const candidate = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (base === '') return null;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

/**
 * Lockfile locations (`node_modules/a`, `node_modules/a/node_modules/b`) of the packages in
 * `roots` and everything they depend on. A root that is not installed is an error, except
 * `provided` ones (electron is the runtime itself, not a file in the app).
 */
export function neededLocations(
  lock: Lockfile,
  roots: readonly string[],
  provided: readonly string[] = ['electron'],
): Set<string> {
  const needed = new Set<string>();
  const queue: string[] = [];
  for (const root of roots) {
    if (provided.includes(root)) continue;
    const at = resolveLocation(lock, '', root);
    if (!at) throw new Error(`Main imports ${root}, but it is not in package-lock.json.`);
    if (lock.packages[at]!.dev)
      throw new Error(`Main imports ${root}, which is only a devDependency: move it to dependencies.`);
    queue.push(at);
  }
  while (queue.length > 0) {
    const at = queue.pop()!;
    if (needed.has(at)) continue;
    needed.add(at);
    const pkg = lock.packages[at]!;
    const deps = { ...pkg.peerDependencies, ...pkg.optionalDependencies, ...pkg.dependencies };
    for (const name of Object.keys(deps)) {
      const dep = resolveLocation(lock, at, name);
      // An optional or peer dependency may be absent; a missing plain one is a broken install.
      if (dep) queue.push(dep);
      else if (pkg.dependencies?.[name]) throw new Error(`${at} needs ${name}, which is not installed.`);
    }
  }
  return needed;
}

/** Production packages in the lockfile that the needed set does not include. */
export function unneededLocations(lock: Lockfile, needed: ReadonlySet<string>): string[] {
  return Object.entries(lock.packages)
    .filter(([at, pkg]) => at.startsWith('node_modules/') && !pkg.dev && !needed.has(at))
    .map(([at]) => at)
    .filter((at, _i, all) => !all.some((other) => other !== at && at.startsWith(`${other}/`)))
    .sort();
}
