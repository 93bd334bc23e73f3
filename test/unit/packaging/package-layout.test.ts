/**
 * Packages Cantus for real with electron-builder (`--dir --linux`, the unpacked app installers
 * are made from) and checks what came out. The Electron binary cannot be fetched here, so
 * electronDist points at a stand-in folder whose `electron` is a shell script carrying
 * Electron's fuse sentinel and a fuse wire, which the build's fuse step flips for real. Any
 * download would go to an unreachable mirror and fail the build.
 *
 * What it cannot check: a real Electron starting from the package, installers (AppImage, deb,
 * NSIS, dmg need tools electron-builder downloads), code signing, asar integrity as Electron
 * enforces it (macOS and Windows only).
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { BUILT_IN_MODELS, DEFAULT_MODEL_ID } from '../../../src-core/model/model-id.ts';
import { packagesImportedBy } from '../../../scripts/packaging/runtime-modules.ts';

const root = join(import.meta.dirname, '../../..');
const asar = createRequire(import.meta.url)('@electron/asar') as {
  listPackage(archive: string, options: { isPack: boolean }): string[];
  statFile(archive: string, file: string): { size?: number; unpacked?: boolean };
  extractAll(archive: string, dest: string): void;
};

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** The stand-in's wire before packaging, one byte per fuse in FuseV1Options order ('1' on, '0' off). */
const WIRE_BEFORE = '101100011';
const ON = '1'.charCodeAt(0);
const OFF = '0'.charCodeAt(0);

/** A shell script in Electron's place, with a fuse wire after the sentinel as Electron has it: version 1, length, states. */
function writeStandInElectron(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const script = Buffer.concat([
    Buffer.from(`#!/bin/sh\n# Stand-in for Electron (packaging test). Fuse wire: ${SENTINEL}`),
    Buffer.from([1, WIRE_BEFORE.length]),
    Buffer.from(`${WIRE_BEFORE}\necho stand-in\n`),
  ]);
  writeFileSync(join(dir, 'electron'), script);
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'LICENSE'), 'stand-in\n');
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  return result.stdout;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
    statSync(join(dir, f)).isFile(),
  );
}

let work = '';
let app = '';
let archive = '';
let entries: string[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cantus-packaging-'));
  writeStandInElectron(join(work, 'electron-dist'));
  run('npx', ['electron-vite', 'build', '--logLevel', 'warn']);
  run(
    'npx',
    [
      'electron-builder',
      '--dir',
      '--linux',
      '--x64',
      '--publish',
      'never',
      '--config',
      'electron-builder.config.ts',
      `-c.electronDist=${join(work, 'electron-dist')}`,
      `-c.directories.output=${join(work, 'dist')}`,
    ],
    {
      CSC_IDENTITY_AUTO_DISCOVERY: 'false',
      ELECTRON_BUILDER_OFFLINE: 'true',
      // Anything that tried to download Electron or a tool would go here and fail.
      ELECTRON_MIRROR: 'http://127.0.0.1:9/',
      ELECTRON_BUILDER_BINARIES_MIRROR: 'http://127.0.0.1:9/',
      ELECTRON_GET_USE_PROXY: '1',
      GLOBAL_AGENT_HTTPS_PROXY: 'http://127.0.0.1:9',
      GLOBAL_AGENT_HTTP_PROXY: 'http://127.0.0.1:9',
    },
  );
  app = join(work, 'dist/linux-unpacked');
  archive = join(app, 'resources/app.asar');
  entries = asar.listPackage(archive, { isPack: false }).map((e) => e.replace(/^[/\\]/, ''));
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const isFileIn = (entry: string) => {
  const stat = asar.statFile(archive, entry);
  return stat.size !== undefined;
};

describe('the app archive', () => {
  it('holds the built app, package.json and node_modules, nothing else', () => {
    const top = new Set(entries.map((e) => e.split(/[/\\]/)[0]));
    expect([...top].sort()).toEqual(['node_modules', 'out', 'package.json']);
    // No sources, tests, training state or source maps anywhere in it.
    expect(entries.filter((e) => /\.(ts|mts|cts|tsx|svelte|map)$/.test(e))).toEqual([]);
    expect(
      entries.filter((e) => /(^|\/)(training|test|src-[a-z]+)\//.test(e) && !e.startsWith('node_modules/')),
    ).toEqual([]);
  });

  it('carries every file of the build in out/', () => {
    const built = filesUnder(join(root, 'out')).map((f) => `out/${f.split('\\').join('/')}`);
    const packed = entries.filter((e) => e.startsWith('out/') && isFileIn(e));
    expect(packed.sort()).toEqual(built.sort());
  });

  it("leaves out the window's libraries, which the renderer build already bundles", () => {
    for (const pkg of ['@magenta/music', 'tone', 'vexflow', 'abcjs', 'tsx', 'esbuild'])
      expect(
        entries.some((e) => e === `node_modules/${pkg}` || e.startsWith(`node_modules/${pkg}/`)),
        pkg,
      ).toBe(false);
  });

  it("has every package main imports, loadable from the archive's own node_modules", () => {
    const extracted = join(work, 'extracted');
    asar.extractAll(archive, extracted);
    const wanted = packagesImportedBy(join(root, 'out/main')).filter((p) => p !== 'electron');
    expect(wanted).toContain('@julusian/midi');
    // A separate Node, outside the project, so nothing can come from the project's node_modules.
    const probe = `
      import { createRequire } from 'node:module';
      import { join } from 'node:path';
      import { pathToFileURL } from 'node:url';
      const base = ${JSON.stringify(join(extracted, 'out/main/index.js'))};
      const require = createRequire(base);
      const where = {};
      for (const name of ${JSON.stringify(wanted)}) {
        const path = require.resolve(name);
        await import(pathToFileURL(path).href);
        where[name] = path;
      }
      // tfjs with the wasm backend from the packaged files, as the app runs the model.
      const tf = await import(pathToFileURL(require.resolve('@tensorflow/tfjs')).href);
      const wasm = await import(pathToFileURL(require.resolve('@tensorflow/tfjs-backend-wasm')).href);
      wasm.setWasmPaths(join(require.resolve('@tensorflow/tfjs-backend-wasm'), '..', '/'));
      const backend = await tf.setBackend('wasm');
      const sum = tf.tensor1d([1, 2, 3]).sum().dataSync()[0];
      console.log(JSON.stringify({ where, backend, sum }));
    `;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, NODE_PATH: '' },
    });
    expect(out.status, out.stderr).toBe(0);
    const lines = out.stdout.trim().split('\n');
    const result = JSON.parse(lines[lines.length - 1]!) as {
      where: Record<string, string>;
      backend: boolean;
      sum: number;
    };
    for (const name of wanted) expect(result.where[name]!.startsWith(extracted), name).toBe(true);
    expect(result.backend).toBe(true);
    expect(result.sum).toBe(6);
  });
});

