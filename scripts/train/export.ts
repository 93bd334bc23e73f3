/**
 * Exports a run's best checkpoint as a magenta.js MusicRNN checkpoint folder
 * (resources/models/<id>/: config.json, weights_manifest.json, weight shards, MODEL_CARD.md),
 * checks it by loading it with MusicRNN, and writes the model card from the run's own records.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import {
  baselineSchema,
  musicRnnConfig,
  musicRnnWeightSpecs,
  planManifest,
  trainingStateSchema,
  type EvalRecord,
  type TrainConfig,
} from '../../src-core/model/checkpoint-format.ts';
import type { EncodingKind } from '../../src-core/model/event-encoding.ts';
import { MODEL_PITCH_RANGE } from '../../src-core/model/melody-events.ts';
import { buildModelCard, type DatasetFacts, type ModelCardFacts } from '../../src-core/model/model-card.ts';
import { readCheckpoint, readJson, readLog, readPointer, writeFileAtomic } from './files.ts';
import { paramNames, paramsFromList, type LstmParams } from './lstm.ts';
import { checkAgainstMusicRnn, type MusicRnnCheck } from './musicrnn-check.ts';
import { checkAgainstEngine, type EngineCheck } from './engine-check.ts';

/** The check an export passed: which runner loaded the files, and how closely it agreed. */
export type ExportCheck =
  (MusicRnnCheck & { readonly runner: 'MusicRNN' }) | (EngineCheck & { readonly runner: 'Cantus engine' });
import { encodingOf, loadRunData, shapeOf } from './run.ts';
import { measureModelStructure, structureMarkdown } from './structure.ts';
import { wasmTf } from '../../src-engine/node-tf.ts';

export interface ExportOptions {
  readonly runDir: string;
  /** Where model folders go (resources/models). */
  readonly modelsDir: string;
  readonly modelId: string;
  readonly corpus: string;
  /** Skip loading the export with MusicRNN (not for shipped models). */
  readonly skipCheck?: boolean;
  /** Eval tunes continued for the card's structure table (scripts/train/structure.ts); 0 leaves it out. Default 200. */
  readonly structureTunes?: number;
  readonly print?: (line: string) => void;
}

export interface ExportResult {
  readonly outDir: string;
  readonly step: number;
  readonly check: ExportCheck | null;
  readonly card: string;
}

