/**
 * The structure a model writes, beside the real tunes: the 2-bar openings of eval-split tunes
 * (tunes the model never trained on) are continued by 8 bars at Adventure (temperature) 1.0,
 * one continuation each, and measured with src-core/model/structure.ts beside the tunes' own
 * next 8 bars. Also the model's likelihood of those tunes' first ten bars, so models are
 * compared on the same melodies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractMelody } from '../../src-core/midi/extract.ts';
import { readMidi } from '../../src-core/midi/read.ts';
import { splitOf } from '../../src-core/model/corpus-split.ts';
import {
  continuationKey,
  continueMelody,
  melodyLogLikelihood,
  modelBar,
} from '../../src-core/model/generate.ts';
import { createRng, shuffled } from '../../src-core/model/rng.ts';
import {
  measureContinuation,
  summarizeStructure,
  type ContinuationFacts,
  type StructureFigures,
} from '../../src-core/model/structure.ts';
import { makeMelody, stepsPerBar, type Melody } from '../../src-core/music/melody.ts';
import { listMidiFiles, loadDataset } from '../dataset/corpus.ts';
import { loadStepModel } from '../../src-engine/node-model.ts';
import { readCheckpoint } from '../../src-engine/read-checkpoint.ts';
import { wasmTf, type Tensor } from '../../src-engine/node-tf.ts';
import {
  FC_BIASES_NAME,
  FC_WEIGHTS_NAME,
  lstmBiasName,
  lstmKernelName,
} from '../../src-core/model/checkpoint-format.ts';
import { evaluateModel } from './evaluate.ts';
import { paramsFromList } from './lstm.ts';

export interface StructureOptions {
  /** How many eval tunes (default 200). */
  readonly tunes?: number;
  readonly primerBars?: number;
  readonly bars?: number;
  readonly temperature?: number;
  /** Tune choice and sampling seeds derive from this. */
  readonly seed?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface StructureReport {
  readonly real: StructureFigures;
  readonly model: StructureFigures;
  /** Mean log-likelihood per step of the tunes' first primerBars + bars bars under the model. */
  readonly logLikelihood: number;
  readonly steps: number;
  readonly tunes: number;
  readonly options: Required<Omit<StructureOptions, 'onProgress'>>;
}

/** A tune cut to its first `bars` bars. */
function firstBars(tune: Melody, bars: number): Melody {
  const end = bars * stepsPerBar(tune.meter);
  return makeMelody({
    notes: tune.notes.filter((n) => n.start < end).map((n) => (n.end > end ? { ...n, end } : n)),
    meter: tune.meter,
    tempo: tune.tempo,
    key: tune.key,
    length: end,
  });
}

/** Eval-split tunes long enough to measure, in a seeded order: their path and melody. */
export function evalTunes(
  corpus: string,
  count: number,
  needBars: number,
  seed: number,
): { file: string; tune: Melody }[] {
  const files = shuffled(
    listMidiFiles(corpus).filter((f) => splitOf(f) === 'eval'),
    createRng(seed),
  );
  const out: { file: string; tune: Melody }[] = [];
  for (const file of files) {
    if (out.length >= count) break;
    const parsed = readMidi(new Uint8Array(readFileSync(join(corpus, file))));
    const tune = parsed.ok ? extractMelody(parsed.value) : null;
    if (!tune?.ok) continue;
    const bar = stepsPerBar(tune.value.meter);
    if (bar !== modelBar(tune.value.meter) || tune.value.length < needBars * bar) continue;
    if (tune.value.notes.filter((n) => n.start < 2 * bar).length < 2) continue;
    out.push({ file, tune: tune.value });
  }
  return out;
}

