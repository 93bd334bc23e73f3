/**
 * A training run of the melody LSTM: data, Markov baseline, training loop with eval,
 * checkpoints every few minutes and on SIGINT/SIGTERM, and exact resumption.
 *
 * training/<run-id>/
 *   log.jsonl                 session, train and eval lines (checkpoint-format.ts logEntrySchema)
 *   dataset.json              split statistics and data fingerprint
 *   baseline.json             the order-3 Markov chain on the same eval split
 *   checkpoints/step-NNNNNNN/ state.json + tensors.bin: weights, Adam moments, carried LSTM
 *                             state, RNG state, data position (the last two are kept)
 *   best/step-NNNNNNN/        weights of the best eval so far
 *   latest.json, best.json    which folder is the latest / best (replaced atomically)
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  baselineSchema,
  trainConfigSchema,
  type Baseline,
  type EvalRecord,
  type LstmShape,
  type TrainConfig,
  type TrainingState,
} from '../../src-core/model/checkpoint-format.ts';
import { evaluateMarkov, fitMarkov } from '../../src-core/model/markov.ts';
import { eventEncoding, type EventEncoding } from '../../src-core/model/event-encoding.ts';
import { EVENT_CLASSES, MODEL_PITCH_RANGE } from '../../src-core/model/melody-events.ts';
import { createRng, rngFromState, type Rng } from '../../src-core/model/rng.ts';
import { createWindowSource, startCursor, type DataCursor } from '../../src-core/model/training-windows.ts';
import { loadDataset, type Dataset } from '../dataset/corpus.ts';
import { evaluateModel } from './evaluate.ts';
import {
  appendLog,
  readCheckpoint,
  readJson,
  readPointer,
  writeCheckpoint,
  writeJsonAtomic,
  writePointer,
  type HostTensor,
} from './files.ts';
import {
  backward,
  disposeForward,
  forward,
  initParams,
  namedParams,
  paramNames,
  paramsFromList,
  softmaxCrossEntropy,
  zeroState,
  type LstmState,
} from './lstm.ts';
import { FROZEN_LR_FACTOR, newWeightMasks, widenParams } from './warm-start.ts';
import { adamStep, initAdam, learningRate, type AdamState } from './optimizer.ts';
import { wasmTf, type Tensor, type Tensor2D, type Tf } from '../../src-engine/node-tf.ts';

/** The full-size run's defaults (see the model card for why). */
export const DEFAULT_CONFIG: TrainConfig = {
  layers: 2,
  units: 256,
  batch: 64,
  seq: 64,
  lr: 0.001,
  lrFloor: 0.05,
  dropout: 0.3,
  clip: 5,
  steps: 15000,
  evalEvery: 250,
  saveEverySeconds: 300,
  seed: 1,
  maxTunes: null,
  encoding: 'basic',
  warmStart: null,
};

/** A tiny configuration for CI: a few steps on a handful of tunes. */
export const SMOKE_CONFIG: TrainConfig = {
  layers: 2,
  units: 16,
  batch: 4,
  seq: 16,
  lr: 0.01,
  lrFloor: 0.1,
  dropout: 0.1,
  clip: 5,
  steps: 6,
  evalEvery: 3,
  saveEverySeconds: 3600,
  seed: 1,
  maxTunes: 12,
  encoding: 'basic',
  warmStart: null,
};

export interface RunOptions {
  readonly corpus: string;
  /** The folder holding run folders (training/). */
  readonly root: string;
  readonly runId: string;
  /** The configuration of a new run; ignored on resume, where the checkpoint's is used. */
  readonly config: TrainConfig;
  readonly resume: boolean;
  /** On resume: a new length of run, eval interval or save interval (nothing else may change). */
  readonly overrides?: Partial<Pick<TrainConfig, 'steps' | 'evalEvery' | 'saveEverySeconds'>>;
  /** Stop (with a checkpoint) on reaching this step, without changing the schedule set by `config.steps`. */
  readonly stopAt?: number;
  /** Set `stop` to true to stop at the next step boundary with a checkpoint. */
  readonly signal?: { stop: boolean };
  readonly print?: (line: string) => void;
  /** Log a train line every this many steps. */
  readonly logEvery?: number;
}

