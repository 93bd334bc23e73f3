import { describe, expect, it } from 'vitest';
import {
  importedSpecifiers,
  neededLocations,
  packageOf,
  resolveLocation,
  unneededLocations,
  type Lockfile,
} from '../../../scripts/packaging/runtime-modules.ts';

describe('importedSpecifiers', () => {
  it('finds static, dynamic and CommonJS imports in bundled code, not words in strings', () => {
    const code = [
      'import { a } from "zod";',
      'import {\n  b,\n  c\n} from "@tensorflow/tfjs";',
      'import "side-effect";',
      'export { d } from "./chunk.js";',
      'const m = require("@julusian/midi");',
      'const n = await import("node:fs");',
      'const msg = "a melody from \'nowhere\'";',
    ].join('\n');
    expect(importedSpecifiers(code).sort()).toEqual(
      ['./chunk.js', '@julusian/midi', '@tensorflow/tfjs', 'node:fs', 'side-effect', 'zod'].sort(),
    );
  });
});

describe('packageOf', () => {
  it.each([
    ['zod', 'zod'],
    ['zod/mini', 'zod'],
    ['@tensorflow/tfjs', '@tensorflow/tfjs'],
    ['@scope/name/sub/path.js', '@scope/name'],
    ['./local.js', null],
    ['../up.js', null],
    ['node:path', null],
    ['path', null],
    ['worker_threads', null],
  ])('%s → %s', (spec, name) => expect(packageOf(spec)).toBe(name));
});

// a → b, b → c; d needs its own older c nested under it; e is unused; dev-only f.
const lock: Lockfile = {
  packages: {
    '': {},
    'node_modules/a': { dependencies: { b: '1' } },
    'node_modules/b': { dependencies: { c: '2' }, optionalDependencies: { gone: '1' } },
    'node_modules/c': {},
    'node_modules/d': { dependencies: { c: '1' } },
    'node_modules/d/node_modules/c': {},
    'node_modules/e': { dependencies: { c: '2' } },
    'node_modules/e/node_modules/x': {},
    'node_modules/f': { dev: true },
  },
};

describe('resolveLocation', () => {
  it("prefers a package's own node_modules, then each folder up", () => {
    expect(resolveLocation(lock, 'node_modules/d', 'c')).toBe('node_modules/d/node_modules/c');
    expect(resolveLocation(lock, 'node_modules/b', 'c')).toBe('node_modules/c');
    expect(resolveLocation(lock, 'node_modules/d/node_modules/c', 'a')).toBe('node_modules/a');
    expect(resolveLocation(lock, '', 'nothing')).toBeNull();
  });
});

describe('neededLocations and unneededLocations', () => {
  it('keep what the roots reach and name the rest of the production packages', () => {
    const needed = neededLocations(lock, ['a', 'electron']);
    expect([...needed].sort()).toEqual(['node_modules/a', 'node_modules/b', 'node_modules/c']);
    // e's nested package goes with e; dev packages are not copied anyway.
    expect(unneededLocations(lock, needed)).toEqual(['node_modules/d', 'node_modules/e']);
  });

  it('follow nested copies', () => {
    expect([...neededLocations(lock, ['d'])].sort()).toEqual([
      'node_modules/d',
      'node_modules/d/node_modules/c',
    ]);
  });

  it('refuse an import that is missing or only a devDependency', () => {
    expect(() => neededLocations(lock, ['nothing'])).toThrow(/not in package-lock/);
    expect(() => neededLocations(lock, ['f'])).toThrow(/devDependency/);
    const broken: Lockfile = { packages: { 'node_modules/a': { dependencies: { missing: '1' } } } };
    expect(() => neededLocations(broken, ['a'])).toThrow(/needs missing/);
  });
});
