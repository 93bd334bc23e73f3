/**
 * `npm run eval:analysis [-- --corpus DIR] [--split eval|train|all] [--tune-regions]`: how well Cantus
 * reads the keys of folk tunes, against the keys their ABC transcribers wrote (K: fields, modes
 * included), on the MIDI files abc2midi made of them (../shared/datasets/folk-pd/README.md).
 *
 * Three ways a file may arrive, each scored:
 * - "as made": the MIDI file's own key signature and mode flag (abc2midi writes the signature of
 *   the K: field and flags minor keys; a modal tune is flagged major);
 * - "flag removed": the same signature with the mode flag cleared, as many files in the wild
 *   store a minor tune (the relative major's key);
 * - "no signature": the notes alone.
 *
 * Scores: exact (same tonic and mode), and the MIREX key-finding score with modes folded to major
 * (Lydian, Mixolydian) or minor (Dorian, Phrygian, Locrian): 1 for the key, 0.5 a fifth away in
 * the same mode, 0.3 the relative, 0.2 the parallel, else 0 (MIREX 2005 audio and symbolic key
 * detection task). Rows compare Cantus before this key finder (the file's key as declared, else
 * Krumhansl-Schmuckler) with the key finder of src-core/music/key-finding.ts.
 *
 * Then key changes (found against the K: fields inside a tune) and, from scripts/eval/form.ts,
 * strains and phrases against the ABC's repeat signs.
 *
 * The key finder's weights are learned on the train split by `npm run fit:keys`
 * (fit-key-model.ts); `--tune-regions` searches key-regions.ts's constants on the train split.
 * Figures are reported on the eval split.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { extractMelody } from '../../src-core/midi/extract.ts';
import { readMidi } from '../../src-core/midi/read.ts';
import { splitOf, type SplitName } from '../../src-core/model/corpus-split.ts';
import { findKey } from '../../src-core/music/key-finding.ts';
import {
  estimateKey,
  keyFifths,
  keyName,
  keysOfSignature,
  hasMajorThird,
  sameKey,
  tonicPitchClass,
} from '../../src-core/music/key.ts';
import { stepsPerBar, type Key, type Melody } from '../../src-core/music/melody.ts';
import { barGrid } from '../../src-core/music/bars.ts';
import {
  findKeyRegions,
  KEY_REGION_WEIGHTS,
  type KeyRegionWeights,
} from '../../src-core/music/key-regions.ts';
import { readAbcTunes } from './abc.ts';
import { evaluateForm, formatFormTable } from './form.ts';

export interface EvalTune {
  readonly path: string;
  readonly split: SplitName;
  readonly truth: Key;
  readonly melody: Melody;
  readonly keyChanges: number;
  readonly meterChanges: number;
}

/** Every folk-pd tune with a readable K: field and a readable MIDI file. */
export function loadEvalTunes(corpus: string): { tunes: EvalTune[]; skipped: number } {
  const tunes: EvalTune[] = [];
  let skipped = 0;
  const abcRoot = join(corpus, 'abc');
  for (const collection of readdirSync(abcRoot).sort()) {
    for (const file of readdirSync(join(abcRoot, collection)).sort()) {
      if (!file.endsWith('.abc')) continue;
      for (const tune of readAbcTunes(readFileSync(join(abcRoot, collection, file), 'latin1'))) {
        const path = `midi/${collection}/${basename(file, '.abc')}${tune.x}.mid`;
        if (!tune.key || !existsSync(join(corpus, path))) {
          skipped++;
          continue;
        }
        const parsed = readMidi(new Uint8Array(readFileSync(join(corpus, path))));
        const melody = parsed.ok ? extractMelody(parsed.value) : parsed;
        if (!melody.ok || melody.value.notes.length === 0) {
          skipped++;
          continue;
        }
        tunes.push({
          path,
          split: splitOf(path),
          truth: tune.key,
          melody: melody.value,
          keyChanges: tune.keyChanges,
          meterChanges: tune.meterChanges,
        });
      }
    }
  }
  return { tunes, skipped };
}

