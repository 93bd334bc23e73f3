/**
 * Packs are checked in a worker thread, so main keeps running while a heavy pack is read, and
 * each verdict is remembered by content until a file changes.
 */
import { strToU8 } from 'fflate';
import { packSharingOneMidi } from '../../support/packs.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';
import { writeMelodyMidi } from '../../../src-core/midi/write.ts';
import { createNodePackCheckWorker } from '../../../src-main/services/pack-check-node.ts';
import {
  checkPackHere,
  packCheckWorker,
  rememberVerdicts,
  type PackCheck,
} from '../../../src-main/services/pack-check.ts';

const worker = packCheckWorker(createNodePackCheckWorker);
afterAll(() => worker.dispose());

const pack = (midi: Uint8Array, lessons: number, id = 'heavy') => packSharingOneMidi(midi, lessons, id);

const small = writeMelodyMidi(makeMelody({ notes: parseNotes('C4 D4 E4 F4 G4 F4 E4 D4 C4/4') }));
// 76,000 short notes in 608 KB (the audit's file was 1.9 MB): slow enough to read that main would stall.
const heavy = writeMelodyMidi(makeMelody({ notes: parseNotes('C4/1 r/1 D4/1 r/1 '.repeat(38_000)) })).slice();

describe('packCheckWorker', () => {
  it('gives the same verdicts as checking in this thread', async () => {
    const good = pack(small, 2, 'good');
    const bad = new Map([['pack.json', strToU8('{"formatVersion": 1, "id": "Bad Id"}')]]);
    for (const files of [good, bad]) {
      const there = await worker(files, 'p.zip');
      const here = await checkPackHere(files, 'p.zip');
      expect(there).toEqual(here);
    }
    expect((await worker(good, 'p.zip')).pack?.id).toBe('good');
  });

  it('keeps main running while it reads a heavy pack', async () => {
    expect(heavy.length).toBeLessThan(2 * 1024 * 1024);
    const files = pack(heavy, 20);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    const verdict = await worker(files, 'heavy.zip');
    const took = performance.now() - started;
    clearInterval(timer);
    console.log(
      `heavy pack checked in the worker in ${took.toFixed(0)} ms; main ran its timer ${ticks} times meanwhile`,
    );
    expect(verdict.problems.map((p) => p.code)).toContain('lessons/too-many-notes');
    // Checked in main's own thread, the timer could not run at all until the check was over.
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it('answers with a plain refusal when its worker dies, and starts a new one next time', async () => {
    const dying = packCheckWorker(() => {
      const w = createNodePackCheckWorker();
      w.once('online', () => void w.terminate());
      return w;
    });
    const verdict = await dying(pack(small, 1), 'p.zip');
    expect(verdict.pack).toBeNull();
    expect(verdict.problems[0]!.message).toMatch(/could not check this pack .*Try again\./);
    await dying.dispose();
  });
});

describe('rememberVerdicts', () => {
  it('checks a pack once, and again when a file changes', async () => {
    let calls = 0;
    const counting: PackCheck = (files, where) => (calls++, checkPackHere(files, where));
    const check = rememberVerdicts(counting);
    const files = pack(small, 1);
    await check(files, 'p.zip');
    await check(new Map(files), 'p.zip');
    expect(calls).toBe(1);
    const changed = new Map(files).set(
      'tune.mid',
      writeMelodyMidi(makeMelody({ notes: parseNotes('G4 E4') })),
    );
    await check(changed, 'p.zip');
    expect(calls).toBe(2);
    await check(files, 'other.zip'); // messages name the pack, so the name is part of the key
    expect(calls).toBe(3);
  });
});
