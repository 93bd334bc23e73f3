/**
 * `npm run train` (npx tsx scripts/train/train.ts): trains, resumes or exports the melody LSTM.
 *
 *   train.ts [--run-id ID] [--layers 2 --units 256 --batch 64 --seq 64 --lr 0.001 --lr-floor 0.05
 *            --dropout 0.3 --clip 5 --steps 15000 --eval-every 250 --save-every 300 --seed 1]
 *            --encoding basic|lookback --warm-start RUN-ID@STEP[:FREEZE-STEPS]] [--corpus DIR] [--out DIR] [--max-tunes N] [--stop-at STEP]
 *   train.ts --run-id ID --resume [--steps N] [--stop-at STEP]   continue exactly where it stopped (the
 *            run's own settings are used; only --steps, --eval-every and --save-every may change)
 *   train.ts --run-id ID --export [--model-id ID] [--models-dir DIR]
 *   train.ts --smoke                                             the whole pipeline in a minute, in a temp folder
 *
 * Ctrl-C (SIGINT) or SIGTERM stops after the current step with a checkpoint; a second one quits at once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { trainConfigSchema, type TrainConfig } from '../../src-core/model/checkpoint-format.ts';
import { exportModel } from './export.ts';
import { DEFAULT_CONFIG, SMOKE_CONFIG, runTraining } from './run.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

const { values } = parseArgs({
  options: {
    corpus: { type: 'string' },
    out: { type: 'string' },
    'run-id': { type: 'string' },
    layers: { type: 'string' },
    units: { type: 'string' },
    batch: { type: 'string' },
    seq: { type: 'string' },
    lr: { type: 'string' },
    'lr-floor': { type: 'string' },
    dropout: { type: 'string' },
    clip: { type: 'string' },
    steps: { type: 'string' },
    'eval-every': { type: 'string' },
    'save-every': { type: 'string' },
    seed: { type: 'string' },
    'max-tunes': { type: 'string' },
    encoding: { type: 'string' },
    'warm-start': { type: 'string' },
    'stop-at': { type: 'string' },
    resume: { type: 'boolean', default: false },
    export: { type: 'boolean', default: false },
    'model-id': { type: 'string' },
    'models-dir': { type: 'string' },
    smoke: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

if (values.help) {
  const text = (await import('node:fs')).readFileSync(fileURLToPath(import.meta.url), 'utf8');
  console.log(
    text
      .split('*/')[0]!
      .replace(/^\/\*\*?/, '')
      .replace(/^ \* ?/gm, ''),
  );
  process.exit(0);
}

function num(name: keyof typeof values, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n)) {
    console.error(`--${name} must be a number, not "${String(raw)}"`);
    process.exit(2);
  }
  return n;
}

/**
 * `--warm-start RUN@STEP[:FREEZE]`: begin from that run's best checkpoint at STEP, training only
 * the new weights for the first FREEZE steps (see warm-start.ts).
 */
function warmStartOption(raw: string | undefined): TrainConfig['warmStart'] | undefined {
  if (raw === undefined) return undefined;
  const match = /^([\w.-]+)@(\d+)(?::(\d+))?$/.exec(raw);
  if (!match) {
    console.error(`--warm-start takes RUN-ID@STEP or RUN-ID@STEP:FREEZE-STEPS, not "${raw}"`);
    process.exit(2);
  }
  return { runId: match[1]!, step: Number(match[2]), freezeSteps: Number(match[3] ?? 0) };
}

const base = values.smoke ? SMOKE_CONFIG : DEFAULT_CONFIG;
const parsed = trainConfigSchema.safeParse({
  layers: num('layers', base.layers),
  units: num('units', base.units),
  batch: num('batch', base.batch),
  seq: num('seq', base.seq),
  lr: num('lr', base.lr),
  lrFloor: num('lr-floor', base.lrFloor),
  dropout: num('dropout', base.dropout),
  clip: num('clip', base.clip),
  steps: num('steps', base.steps),
  evalEvery: num('eval-every', base.evalEvery),
  saveEverySeconds: num('save-every', base.saveEverySeconds),
  seed: num('seed', base.seed),
  maxTunes: values['max-tunes'] !== undefined ? num('max-tunes', 0) : base.maxTunes,
  encoding: (values.encoding ?? base.encoding) as TrainConfig['encoding'],
  warmStart: warmStartOption(values['warm-start']) ?? base.warmStart,
} satisfies TrainConfig);
if (!parsed.success) {
  console.error(
    `Bad options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
  );
  process.exit(2);
}
const config = parsed.data;
const corpus = resolve(values.corpus ?? join(repo, '..', 'shared', 'datasets', 'folk-pd'));
const root = resolve(
  values.out ?? (values.smoke ? mkdtempSync(join(tmpdir(), 'cantus-smoke-')) : join(repo, 'training')),
);
const runId = values['run-id'] ?? (values.smoke ? 'smoke' : `folk-${config.layers}x${config.units}`);
const modelId = values['model-id'] ?? `folk-rnn-${config.layers}x${config.units}`;
const modelsDir = resolve(
  values['models-dir'] ?? (values.smoke ? join(root, 'models') : join(repo, 'resources', 'models')),
);

try {
  if (values.export) {
    await exportModel({ runDir: join(root, runId), modelsDir, modelId, corpus });
  } else {
    const signal = { stop: false };
    const onSignal = (name: string): void => {
      if (signal.stop) process.exit(130);
      signal.stop = true;
      console.log(`${name}: stopping after this step and saving a checkpoint (send again to quit at once)`);
    };
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    const stopAt = values['stop-at'] !== undefined ? num('stop-at', 0) : undefined;
    const overrides = {
      ...(values.steps !== undefined ? { steps: config.steps } : {}),
      ...(values['eval-every'] !== undefined ? { evalEvery: config.evalEvery } : {}),
      ...(values['save-every'] !== undefined ? { saveEverySeconds: config.saveEverySeconds } : {}),
    };
    const result = await runTraining({
      corpus,
      root,
      runId,
      config,
      resume: values.resume,
      overrides,
      signal,
      ...(stopAt !== undefined ? { stopAt } : {}),
    });
    if (values.smoke) {
      await exportModel({ runDir: result.runDir, modelsDir, modelId, corpus, structureTunes: 3 });
      console.log(`smoke run complete: ${root}`);
    } else if (!result.finished) {
      console.log(`to continue: npx tsx scripts/train/train.ts --run-id ${runId} --resume`);
    }
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
