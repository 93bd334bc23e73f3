/**
 * The training data of the melody model, read from a corpus of MIDI files such as
 * ../shared/datasets/folk-pd (see its README; the files are never copied into this repository).
 *
 * Each file is one tune: read with `readMidi`, its melody taken with `extractMelody` (default
 * part, 16th grid, highest of simultaneous onsets), cut into training melodies by Magenta's
 * MelodyExtractor rules, moved to C major / A minor within MIDI 48-83 and encoded as basic_rnn
 * events. Which side of the train/eval split a tune goes to depends on its path only.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { readMidi } from '../../src-core/midi/read.ts';
import { stepsPerBar } from '../../src-core/music/melody.ts';
import { extractMelody } from '../../src-core/midi/extract.ts';
import { encodeMelody, MODEL_PITCH_RANGE } from '../../src-core/model/melody-events.ts';
import {
  extractTrainingMelodies,
  MAGENTA_EXTRACTOR,
  normalizeTrainingMelody,
} from '../../src-core/model/training-melodies.ts';
import { canonicalCorpusPath, splitOf, type SplitName } from '../../src-core/model/corpus-split.ts';

/** One training melody, encoded. */
export interface EncodedMelody {
  /** The tune's path relative to the corpus root, `/`-separated. */
  readonly source: string;
  /** Which melody of the tune (from 0). */
  readonly index: number;
  readonly events: Uint8Array;
  /** Steps in a bar of the tune's meter (the first meter it gives). */
  readonly bar: number;
}

export interface DatasetStats {
  readonly files: number;
  readonly unreadable: number;
  readonly melodiesFound: number;
  readonly tooShort: number;
  readonly tooFewPitchClasses: number;
  readonly truncated: number;
  /** Notes folded into 48-83 by octaves after transposing. */
  readonly foldedNotes: number;
  readonly notes: number;
  readonly tunes: Readonly<Record<SplitName, number>>;
  readonly melodies: Readonly<Record<SplitName, number>>;
  readonly events: Readonly<Record<SplitName, number>>;
  /** Eval melodies whose exact event sequence also occurs in train (the same tune printed twice). */
  readonly evalDuplicatesOfTrain: number;
}

export interface Dataset {
  readonly train: readonly EncodedMelody[];
  readonly eval: readonly EncodedMelody[];
  readonly stats: DatasetStats;
  /** sha256 over the split's sources and events: equal fingerprints mean equal data. */
  readonly fingerprint: string;
}

/** Every `.mid` file under `root`, as sorted corpus-relative paths. */
export function listMidiFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.toLowerCase().endsWith('.mid'))
        found.push(canonicalCorpusPath(relative(root, path).split(sep).join('/')));
    }
  };
  walk(root);
  return found.sort();
}

export interface LoadOptions {
  /** Only the first N files, by sorted path (for smoke runs). */
  readonly maxTunes?: number | null;
  /** Only these corpus-relative paths (overrides maxTunes). */
  readonly only?: readonly string[];
}

/** Reads, cuts, normalizes, encodes and splits the corpus. Unreadable files are counted and skipped. */
export function loadDataset(root: string, options: LoadOptions = {}): Dataset {
  let files = options.only ? [...options.only].map(canonicalCorpusPath).sort() : listMidiFiles(root);
  if (!options.only && options.maxTunes) files = files.slice(0, options.maxTunes);
  const out: Record<SplitName, EncodedMelody[]> = { train: [], eval: [] };
  const tunes: Record<SplitName, number> = { train: 0, eval: 0 };
  let unreadable = 0;
  let melodiesFound = 0;
  let tooShort = 0;
  let tooFewPitchClasses = 0;
  let truncated = 0;
  let foldedNotes = 0;
  let notes = 0;
  for (const file of files) {
    const parsed = readMidi(new Uint8Array(readFileSync(join(root, file))));
    const tune = parsed.ok ? extractMelody(parsed.value) : parsed;
    if (!tune.ok) {
      unreadable++;
      continue;
    }
    const split = splitOf(file);
    tunes[split]++;
    const { melodies, stats } = extractTrainingMelodies(tune.value, MAGENTA_EXTRACTOR);
    melodiesFound += stats.found;
    tooShort += stats.tooShort;
    tooFewPitchClasses += stats.tooFewPitchClasses;
    truncated += stats.truncated;
    melodies.forEach((melody, index) => {
      const normalized = normalizeTrainingMelody(melody, MODEL_PITCH_RANGE);
      foldedNotes += normalized.folded;
      notes += melody.notes.length;
      const events = encodeMelody(normalized.melody, MODEL_PITCH_RANGE);
      if (!events.ok) throw new Error(`${file} melody ${index}: ${events.error.message}`); // cannot happen after normalizing
      out[split].push({
        source: file,
        index,
        events: Uint8Array.from(events.value),
        bar: stepsPerBar(melody.meter),
      });
    });
  }
  const trainKeys = new Set(out.train.map((m) => Buffer.from(m.events).toString('base64')));
  const hash = createHash('sha256');
  for (const split of ['train', 'eval'] as const) {
    for (const m of out[split]) {
      hash.update(`${split}\0${m.source}\0${m.index}\0`);
      hash.update(m.events);
    }
  }
  const count = (split: SplitName): number => out[split].reduce((s, m) => s + m.events.length, 0);
  return {
    train: out.train,
    eval: out.eval,
    fingerprint: hash.digest('hex'),
    stats: {
      files: files.length,
      unreadable,
      melodiesFound,
      tooShort,
      tooFewPitchClasses,
      truncated,
      foldedNotes,
      notes,
      tunes,
      melodies: { train: out.train.length, eval: out.eval.length },
      events: { train: count('train'), eval: count('eval') },
      evalDuplicatesOfTrain: out.eval.filter((m) => trainKeys.has(Buffer.from(m.events).toString('base64')))
        .length,
    },
  };
}
