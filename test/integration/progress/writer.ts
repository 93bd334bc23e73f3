/**
 * Child process for the durability test: opens the progress store in the folder given as
 * the first argument and records attempts until it is killed. It prints `ready` once the
 * store is open, then each attempt's id only after its recordAttempt promise resolved, so
 * every printed id is one the store acknowledged.
 */
import { ProgressStore } from '../../../src-main/services/progress-store.ts';

const [dir, run = '0'] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: writer.ts <dir> [run]');

const store = await ProgressStore.open(dir);
let profile = store.profiles()[0];
if (profile === undefined) {
  const added = await store.addProfile('Durability Tester');
  if (!added.ok) throw new Error(added.error.message);
  profile = added.value;
}
process.stdout.write('ready\n');

for (let i = 0; ; i++) {
  const id = `r${run}-a${i}`;
  const saved = await store.recordAttempt({
    id,
    profileId: profile.id,
    packId: 'intervals-1',
    lessonId: `lesson-${i % 4}`,
    questionKind: 'interval-name',
    score: (i % 5) / 4,
    correct: i % 2 === 0,
  });
  if (!saved.ok) throw new Error(saved.error.message);
  process.stdout.write(`${id}\n`);
}