export type Condition = 'as made' | 'flag removed' | 'no signature';
export const CONDITIONS: readonly Condition[] = ['as made', 'flag removed', 'no signature'];

/** The key a file would declare under a condition. */
export function declaredUnder(melody: Melody, condition: Condition): Key | null {
  if (condition === 'no signature' || !melody.key) return null;
  return condition === 'as made' ? melody.key : keysOfSignature(keyFifths(melody.key))[0]!;
}

/** Cantus before this key finder: the declared key as it stands, else Krumhansl-Schmuckler. */
export function previousReading(melody: Melody, declared: Key | null): Key {
  return declared ?? estimateKey(melody.notes);
}

export function newReading(melody: Melody, declared: Key | null): Key {
  return findKey(melody.notes, stepsPerBar(melody.meter), declared).key;
}

/** Modes folded to major or minor, for MIREX scoring. */
function folded(key: Key): { pc: number; minor: boolean } {
  return { pc: tonicPitchClass(key), minor: !hasMajorThird(key.mode) };
}

/** The MIREX key score of `found` against `truth` (see the header). */
export function mirexScore(found: Key, truth: Key): number {
  const f = folded(found);
  const t = folded(truth);
  const up = (a: number, b: number) => (((a - b) % 12) + 12) % 12;
  if (f.minor === t.minor) {
    if (f.pc === t.pc) return 1;
    if (up(f.pc, t.pc) === 7 || up(f.pc, t.pc) === 5) return 0.5;
    return 0;
  }
  // Relative: the minor tonic a minor third below the major one.
  const relative = f.minor ? up(t.pc, f.pc) === 3 : up(f.pc, t.pc) === 3;
  if (relative) return 0.3;
  return f.pc === t.pc ? 0.2 : 0;
}

/** Exact: the same tonic and mode, however spelled. */
export const isExact = sameKey;

type Group = 'major' | 'minor' | 'modal';
const groupOf = (k: Key): Group => (k.mode === 'major' ? 'major' : k.mode === 'minor' ? 'minor' : 'modal');

interface Tally {
  n: number;
  exact: number;
  mirex: number;
}

function tally(
  tunes: readonly EvalTune[],
  condition: Condition,
  reader: (m: Melody, declared: Key | null) => Key,
): Record<Group | 'all', Tally> {
  const out: Record<Group | 'all', Tally> = {
    all: { n: 0, exact: 0, mirex: 0 },
    major: { n: 0, exact: 0, mirex: 0 },
    minor: { n: 0, exact: 0, mirex: 0 },
    modal: { n: 0, exact: 0, mirex: 0 },
  };
  for (const t of tunes) {
    const found = reader(t.melody, declaredUnder(t.melody, condition));
    for (const g of ['all', groupOf(t.truth)] as const) {
      out[g].n++;
      out[g].exact += isExact(found, t.truth) ? 1 : 0;
      out[g].mirex += mirexScore(found, t.truth);
    }
  }
  return out;
}

const pct = (a: number, n: number) => (n === 0 ? '   -  ' : `${((100 * a) / n).toFixed(1).padStart(5)}%`);

function printTable(tunes: readonly EvalTune[], label: string): void {
  const counts = tally(tunes, 'no signature', (_m, _d) => ({ tonic: 'C', mode: 'major' }));
  console.log(
    `\n${label}: ${tunes.length} tunes (major ${counts.major.n}, minor ${counts.minor.n}, modal ${counts.modal.n})`,
  );
  console.log(
    '| file arrives with | reader | exact, all | major | minor | modal | MIREX score (modes folded) |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const condition of CONDITIONS) {
    for (const [name, reader] of [
      ['Cantus before', previousReading],
      ['Cantus now', (m: Melody, d: Key | null) => newReading(m, d)],
    ] as const) {
      const r = tally(tunes, condition, reader);
      console.log(
        `| ${condition} | ${name} | ${pct(r.all.exact, r.all.n)} | ${pct(r.major.exact, r.major.n)} | ${pct(r.minor.exact, r.minor.n)} | ${pct(r.modal.exact, r.modal.n)} | ${(r.all.mirex / r.all.n).toFixed(3)} |`,
      );
    }
  }
}

