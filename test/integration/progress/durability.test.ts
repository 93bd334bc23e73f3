/**
 * Crash safety of the progress log: a child process records attempts in a loop and is
 * killed with SIGKILL at a random moment, 25 times on the same folder. After every kill the
 * store must open, and hold every attempt the child acknowledged (printed after its
 * promise resolved).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROGRESS_LOG, ProgressStore } from '../../../src-main/services/progress-store.ts';
import { createRng } from '../../../src-core/model/rng.ts';

const root = resolve(import.meta.dirname, '../../..');
const writer = join(import.meta.dirname, 'writer.ts');
const folders: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cantus-progress-'));
  folders.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** A seeded generator (src-core/model/rng.ts), so a run can be replayed. */
function seeded(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}

/** Runs the writer, kills it `delayMs` after it is ready, and returns the acknowledged ids. */
function runAndKill(dir: string, run: number, delayMs: number): Promise<string[]> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, String(run)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (timer === undefined && out.startsWith('ready\n'))
        timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (timer === undefined || signal !== 'SIGKILL') {
        clearTimeout(timer);
        reject(new Error(`writer stopped on its own (${signal ?? 'no signal'}): ${err}`));
        return;
      }
      // Only complete lines count: a line cut short by the kill was not fully printed.
      const lines = out.split('\n').slice(0, -1);
      done(lines.filter((l) => l !== 'ready'));
    });
  });
}

describe('progress store durability', () => {
  it('keeps every acknowledged attempt through 25 SIGKILLs', { timeout: 90_000 }, async () => {
    const dir = tempDir();
    const rng = seeded(20240611);
    const acknowledged = new Set<string>();
    let kills = 0;
    for (let run = 0; run < 25; run++) {
      const delay = 50 + Math.floor(rng() * 351);
      const ids = await runAndKill(dir, run, delay);
      kills++;
      for (const id of ids) acknowledged.add(id);

      const store = await ProgressStore.open(dir);
      try {
        expect(store.report.skippedLines).toBe(0);
        const stored = new Set(store.attempts().map((a) => a.id));
        const missing = [...acknowledged].filter((id) => !stored.has(id));
        expect(missing, `run ${run}, killed after ${delay} ms`).toEqual([]);
        expect(store.profiles()).toHaveLength(1);
      } finally {
        await store.close();
      }
    }
    expect(kills).toBe(25);
    expect(acknowledged.size).toBeGreaterThan(25);
    // After the last open the log ends on a complete line, and every line reads.
    const text = readFileSync(join(dir, PROGRESS_LOG), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    for (const line of text.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('ignores a torn last line, cuts it away, and appends cleanly after it', async () => {
    const dir = tempDir();
    const first = await ProgressStore.open(dir);
    const profile = await first.addProfile('O\'Brien, "Al"');
    if (!profile.ok) throw new Error(profile.error.message);
    const saved = await first.recordAttempt({
      profileId: profile.value.id,
      packId: 'intervals-1',
      lessonId: 'seconds',
      questionKind: 'interval-name',
      score: 1,
      correct: true,
    });
    expect(saved.ok).toBe(true);
    await first.close();

    const file = join(dir, PROGRESS_LOG);
    const whole = readFileSync(file, 'utf8');
    appendFileSync(file, '{"type":"attempt","attempt":{"id":"x');

    const second = await ProgressStore.open(dir);
    expect(second.report.tornTailBytes).toBeGreaterThan(0);
    expect(second.attempts()).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toBe(whole);
    const again = await second.recordAttempt({
      profileId: profile.value.id,
      packId: 'intervals-1',
      lessonId: 'seconds',
      questionKind: 'interval-name',
      score: 0.5,
      correct: false,
    });
    expect(again.ok).toBe(true);
    await second.close();

    const third = await ProgressStore.open(dir);
    expect(third.report).toEqual({ skippedLines: 0, tornTailBytes: 0 });
    expect(third.attempts()).toHaveLength(2);
    expect(third.summary(profile.value.id)[0]).toMatchObject({ attempts: 2, best: 1, last: 0.5 });
    expect(third.exportCsv()).toContain('"O\'Brien, ""Al"""');
    await third.close();
  });

  it('refuses bad names, duplicate names and attempts for unknown profiles', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, PROGRESS_LOG), '');
    const store = await ProgressStore.open(dir);
    expect((await store.addProfile('  ')).ok).toBe(false);
    expect((await store.addProfile('x'.repeat(61))).ok).toBe(false);
    expect((await store.addProfile('Ann\nBee')).ok).toBe(false);
    expect((await store.addProfile('Ann')).ok).toBe(true);
    const dup = await store.addProfile('ann');
    expect(dup.ok ? '' : dup.error.code).toBe('progress/name-taken');
    // Two adds of one name at once (a double click): one wins, the other is told.
    const both = await Promise.all([store.addProfile('Bea'), store.addProfile('bea')]);
    expect(both.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'progress/name-taken']);
    expect(store.profiles().map((p) => p.name)).toEqual(['Ann', 'Bea']);
    const unknown = await store.recordAttempt({
      profileId: 'nobody',
      packId: 'p',
      lessonId: 'l',
      questionKind: 'k',
      score: 1,
      correct: true,
    });
    expect(unknown.ok ? '' : unknown.error.code).toBe('progress/unknown-profile');
    await store.close();
  });
});