export interface RunResult {
  readonly runDir: string;
  readonly step: number;
  readonly finished: boolean;
  readonly best: EvalRecord | null;
  readonly baseline: Baseline;
}

/** The encoding a run's model reads and predicts. */
export function encodingOf(config: TrainConfig): EventEncoding {
  return eventEncoding(config.encoding, MODEL_PITCH_RANGE);
}

export function shapeOf(config: TrainConfig): LstmShape {
  const encoding = encodingOf(config);
  return {
    inputDepth: encoding.inputDepth,
    units: Array.from({ length: config.layers }, () => config.units),
    classes: encoding.classes,
  };
}

/** The training and eval data of a config, as the run uses them. */
export function loadRunData(corpus: string, config: TrainConfig): Dataset {
  return loadDataset(corpus, config.maxTunes ? { maxTunes: config.maxTunes } : {});
}

/** Fits and scores the order-3 Markov baseline on a dataset. */
export function markovBaseline(data: Dataset): Baseline {
  const train = data.train.map((m) => m.events);
  const chain = fitMarkov(train, 3, EVENT_CLASSES);
  const score = evaluateMarkov(
    chain,
    data.eval.map((m) => m.events),
  );
  return {
    order: 3,
    smoothing: 'interpolated Witten-Bell, add-one unigram',
    train: { melodies: train.length, steps: train.reduce((s, m) => s + m.length - 1, 0) },
    eval: {
      melodies: data.eval.length,
      steps: score.steps,
      natsPerStep: score.natsPerStep,
      accuracy: score.accuracy,
    },
  };
}

const now = (): string => new Date().toISOString();

function toHost(name: string, t: Tensor): HostTensor {
  return { name, shape: t.shape, data: Float32Array.from(t.dataSync() as Float32Array) };
}

function fromHost(tf: Tf, t: HostTensor | undefined, name: string): Tensor {
  if (!t) throw new Error(`The checkpoint has no tensor "${name}"`);
  return tf.tensor(t.data, [...t.shape]);
}