/** The flags that make `scripts/train/train.ts` train exactly this config. */
export function configFlags(c: TrainConfig): string {
  return [
    `--layers ${c.layers} --units ${c.units} --batch ${c.batch} --seq ${c.seq}`,
    `--lr ${c.lr} --lr-floor ${c.lrFloor} --dropout ${c.dropout} --clip ${c.clip}`,
    `--steps ${c.steps} --eval-every ${c.evalEvery} --seed ${c.seed}`,
    c.maxTunes ? `--max-tunes ${c.maxTunes}` : '',
    c.encoding !== 'basic' ? `--encoding ${c.encoding}` : '',
    c.warmStart
      ? `--warm-start ${c.warmStart.runId}@${c.warmStart.step}${c.warmStart.freezeSteps ? `:${c.warmStart.freezeSteps}` : ''}`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** The "|"-table and the "## Provenance" section of the corpus README. */
export function corpusProvenance(corpus: string): string {
  const path = join(corpus, 'README.md');
  if (!existsSync(path)) return `(The corpus README at ${path} was not found.)`;
  const lines = readFileSync(path, 'utf8').split('\n');
  const table = lines.filter((l) => l.startsWith('|'));
  const start = lines.findIndex((l) => /^## Provenance/.test(l));
  const section: string[] = [];
  if (start >= 0) {
    for (const l of lines.slice(start + 1)) {
      if (/^## /.test(l)) break;
      section.push(l);
    }
  }
  // The README's note to model-card writers is an instruction, not provenance.
  const facts = section.join('\n').replace(/\s*Say this in the model card[^.]*\./g, '');
  return [...table, '', 'Provenance, from the corpus README:', '', facts].join('\n').trim();
}

export async function exportModel(options: ExportOptions): Promise<ExportResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const source = readPointer(options.runDir, 'best') ?? readPointer(options.runDir, 'latest');
  if (!source) throw new Error(`${options.runDir} has no checkpoint to export yet.`);
  const latest = readPointer(options.runDir, 'latest');
  const { state, tensors } = readCheckpoint(source);
  const latestState = latest ? trainingStateSchema.parse(readJson(join(latest, 'state.json'))) : state;
  // How far the run has got: its newest checkpoint or log line, whichever is later (a running
  // job logs every few steps but checkpoints every few minutes; after a crash the best
  // checkpoint can even be newer than the latest).
  const log = readLog(join(options.runDir, 'log.jsonl'));
  const progress = [latestState, state, ...log.filter((e) => e.kind !== 'session')].reduce(
    (a, e) => (e.step > a.step ? { step: e.step, wallSeconds: e.wallSeconds } : a),
    { step: 0, wallSeconds: 0 },
  );
  const config = state.config;
  const shape = shapeOf(config);

  // ---- weights in MusicRNN's layout
  const specs = musicRnnWeightSpecs(shape);
  const get = (name: string): Float32Array => {
    const t = tensors.get(name);
    if (!t) throw new Error(`${source} has no tensor ${name}`);
    return t.data;
  };
  const values: Float32Array[] = [];
  shape.units.forEach((_, l) => {
    const wx = get(`wx${l}`);
    const wh = get(`wh${l}`);
    const kernel = new Float32Array(wx.length + wh.length);
    kernel.set(wx, 0); // rows for the input...
    kernel.set(wh, wx.length); // ...then rows for h, as tf.basicLSTMCell concatenates [input, h]
    values.push(kernel, get(`b${l}`));
  });
  values.push(get('wfc'), get('bfc'));
  specs.forEach((s, k) => {
    const size = s.shape.reduce((a, b) => a * b, 1);
    if (values[k]!.length !== size)
      throw new Error(`${s.name}: ${values[k]!.length} values for shape [${s.shape}]`);
  });
  const all = new Float32Array(values.reduce((n, v) => n + v.length, 0));
  let at = 0;
  for (const v of values) {
    all.set(v, at);
    at += v.length;
  }
  const bytes = new Uint8Array(all.buffer);
  const { manifest, shardSizes } = planManifest(specs);

  const outDir = join(options.modelsDir, options.modelId);
  const temp = `${outDir}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  try {
    const files: { name: string; bytes: number; sha256: string }[] = [];
    const put = (name: string, data: string | Uint8Array): void => {
      writeFileAtomic(join(temp, name), data);
      const buf = typeof data === 'string' ? Buffer.from(data) : data;
      files.push({ name, bytes: buf.length, sha256: createHash('sha256').update(buf).digest('hex') });
    };
    put('config.json', `${JSON.stringify(musicRnnConfig(MODEL_PITCH_RANGE, config.encoding), null, 2)}\n`);
    put('weights_manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
    let offset = 0;
    manifest[0]!.paths.forEach((path, i) => {
      put(path, bytes.subarray(offset, offset + shardSizes[i]!));
      offset += shardSizes[i]!;
    });

    // ---- load it with MusicRNN (basic models) or Cantus's engine (lookback models, which
    // magenta.js cannot run) and compare with the training code
    let check: ExportCheck | null = null;
    if (!options.skipCheck) {
      const tf = await wasmTf();
      const data = loadRunData(options.corpus, config);
      const first = data.eval[0];
      const primer = [...(first?.events ?? [])].slice(0, 64);
      const params: LstmParams = paramsFromList(
        shape,
        paramNames(config.layers).map((n) => {
          const t = tensors.get(n)!;
          return tf.tensor(t.data, [...t.shape]);
        }),
      );
      try {
        check =
          config.encoding === 'basic'
            ? { ...(await checkAgainstMusicRnn(params, temp, primer, 64)), runner: 'MusicRNN' }
            : {
                ...(await checkAgainstEngine(
                  params,
                  temp,
                  encodingOf(config),
                  [...(first?.events ?? [])].slice(0, 128),
                  64,
                  first?.bar ?? 16,
                )),
                runner: 'Cantus engine',
              };
      } finally {
        tf.dispose([...params.wx, ...params.wh, ...params.b, params.wfc, params.bfc]);
      }
      print(
        `${check.runner} check: ${check.steps} continued steps after a ${check.primerSteps}-step primer, max |p difference| ${check.maxAbsDifference.toExponential(2)}`,
      );
      if (!(check.maxAbsDifference < 1e-5)) {
        throw new Error(
          `${check.runner}'s probabilities differ from the training code's by ${check.maxAbsDifference}; not exporting.`,
        );
      }
    }

    // ---- what it writes, beside the real tunes
    const structureTunes = options.structureTunes ?? 200;
    let structure: string | null = null;
    if (structureTunes > 0) {
      const report = await measureModelStructure(temp, options.corpus, { tunes: structureTunes });
      structure = structureMarkdown(report, options.modelId);
      print(
        `structure over ${report.tunes} tunes: a bar repeats ${(100 * report.model.barRepeat).toFixed(0)}% (real ${(100 * report.real.barRepeat).toFixed(0)}%), ` +
          `a 2-bar unit ${(100 * report.model.unitRepeat).toFixed(0)}% (real ${(100 * report.real.unitRepeat).toFixed(0)}%); likelihood ${(-report.logLikelihood).toFixed(4)} nats/step`,
      );
    }

    // ---- the model card, from the run's records
    const evals: EvalRecord[] = log.flatMap((e) =>
      e.kind === 'eval'
        ? [
            {
              step: e.step,
              natsPerStep: e.natsPerStep,
              accuracy: e.accuracy,
              steps: e.steps,
              wallSeconds: e.wallSeconds,
            },
          ]
        : [],
    );
    // A resumed run re-logs nothing, but an interrupted one may have logged evals past its last
    // checkpoint and then redone those steps: keep the last line for each step.
    const byStep = new Map<number, EvalRecord>();
    for (const e of evals) if (e.step <= progress.step) byStep.set(e.step, e);
    const trainLines = log.flatMap((e) => (e.kind === 'train' && e.step <= progress.step ? [e] : []));
    const dataset = readJson(join(options.runDir, 'dataset.json')) as DatasetFacts;
    const baseline = baselineSchema.parse(readJson(join(options.runDir, 'baseline.json')));
    const exported = state.best && state.best.step === state.step ? state.best : byStep.get(state.step);
    if (!exported) throw new Error(`No eval was logged for the exported step ${state.step}.`);
    const parameterCount = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
    const runId = state.runId;
    const facts: ModelCardFacts = {
      modelId: options.modelId,
      runId,
      exportedAt: new Date().toISOString(),
      config,
      shape,
      parameterCount,
      progress: { step: progress.step, wallSeconds: progress.wallSeconds },
      exported,
      evalHistory: [...byStep.values()].sort((a, b) => a.step - b.step),
      secondsPerStep: trainLines.length
        ? trainLines.reduce((s, e) => s + e.secondsPerStep, 0) / trainLines.length
        : null,
      machine: `${cpus().length} CPU cores (${cpus()[0]?.model.trim() ?? 'unknown'})`,
      baseline,
      dataset: { ...dataset, corpus: 'folk-pd (../shared/datasets/folk-pd)' },
      provenance: corpusProvenance(options.corpus),
      reproduce: [
        'npm ci',
        `npx tsx scripts/train/train.ts --run-id ${runId} ${configFlags(config)} --stop-at ${progress.step}`,
        `npx tsx scripts/train/train.ts --run-id ${runId} --export --model-id ${options.modelId}`,
      ],
      files: [...files],
      structure,
      warmStartEncoding: config.warmStart
        ? warmStartEncoding(join(dirname(options.runDir), config.warmStart.runId))
        : undefined,
      check: check
        ? {
            maxAbsDifference: check.maxAbsDifference,
            steps: check.steps,
            primerSteps: check.primerSteps,
            runner: check.runner,
          }
        : null,
    };
    const card = buildModelCard(facts);
    writeFileAtomic(join(temp, 'MODEL_CARD.md'), card);

    // ---- swap the new folder in
    mkdirSync(dirname(outDir), { recursive: true });
    const old = `${outDir}.old-${process.pid}`;
    if (existsSync(outDir)) renameSync(outDir, old);
    renameSync(temp, outDir);
    rmSync(old, { recursive: true, force: true });
    print(`exported step ${state.step} of ${runId} to ${outDir}`);
    return { outDir, step: state.step, check, card };
  } finally {
    rmSync(temp, { recursive: true, force: true }); // only left over when something failed
  }
}

/** The encoding of the run a warm start began from (read from its latest checkpoint's state), if it is there. */
function warmStartEncoding(runDir: string): EncodingKind | undefined {
  const dir = readPointer(runDir, 'latest');
  if (!dir) return undefined;
  const state = trainingStateSchema.safeParse(readJson(join(dir, 'state.json')));
  return state.success ? state.data.config.encoding : undefined;
}