/** How often a key change is found in tunes whose ABC changes key, and in tunes that do not. */
export function keyChangeFigures(
  tunes: readonly EvalTune[],
  weights: KeyRegionWeights = KEY_REGION_WEIGHTS,
): { withChange: number; found: number; without: number; falseAlarms: number } {
  let withChange = 0;
  let found = 0;
  let without = 0;
  let falseAlarms = 0;
  for (const t of tunes) {
    const home = newReading(t.melody, t.melody.key);
    const changes = findKeyRegions(t.melody.notes, barGrid(t.melody), home, weights).length > 1;
    if (t.keyChanges > 0) {
      withChange++;
      if (changes) found++;
    } else {
      without++;
      if (changes) falseAlarms++;
    }
  }
  return { withChange, found, without, falseAlarms };
}

function tuneRegions(tunes: readonly EvalTune[]): void {
  let best = { j: -Infinity, w: KEY_REGION_WEIGHTS };
  for (const changeCost of [4, 8, 12, 16, 24, 32]) {
    for (const homeBonus of [0, 0.5, 1, 2]) {
      for (const minRegionBars of [4, 8]) {
        const w = { changeCost, homeBonus, minRegionBars };
        const f = keyChangeFigures(tunes, w);
        // A change Cantus names must be there: the most found with at most 2% false alarms.
        const j = f.falseAlarms / f.without <= 0.02 ? f.found / f.withChange : -1;
        if (j > best.j) best = { j, w };
      }
    }
  }
  console.log(
    `Best key-region weights on the train split (share of changes found ${best.j.toFixed(3)}, at most 2% false alarms): ${JSON.stringify(best.w)}`,
  );
}

function main(): void {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      split: { type: 'string', default: 'eval' },
      'tune-regions': { type: 'boolean', default: false },
    },
  });
  const corpus = resolve(
    values.corpus ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'folk-pd'),
  );
  if (!existsSync(join(corpus, 'abc'))) {
    console.error(`No folk-pd corpus at ${corpus} (expected its abc/ and midi/ folders). Pass --corpus DIR.`);
    process.exit(1);
  }
  const started = performance.now();
  const { tunes, skipped } = loadEvalTunes(corpus);
  console.log(
    `Read ${tunes.length} tunes in ${((performance.now() - started) / 1000).toFixed(1)} s (${skipped} skipped: no key, pipes or K:none, or no readable MIDI file).`,
  );
  if (values['tune-regions']) {
    tuneRegions(tunes.filter((t) => t.split === 'train'));
    return;
  }
  const split = values.split;
  const chosen = split === 'all' ? tunes : tunes.filter((t) => t.split === split);
  printTable(chosen, `Keys, ${split === 'all' ? 'all of folk-pd' : `folk-pd's ${split} split`}`);
  const changes = keyChangeFigures(chosen);
  console.log(
    `\nKey changes (K: fields inside the ABC tune): found in ${changes.found} of ${changes.withChange} tunes that change key (${pct(changes.found, changes.withChange).trim()}); ` +
      `found where there is none in ${changes.falseAlarms} of ${changes.without} (${pct(changes.falseAlarms, changes.without).trim()}).`,
  );
  const form = evaluateForm(corpus, {
    split: split === 'all' ? 'all' : split === 'train' ? 'train' : 'eval',
  });
  console.log(
    `\nStrains and phrases, against the ABC repeat signs (scripts/eval/form.ts; ${form.rows.length} tunes with repeat signs):`,
  );
  console.log(formatFormTable(form));
  const wrong = chosen
    .filter((t) => !isExact(newReading(t.melody, declaredUnder(t.melody, 'flag removed')), t.truth))
    .slice(0, 12);
  console.log('\nSome tunes read wrong with the flag removed (truth -> read):');
  for (const t of wrong) {
    console.log(
      `  ${t.path}: ${keyName(t.truth)} -> ${keyName(newReading(t.melody, declaredUnder(t.melody, 'flag removed')))}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
