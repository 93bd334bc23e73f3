/**
 * Packaging with electron-builder (`npm run dist`: installers for the machine it runs on).
 *
 * - The asar holds the built app (out/), package.json and the packages main imports at run
 *   time with their dependencies (scripts/packaging/runtime-modules.ts), nothing else: the
 *   window's libraries are already bundled into out/renderer.
 * - Models and lesson packs sit beside it as extra resources, where src-main/index.ts looks for
 *   them in a packaged app: `process.resourcesPath/models` and `process.resourcesPath/lessons`.
 * - @julusian/midi's native files are unpacked from the asar (a .node file cannot be loaded
 *   from inside one), and only the prebuilt binaries for the target platform are shipped.
 * - Fuses: no running as plain Node, no NODE_OPTIONS, no --inspect, the app only from its asar
 *   and that asar checked against the hash in the signed executable (macOS and Windows).
 * - "Open with" takes .mid and .midi files. Lesson packs are not associated: Cantus imports a
 *   pack through its Import dialog only, and a .zip is too generic to claim.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Configuration } from 'electron-builder';
import {
  neededLocations,
  packagesImportedBy,
  unneededLocations,
  type Lockfile,
} from './scripts/packaging/runtime-modules.ts';

const root = import.meta.dirname;
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lockfile;
const unneeded = unneededLocations(lock, neededLocations(lock, packagesImportedBy(join(root, 'out/main'))));

const config: Configuration = {
  appId: 'app.cantus.melodylab',
  productName: 'Cantus',
  copyright: 'Copyright © Cantus contributors',
  directories: { output: 'dist', buildResources: 'packaging' },
  files: [
    'package.json',
    'out/**/*',
    ...unneeded.map((at) => `!${at}{,/**}`),
    // What no package needs at run time: source maps, TypeScript sources and declarations.
    '!**/*.map',
    '!**/*.{ts,mts,cts,tsx}',
    '!node_modules/@julusian/midi/{src-cpp,vendor,binding.gyp}{,/**}',
    // Its prebuilt binaries are named midi-<platform>-<arch>: only the target platform's ship.
    // (Patterns given per platform would replace this list rather than add to it.)
    '!node_modules/@julusian/midi/prebuilds/!(midi-${platform}-*){,/**}',
    '!node_modules/@types{,/**}',
    // tfjs's browser bundles (Node loads each package's dist/*.node.js and dist/index.js files).
    '!node_modules/@tensorflow/*/dist/*.{min.js,es2017.js,es2017.min.js,fesm.js,fesm.min.js}',
    '!node_modules/@tensorflow/*/dist/miniprogram{,/**}',
    '!node_modules/@tensorflow/*/dist/tf?(-+([a-z-])).js',
    '!node_modules/@tensorflow/*/dist/*.html',
  ],
  // @julusian/midi ships Node-API binaries that load in any Electron unchanged: never rebuild
  // (a rebuild would need Electron's headers from the network and a C++ toolchain).
  npmRebuild: false,
  asar: true,
  asarUnpack: ['node_modules/@julusian/midi/prebuilds/**/*.node'],
  extraResources: [
    { from: 'resources/models', to: 'models', filter: ['**/*'] },
    { from: 'lessons', to: 'lessons', filter: ['*/**/*', '!pack.schema.json'] },
  ],
  fileAssociations: [
    {
      ext: ['mid', 'midi'],
      name: 'MIDI file',
      description: 'Standard MIDI file',
      mimeType: 'audio/midi',
      // Cantus saves a melody back into the file it came from.
      role: 'Editor',
    },
  ],
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
  },
  linux: {
    target: ['AppImage', 'deb'],
    executableName: 'cantus',
    icon: 'packaging/icons',
    category: 'Education;Music',
    synopsis: 'A melody lab for the music classroom',
  },
  win: {
    target: ['nsis'],
    icon: 'packaging/icon.ico',
  },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
  mac: {
    target: ['dmg'],
    icon: 'packaging/icon.icns',
    category: 'public.app-category.education',
  },
};

export default config;