describe('the native MIDI module', () => {
  it('has its binaries unpacked from the archive, only those for the target platform', () => {
    const natives = entries.filter((e) => e.endsWith('.node'));
    expect(natives).toContain('node_modules/@julusian/midi/prebuilds/midi-linux-x64/node-napi-v7.node');
    for (const file of natives) {
      expect(asar.statFile(archive, file).unpacked, file).toBe(true);
      expect(existsSync(join(app, 'resources/app.asar.unpacked', file)), file).toBe(true);
      expect(file).toMatch(/prebuilds\/midi-linux-/);
    }
    // The C++ sources it was built from do not ship.
    expect(entries.some((e) => e.startsWith('node_modules/@julusian/midi/src-cpp'))).toBe(false);
  });
});

describe('the resources beside the archive', () => {
  const resources = () => join(app, 'resources');

  it('are where main looks for them in a packaged app', () => {
    const main = readFileSync(join(root, 'out/main/index.js'), 'utf8');
    expect(main).toMatch(/join\(process\.resourcesPath, "models"\)/);
    expect(main).toMatch(/join\(process\.resourcesPath, "lessons"\)/);
  });

  it('hold every built-in model with the weights its manifest names', () => {
    expect(BUILT_IN_MODELS.map((m) => m.id)).toContain(DEFAULT_MODEL_ID);
    for (const { id } of BUILT_IN_MODELS) {
      const dir = join(resources(), 'models', id);
      expect(existsSync(join(dir, 'config.json')), id).toBe(true);
      const manifest = JSON.parse(readFileSync(join(dir, 'weights_manifest.json'), 'utf8')) as {
        paths: string[];
      }[];
      for (const path of manifest.flatMap((group) => group.paths))
        expect(
          readFileSync(join(dir, path)).equals(readFileSync(join(root, 'resources/models', id, path))),
        ).toBe(true);
    }
  });

  it('hold every built-in lesson pack as it is in lessons/', () => {
    const packs = readdirSync(join(root, 'lessons')).filter((f) =>
      existsSync(join(root, 'lessons', f, 'pack.json')),
    );
    expect(packs.length).toBeGreaterThan(0);
    expect(readdirSync(join(resources(), 'lessons')).sort()).toEqual(packs.sort());
    for (const pack of packs)
      for (const file of filesUnder(join(root, 'lessons', pack)))
        expect(
          readFileSync(join(resources(), 'lessons', pack, file)).equals(
            readFileSync(join(root, 'lessons', pack, file)),
          ),
          `${pack}/${file}`,
        ).toBe(true);
  });

  it('are only the models, the packs, the archive and its unpacked part', () => {
    expect(readdirSync(resources()).sort()).toEqual(['app.asar', 'app.asar.unpacked', 'lessons', 'models']);
    expect(relative(app, join(app, 'cantus'))).toBe('cantus');
    expect(statSync(join(app, 'cantus')).mode & 0o111).not.toBe(0);
  });
});

describe('the Electron fuses', () => {
  it('read back as set on the packaged executable', async () => {
    const before = await getCurrentFuseWire(join(work, 'electron-dist/electron'));
    const after = await getCurrentFuseWire(join(app, 'cantus'));
    // The stand-in started with the risky fuses on and the asar ones off, so each was flipped.
    expect(before[FuseV1Options.RunAsNode]).toBe(ON);
    expect(before[FuseV1Options.OnlyLoadAppFromAsar]).toBe(OFF);
    expect(after[FuseV1Options.RunAsNode]).toBe(OFF);
    expect(after[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(OFF);
    expect(after[FuseV1Options.EnableNodeCliInspectArguments]).toBe(OFF);
    expect(after[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ON);
    expect(after[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ON);
    // Fuses the config does not name keep the state Electron gave them.
    expect(after[FuseV1Options.EnableCookieEncryption]).toBe(before[FuseV1Options.EnableCookieEncryption]);
    expect(after[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(
      before[FuseV1Options.GrantFileProtocolExtraPrivileges],
    );
  });
});
