/**
 * A data folder on a read-only disk: progress saved before can still be viewed, and a save says
 * the folder is read-only (not that the disk is full). The folder is a real read-only file
 * system (a tmpfs remounted read-only), which needs the right to mount; without it the test
 * says so and is skipped.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProgressStore } from '../../../src-main/services/progress-store.ts';

const mountPoint = mkdtempSync(join(tmpdir(), 'cantus-readonly-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'cantus-ro', mountPoint], { stdio: 'ignore' });
  mounted = true;
} catch {
  console.log(
    'Skipping the read-only data folder test: this machine does not let the tests mount a file system.',
  );
}

const progressDir = join(mountPoint, 'progress');

beforeAll(async () => {
  if (!mounted) return;
  mkdirSync(progressDir);
  const store = await ProgressStore.open(progressDir);
  const ana = await store.addProfile('Ana');
  expect(ana.ok).toBe(true);
  await store.close();
  execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
});

afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(!mounted)('progress in a read-only data folder', () => {
  it('opens for reading: profiles can be viewed, and a save says the folder is read-only', async () => {
    const store = await ProgressStore.open(progressDir);
    expect(store.readOnly).toBe(progressDir);
    expect(store.profiles().map((p) => p.name)).toEqual(['Ana']);
    const added = await store.addProfile('Ben');
    expect(added.ok).toBe(false);
    if (!added.ok) {
      expect(added.error.code).toBe('progress/read-only');
      expect(added.error.message).toMatch(/is read-only here\. Progress saved before can still be viewed/);
      expect(added.error.message).not.toMatch(/disk is full|not full/);
    }
    await store.close();
  });

  it('opens an empty read-only folder that has no log yet', async () => {
    const store = await ProgressStore.open(join(mountPoint, 'never-written'));
    expect(store.profiles()).toEqual([]);
    expect(store.readOnly).not.toBeNull();
    await store.close();
  });
});