/** Runs (or resumes) training until `config.steps`, a stop request or `stopAt`. */
export async function runTraining(options: RunOptions): Promise<RunResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const tf = await wasmTf();
  const runDir = join(options.root, options.runId);
  const logPath = join(runDir, 'log.jsonl');
  const latestDir = readPointer(runDir, 'latest');

  // ---- where we start from
  let resumed: ReturnType<typeof readCheckpoint> | null = null;
  if (options.resume) {
    if (!latestDir || !existsSync(latestDir)) {
      throw new Error(`Nothing to resume: ${runDir} has no checkpoint. Start it without --resume.`);
    }
    resumed = readCheckpoint(latestDir);
  } else if (latestDir) {
    throw new Error(
      `${runDir} already has checkpoints. Continue it with --resume, or choose another --run-id.`,
    );
  }
  // Architecture, data and schedule come from the checkpoint; only the length of the run and
  // the eval and save intervals may be changed on resume, and only when asked.
  const config: TrainConfig = resumed
    ? trainConfigSchema.parse({ ...resumed.state.config, ...options.overrides })
    : trainConfigSchema.parse(options.config);
  const shape = shapeOf(config);
  const encoding = encodingOf(config);
  mkdirSync(runDir, { recursive: true });

  // ---- data and baseline
  const loadStart = performance.now();
  const data = loadRunData(options.corpus, config);
  if (resumed && resumed.state.dataFingerprint !== data.fingerprint) {
    throw new Error(
      `The corpus at ${options.corpus} is not the data this run was trained on (fingerprint differs). Resume with the same corpus.`,
    );
  }
  if (data.train.length === 0 || data.eval.length === 0) {
    throw new Error(
      `The corpus at ${options.corpus} gave no ${data.train.length === 0 ? 'training' : 'eval'} melodies.`,
    );
  }
  writeJsonAtomic(join(runDir, 'dataset.json'), {
    corpus: options.corpus,
    fingerprint: data.fingerprint,
    ...data.stats,
  });
  const baselinePath = join(runDir, 'baseline.json');
  const baseline = existsSync(baselinePath)
    ? baselineSchema.parse(readJson(baselinePath))
    : markovBaseline(data);
  writeJsonAtomic(baselinePath, baseline);
  print(
    `data: ${data.stats.melodies.train} train / ${data.stats.melodies.eval} eval melodies, ` +
      `${data.stats.events.train} / ${data.stats.events.eval} events (${((performance.now() - loadStart) / 1000).toFixed(1)} s); ` +
      `order-3 Markov baseline on eval: ${baseline.eval.natsPerStep.toFixed(4)} nats/step, accuracy ${(100 * baseline.eval.accuracy).toFixed(1)}%`,
  );

  // ---- model, optimizer, data position, randomness
  let params: Tensor[];
  let adam: AdamState;
  let rng: Rng;
  let cursor: DataCursor;
  let carried: LstmState;
  let step: number;
  let wallBefore: number;
  let best: EvalRecord | null;
  const names = paramNames(config.layers);
  // The warm start's checkpoint, read once: its weights begin a new run, and its shape marks the
  // weights a frozen start trains (needed on resume only while the freeze lasts).
  const frozenSteps = config.warmStart?.freezeSteps ?? 0;
  const warm =
    config.warmStart && (!resumed || resumed.state.step < frozenSteps)
      ? warmStartSource(options.root, config.warmStart, data.fingerprint)
      : null;
  if (resumed) {
    const t = resumed.tensors;
    params = names.map((n) => fromHost(tf, t.get(n), n));
    adam = {
      t: resumed.state.step,
      m: names.map((n) => fromHost(tf, t.get(`adam.m/${n}`), `adam.m/${n}`)),
      v: names.map((n) => fromHost(tf, t.get(`adam.v/${n}`), `adam.v/${n}`)),
    };
    carried = {
      c: shape.units.map((_, l) => fromHost(tf, t.get(`state.c${l}`), `state.c${l}`) as Tensor2D),
      h: shape.units.map((_, l) => fromHost(tf, t.get(`state.h${l}`), `state.h${l}`) as Tensor2D),
    };
    rng = rngFromState(resumed.state.rng);
    cursor = { epoch: resumed.state.epoch, cursor: resumed.state.cursor, streams: resumed.state.streams };
    step = resumed.state.step;
    wallBefore = resumed.state.wallSeconds;
    best = resumed.state.best;
    appendLog(logPath, { kind: 'session', event: 'resume', step, time: now() });
    print(`resumed ${options.runId} at step ${step} (epoch ${cursor.epoch})`);
  } else {
    rng = createRng(config.seed);
    params = namedParams(initParams(tf, shape, rng)).map((n) => n.tensor);
    if (config.warmStart && warm) {
      tf.dispose(params);
      params = widenParams(warm.tensors, shapeOf(warm.state.config), shape).map((t) =>
        tf.tensor(t.data, t.shape),
      );
      print(`warm start from ${config.warmStart.runId} step ${config.warmStart.step}`);
    }
    adam = initAdam(tf, params);
    carried = zeroState(tf, shape, config.batch);
    cursor = startCursor(config.batch);
    step = 0;
    wallBefore = 0;
    best = null;
    appendLog(logPath, { kind: 'session', event: 'start', step, time: now(), note: JSON.stringify(config) });
    print(`started ${options.runId}: ${JSON.stringify(config)}`);
  }
  const source = createWindowSource(data.train, config.seed, encoding);
  const freezeMasks =
    warm && step < frozenSteps
      ? newWeightMasks(shapeOf(warm.state.config), shape).map((mask, k) =>
          mask ? tf.tensor(mask, params[k]!.shape) : null,
        )
      : null;
  const sessionStart = performance.now();
  const wall = (): number => wallBefore + (performance.now() - sessionStart) / 1000;

  const stateOf = (): Omit<TrainingState, 'tensors'> => ({
    version: 1,
    runId: options.runId,
    step,
    epoch: cursor.epoch,
    cursor: cursor.cursor,
    streams: cursor.streams.map((s) => ({ melody: s.melody, offset: s.offset })),
    rng: [...rng.state()] as [number, number, number, number],
    config,
    dataFingerprint: data.fingerprint,
    wallSeconds: wall(),
    best,
  });

  const saveCheckpoint = (): void => {
    const dir = join(runDir, 'checkpoints', `step-${String(step).padStart(7, '0')}`);
    const tensors: HostTensor[] = [
      ...names.map((n, k) => toHost(n, params[k]!)),
      ...names.map((n, k) => toHost(`adam.m/${n}`, adam.m[k]!)),
      ...names.map((n, k) => toHost(`adam.v/${n}`, adam.v[k]!)),
      ...carried.c.map((c, l) => toHost(`state.c${l}`, c)),
      ...carried.h.map((h, l) => toHost(`state.h${l}`, h)),
    ];
    writeCheckpoint(dir, stateOf(), tensors);
    writePointer(runDir, 'latest', dir, step);
    // Keep the newest two checkpoints.
    const all = readdirSync(join(runDir, 'checkpoints'))
      .filter((d) => /^step-\d+$/.test(d))
      .sort();
    for (const old of all.slice(0, -2))
      rmSync(join(runDir, 'checkpoints', old), { recursive: true, force: true });
  };

  const saveBest = (): void => {
    const dir = join(runDir, 'best', `step-${String(step).padStart(7, '0')}`);
    writeCheckpoint(
      dir,
      stateOf(),
      names.map((n, k) => toHost(n, params[k]!)),
    );
    writePointer(runDir, 'best', dir, step);
    for (const old of readdirSync(join(runDir, 'best'))) {
      if (join(runDir, 'best', old) !== dir)
        rmSync(join(runDir, 'best', old), { recursive: true, force: true });
    }
  };

  let trainLossSum = 0;
  let trainLossCount = 0;
  const runEval = (): void => {
    const t0 = performance.now();
    const score = evaluateModel(tf, paramsFromList(shape, params), encoding, data.eval);
    const record: EvalRecord = {
      step,
      natsPerStep: score.natsPerStep,
      accuracy: score.accuracy,
      steps: score.steps,
      wallSeconds: wall(),
    };
    const isBest = best === null || record.natsPerStep < best.natsPerStep;
    if (isBest) best = record;
    appendLog(logPath, {
      kind: 'eval',
      step,
      natsPerStep: record.natsPerStep,
      accuracy: record.accuracy,
      steps: record.steps,
      trainLoss: trainLossCount ? trainLossSum / trainLossCount : null,
      wallSeconds: record.wallSeconds,
      best: isBest,
      time: now(),
    });
    print(
      `eval @ ${step}: ${record.natsPerStep.toFixed(4)} nats/step, accuracy ${(100 * record.accuracy).toFixed(1)}%` +
        `${isBest ? ' (best)' : ''}; Markov-3 ${baseline.eval.natsPerStep.toFixed(4)}; ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    trainLossSum = 0;
    trainLossCount = 0;
    if (isBest) saveBest();
  };

  if (step === 0 && !resumed) runEval();

  const logEvery = options.logEvery ?? 10;
  const stopAt = Math.min(config.steps, options.stopAt ?? Infinity);
  let lastSave = performance.now();
  let windowStart = performance.now();
  let windowSteps = 0;
  let windowLoss = 0;
  let windowCorrect = 0;
  let windowCount = 0;
  let lastNorm = 0;
  let lastLr = 0;

  while (step < stopAt && !options.signal?.stop) {
    const { window, cursor: nextCursor } = source.next(cursor, config.seq);
    // Rows starting a new melody start from a zero state.
    if (window.reset.some((r) => r === 1)) {
      const keepRow = tf.tensor2d(
        Float32Array.from(window.reset, (r) => 1 - r),
        [config.batch, 1],
      );
      const c = carried.c.map((x) => tf.mul(x, keepRow) as Tensor2D);
      const h = carried.h.map((x) => tf.mul(x, keepRow) as Tensor2D);
      tf.dispose([keepRow, ...carried.c, ...carried.h]);
      carried = { c, h };
    }
    const keep =
      config.dropout > 0
        ? shape.units.map((u) => {
            const mask = new Float32Array(window.batch * window.steps * u);
            const scale = 1 / (1 - config.dropout);
            for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < config.dropout ? 0 : scale;
            return mask;
          })
        : null;
    const p = paramsFromList(shape, params);
    const fwd = forward(tf, p, window.inputs, window.batch, window.steps, carried, { keep, train: true });
    const ce = softmaxCrossEntropy(tf, fwd.logits, window.targets, window.mask, true);
    const grads = backward(tf, p, fwd, ce.dlogits!, window.inputs, window.batch, window.steps);
    const frozen = freezeMasks !== null && step < frozenSteps;
    if (frozen) {
      // Frozen warm start: only the weights the source model lacks learn.
      for (let k = 0; k < grads.length; k++) {
        const mask = freezeMasks[k]!;
        const masked = mask ? tf.mul(grads[k]!, mask) : tf.zerosLike(grads[k]!);
        grads[k]!.dispose();
        grads[k] = masked;
      }
    }
    lastLr = learningRate(config.lr, config.lrFloor, step, config.steps) * (frozen ? FROZEN_LR_FACTOR : 1);
    lastNorm = adamStep(tf, params, grads, adam, lastLr, config.clip);
    tf.dispose([...grads, ce.dlogits!, ...carried.c, ...carried.h]);
    carried = fwd.state;
    disposeForward(tf, fwd);
    cursor = nextCursor;
    step++;

    const loss = ce.count ? ce.lossSum / ce.count : 0;
    trainLossSum += loss;
    trainLossCount++;
    windowLoss += ce.lossSum;
    windowCorrect += ce.correct;
    windowCount += ce.count;
    windowSteps++;
    if (!Number.isFinite(loss))
      throw new Error(`The training loss became ${loss} at step ${step}; stopping.`);

    if (step % logEvery === 0 || step === config.steps) {
      const secondsPerStep = (performance.now() - windowStart) / 1000 / windowSteps;
      appendLog(logPath, {
        kind: 'train',
        step,
        loss: windowCount ? windowLoss / windowCount : 0,
        accuracy: windowCount ? windowCorrect / windowCount : 0,
        lr: lastLr,
        gradNorm: lastNorm,
        secondsPerStep,
        wallSeconds: wall(),
        time: now(),
      });
      const eta = (config.steps - step) * secondsPerStep;
      print(
        `step ${step}/${config.steps} loss ${(windowCount ? windowLoss / windowCount : 0).toFixed(4)} ` +
          `acc ${(100 * (windowCount ? windowCorrect / windowCount : 0)).toFixed(1)}% lr ${lastLr.toExponential(2)} ` +
          `|g| ${lastNorm.toFixed(2)} ${(1 / secondsPerStep).toFixed(2)} steps/s eta ${formatEta(eta)} epoch ${cursor.epoch}`,
      );
      windowStart = performance.now();
      windowSteps = 0;
      windowLoss = 0;
      windowCorrect = 0;
      windowCount = 0;
    }
    if (step % config.evalEvery === 0 || step === config.steps) runEval();
    if ((performance.now() - lastSave) / 1000 >= config.saveEverySeconds) {
      saveCheckpoint();
      lastSave = performance.now();
    }
    // Let signal handlers run between steps.
    await new Promise((resolve) => setImmediate(resolve));
  }

  saveCheckpoint();
  appendLog(logPath, {
    kind: 'session',
    event: 'stop',
    step,
    time: now(),
    note:
      step >= config.steps ? 'finished' : options.signal?.stop ? 'stop requested' : `stopped at ${stopAt}`,
  });
  print(`checkpoint saved at step ${step}${step >= config.steps ? ' (finished)' : ''}`);
  tf.dispose([...params, ...adam.m, ...adam.v, ...carried.c, ...carried.h]);
  if (freezeMasks) tf.dispose(freezeMasks.filter((m): m is Tensor => m !== null));
  return { runDir, step, finished: step >= config.steps, best, baseline };
}

/** The best checkpoint of the run a warm start names, checked to be that step and the same data. */
function warmStartSource(
  root: string,
  warm: NonNullable<TrainConfig['warmStart']>,
  fingerprint: string,
): ReturnType<typeof readCheckpoint> {
  const dir = join(root, warm.runId, 'best', `step-${String(warm.step).padStart(7, '0')}`);
  if (!existsSync(dir))
    throw new Error(`No best checkpoint at step ${warm.step} in ${join(root, warm.runId)} to start from.`);
  const loaded = readCheckpoint(dir);
  if (loaded.state.dataFingerprint !== fingerprint)
    throw new Error(
      `${dir} was trained on other data (its fingerprint differs); it cannot be the warm start.`,
    );
  return loaded;
}

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m`;
}
