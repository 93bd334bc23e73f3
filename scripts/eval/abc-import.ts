/**
 * How faithfully Cantus reads ABC: every tune of folk-pd (../shared/datasets/folk-pd/README.md)
 * is read with `abcTuneToMelody` in abc2midi's performance and compared, note by note (pitch,
 * start, end on the 16th grid), with the melody Cantus extracts from the MIDI file abc2midi made
 * of the same tune. Prints the share of tunes that are equal and every miss with its reason.
 *   npm run eval:abc [-- --dataset DIR] [--written]
 * `--written` reads the notes as written instead (grace notes and ornaments left out), to see how
 * much of the corpus the performance rules concern.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { abcTuneToMelody, readAbc } from '../../src-core/abc/read.ts';
import { extractMelody } from '../../src-core/midi/extract.ts';
import { readMidi } from '../../src-core/midi/read.ts';
import type { Note } from '../../src-core/music/melody.ts';
import { pitchName } from '../../src-core/music/melody.ts';

const args = process.argv.slice(2);
const datasetAt = args.indexOf('--dataset');
const dataset = datasetAt >= 0 ? args[datasetAt + 1]! : '../shared/datasets/folk-pd';
const performance = args.includes('--written') ? 'written' : 'abc2midi';

interface Miss {
  readonly tune: string;
  readonly reason: string;
  readonly detail: string;
}

/** The first difference between two note lists, in words, or null when they are equal. */
export function firstDifference(
  abc: readonly Note[],
  midi: readonly Note[],
): { reason: string; detail: string } | null {
  const n = Math.min(abc.length, midi.length);
  for (let i = 0; i < n; i++) {
    const a = abc[i]!;
    const m = midi[i]!;
    if (a.pitch === m.pitch && a.start === m.start && a.end === m.end) continue;
    const what = a.pitch !== m.pitch ? 'pitch' : a.start !== m.start ? 'start' : 'end';
    const show = (x: Note) => `${pitchName(x.pitch)} ${x.start}-${x.end}`;
    return { reason: `${what} differs`, detail: `note ${i + 1}: ABC ${show(a)}, MIDI ${show(m)}` };
  }
  if (abc.length !== midi.length) {
    return { reason: 'note count differs', detail: `ABC ${abc.length} notes, MIDI ${midi.length}` };
  }
  return null;
}

function main(): void {
  let total = 0;
  let equal = 0;
  const misses: Miss[] = [];
  for (const collection of readdirSync(join(dataset, 'abc')).sort()) {
    const folder = join(dataset, 'abc', collection);
    for (const file of readdirSync(folder)
      .filter((f) => f.endsWith('.abc'))
      .sort()) {
      const book = readAbc(readFileSync(join(folder, file), 'utf8'));
      const name = `${collection}/${file}`;
      if (!book.ok) {
        misses.push({ tune: name, reason: `file refused (${book.error.code})`, detail: book.error.message });
        continue;
      }
      for (const tune of book.value.tunes) {
        total++;
        const label = `${name} X:${tune.x}`;
        const midiPath = join(dataset, 'midi', collection, `${basename(file, '.abc')}${Number(tune.x)}.mid`);
        if (!existsSync(midiPath)) {
          misses.push({ tune: label, reason: 'no MIDI file', detail: midiPath });
          continue;
        }
        const melody = abcTuneToMelody(tune, { performance });
        if (!melody.ok) {
          misses.push({
            tune: label,
            reason: `ABC refused (${melody.error.code})`,
            detail: melody.error.message,
          });
          continue;
        }
        const parsed = readMidi(new Uint8Array(readFileSync(midiPath)));
        const fromMidi = parsed.ok ? extractMelody(parsed.value) : parsed;
        if (!fromMidi.ok) {
          misses.push({
            tune: label,
            reason: `MIDI refused (${fromMidi.error.code})`,
            detail: fromMidi.error.message,
          });
          continue;
        }
        const difference = firstDifference(melody.value.notes, fromMidi.value.notes);
        if (difference) misses.push({ tune: label, ...difference });
        else equal++;
      }
    }
  }
  const byReason = new Map<string, number>();
  for (const m of misses) byReason.set(m.reason, (byReason.get(m.reason) ?? 0) + 1);
  for (const m of misses) console.log(`miss  ${m.tune}: ${m.reason}; ${m.detail}`);
  console.log('');
  console.log(
    `Performance: ${performance}. Tunes: ${total.toLocaleString('en')}; notes equal to the MIDI file's: ${equal.toLocaleString('en')} (${((100 * equal) / Math.max(1, total)).toFixed(1)}%).`,
  );
  for (const [reason, count] of [...byReason].sort((a, b) => b[1] - a[1]))
    console.log(`  ${count}  ${reason}`);
}

main();