export async function measureModelStructure(
  modelDir: string,
  corpus: string,
  options: StructureOptions = {},
): Promise<StructureReport> {
  const o = {
    tunes: options.tunes ?? 200,
    primerBars: options.primerBars ?? 2,
    bars: options.bars ?? 8,
    temperature: options.temperature ?? 1,
    seed: options.seed ?? 1,
  };
  const loaded = await loadStepModel(modelDir);
  if (!loaded.ok) throw new Error(loaded.error.message);
  const model = loaded.value;
  const tunes = evalTunes(corpus, o.tunes, o.primerBars + o.bars, o.seed);
  const real: ContinuationFacts[] = [];
  const generated: ContinuationFacts[] = [];
  let total = 0;
  let steps = 0;
  try {
    for (const [i, { tune }] of tunes.entries()) {
      const whole = firstBars(tune, o.primerBars + o.bars);
      const primer = firstBars(tune, o.primerBars);
      // The key both are measured in: the tune's own (its signature read by its notes, or estimated).
      const key = continuationKey(whole).key;
      real.push(measureContinuation(whole, o.primerBars, o.bars, key));
      const bar = stepsPerBar(tune.meter);
      const result = await continueMelody(model, primer, {
        steps: o.bars * bar,
        temperature: o.temperature,
        variations: 1,
        seed: o.seed * 100_003 + i,
      });
      if (!result.ok) throw new Error(`${tunes[i]!.file}: ${result.error.message}`);
      generated.push(measureContinuation(result.value[0]!, o.primerBars, o.bars, key));
      const scored = await melodyLogLikelihood(model, whole);
      if (scored.ok) {
        total += scored.value.meanLogLikelihood * scored.value.steps;
        steps += scored.value.steps;
      }
      options.onProgress?.(i + 1, tunes.length);
    }
  } finally {
    model.dispose();
  }
  return {
    real: summarizeStructure(real),
    model: summarizeStructure(generated),
    logLikelihood: steps ? total / steps : 0,
    steps,
    tunes: tunes.length,
    options: o,
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(0)}%`;

/** The report as the model card's Markdown section body. */
export function structureMarkdown(r: StructureReport, modelName: string): string {
  const row = (name: string, f: StructureFigures): string =>
    `| ${name} | ${pct(f.barRepeat)} | ${pct(f.unitRepeat)} | ${f.notesPerBar.toFixed(2)} | ${pct(f.longNote)} | ${(100 * f.outOfKey).toFixed(1)}% |`;
  return [
    `The ${r.options.primerBars}-bar openings of ${r.tunes} tunes from the eval split (never trained on) were continued by ${r.options.bars} bars at Adventure ${r.options.temperature.toFixed(1)}, one continuation each (\`npm run eval:model\`, seed ${r.options.seed}), and measured beside the tunes' own next ${r.options.bars} bars:`,
    '',
    '| | a bar repeats an earlier bar | a 2-bar unit repeats | notes per bar | a note held 2 bars or more | notes out of the key |',
    '|---|---|---|---|---|---|',
    row('the real tunes', r.real),
    row(modelName, r.model),
    '',
    `Likelihood of those ${r.tunes} tunes' first ${r.options.primerBars + r.options.bars} bars under this model: ${(-r.logLikelihood).toFixed(4)} nats per step over ${r.steps.toLocaleString('en-US')} steps (lower is better; the same melodies for every model).`,
    `Repeats are exact (same notes, rhythm and rests) and counted in the continuation only; the key is each tune's own (its key signature read as major or relative minor by its notes), in which minor admits the raised 6th and 7th.`,
  ].join('\n');
}

/** Replaces (or adds, before the check section) the structure section of a model card. */
export function withStructureSection(card: string, body: string): string {
  const heading = '## Structure of what it writes';
  const section = `${heading}\n\n${body.trim()}\n\n`;
  const start = card.indexOf(heading);
  if (start >= 0) {
    const next = card.indexOf('\n## ', start + heading.length);
    return card.slice(0, start) + section + (next >= 0 ? card.slice(next + 1) : '');
  }
  const anchor = card.search(/\n## (Checked with|Architecture)/);
  return anchor >= 0
    ? card.slice(0, anchor + 1) + section + card.slice(anchor + 1)
    : `${card.trimEnd()}\n\n${section}`;
}

/**
 * The model folder's eval loss and top-1 accuracy on the corpus's eval split, computed by the
 * training code's evaluator from the exported weights (plain and lookback models; null for an
 * attention model, which the training code does not run).
 */
export async function evalSplitScore(
  modelDir: string,
  corpus: string,
): Promise<{ natsPerStep: number; accuracy: number; steps: number } | null> {
  const loaded = await readCheckpoint(modelDir);
  if (!loaded.ok) throw new Error(loaded.error.message);
  const { shape, weights, encoding } = loaded.value;
  if (shape.attention) return null;
  const tf = await wasmTf();
  const get = (name: string): Float32Array => {
    const w = weights.get(name);
    if (!w) throw new Error(`${modelDir} has no ${name}`);
    return w;
  };
  const tensors: Tensor[] = [];
  let below = shape.inputDepth;
  shape.units.forEach((units, l) => {
    const kernel = get(lstmKernelName(l));
    tensors.push(
      tf.tensor2d(kernel.subarray(0, below * 4 * units), [below, 4 * units]),
      tf.tensor2d(kernel.subarray(below * 4 * units), [units, 4 * units]),
      tf.tensor1d(get(lstmBiasName(l))),
    );
    below = units;
  });
  tensors.push(tf.tensor2d(get(FC_WEIGHTS_NAME), [below, shape.classes]), tf.tensor1d(get(FC_BIASES_NAME)));
  try {
    const data = loadDataset(corpus);
    return evaluateModel(tf, paramsFromList(shape, tensors), encoding, data.eval);
  } finally {
    tf.dispose(tensors);
  }
}
