/**
 * The whole training pipeline, small: a few steps of a tiny 2-layer LSTM on a handful of
 * folk-pd tunes, interrupted and resumed, exported in the magenta.js layout, loaded with
 * magenta.js MusicRNN (served on 127.0.0.1), asked for a continuation, and compared with the
 * training code's own forward pass.
 *
 * Reads the shared folk-pd corpus (../shared/datasets/folk-pd, not part of this repository;
 * CANTUS_FOLK_PD may point elsewhere). Skipped with a message when it is absent on a developer
 * machine; on CI (CI=true) a missing corpus is a failure.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lstmShapeFromManifest, musicRnnConfigSchema } from '../../../src-core/model/checkpoint-format.ts';
import { decodeEvents, EVENT_CLASSES, MODEL_PITCH_RANGE } from '../../../src-core/model/melody-events.ts';
import { lookbackEncoding, oneHotRows, sparseRows } from '../../../src-core/model/event-encoding.ts';
import { melodyToNoteSequence } from '../../../src-core/model/note-sequence.ts';
import { createRng, randomInt } from '../../../src-core/model/rng.ts';
import { exportModel } from '../../../scripts/train/export.ts';
import { readCheckpoint, readPointer } from '../../../scripts/train/files.ts';
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
} from '../../../scripts/train/lstm.ts';
import { checkAgainstMusicRnn, continueWithMusicRnn } from '../../../scripts/train/musicrnn-check.ts';
import { referenceGradients } from '../../../scripts/train/reference-lstm.ts';
import { REPEAT_BIAS } from '../../../scripts/train/warm-start.ts';
import { loadRunData, runTraining, shapeOf, SMOKE_CONFIG } from '../../../scripts/train/run.ts';
import { wasmTf } from '../../../src-engine/node-tf.ts';

const corpus = process.env.CANTUS_FOLK_PD
  ? process.env.CANTUS_FOLK_PD.replace(/\/$/, '')
  : fileURLToPath(new URL('../../../../shared/datasets/folk-pd', import.meta.url));
const present = existsSync(join(corpus, 'midi'));
const onCi = process.env.CI === 'true';
if (!present && !onCi) {
  console.warn(
    `Skipping the training pipeline smoke run: ${corpus} is not here (it is required when CI=true).`,
  );
}

const quiet = (): void => {};
const temp = mkdtempSync(join(tmpdir(), 'cantus-train-test-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('the hand-written LSTM backward pass', () => {
  const lookback = lookbackEncoding(MODEL_PITCH_RANGE);
  // One-hot inputs (basic), and sparse rows with several entries and values of +1 / -1 / 0 (lookback).
  it.each([
    ['one-hot inputs', EVENT_CLASSES, EVENT_CLASSES, null],
    ['lookback inputs', lookback.inputDepth, lookback.classes, lookback],
  ] as const)('gives the gradients tfjs computes automatically (%s)', async (_, depth, classes, encoding) => {
    const tf = await wasmTf();
    const rng = createRng(11);
    const shape = { inputDepth: depth, units: [8, 6, 5], classes };
    const B = 3;
    const T = 7;
    const n = B * T;
    const params = initParams(tf, shape, rng);
    const events = Int32Array.from({ length: n }, () => randomInt(rng, EVENT_CLASSES));
    let inputs = oneHotRows(events);
    if (encoding) {
      inputs = sparseRows(n, encoding.perRow);
      for (let t = 0; t < n; t++) encoding.writeInput(events, t, 3, inputs, t);
    }
    const batch = {
      batch: B,
      steps: T,
      inputs,
      targets: Int32Array.from({ length: n }, () => randomInt(rng, classes)),
      mask: Float32Array.from({ length: n }, (_, k) => (k >= n - 2 ? 0 : 1)),
    };
    const keep = shape.units.map((u) =>
      Float32Array.from({ length: n * u }, () => (rng.next() < 0.8 ? 1.25 : 0)),
    );
    // A non-zero initial state, as carried between training windows.
    const initial = {
      c: shape.units.map((u) => tf.randomNormal([B, u], 0, 0.5, 'float32', 1) as never),
      h: shape.units.map((u) => tf.randomNormal([B, u], 0, 0.5, 'float32', 2) as never),
    };
    const fwd = forward(tf, params, batch.inputs, B, T, initial, { keep, train: true });
    const ce = softmaxCrossEntropy(tf, fwd.logits, batch.targets, batch.mask, true);
    const mine = backward(tf, params, fwd, ce.dlogits!, batch.inputs, B, T);
    const theirs = referenceGradients(tf, params, batch, initial, keep);
    expect(ce.lossSum / ce.count).toBeCloseTo(theirs.loss, 5);
    mine.forEach((g, k) => {
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(g, theirs.grads[k]!))).dataSync()[0]!);
      expect(diff, paramNames(3)[k]).toBeLessThan(1e-6);
    });
    disposeForward(tf, fwd);
    tf.dispose([
      ...mine,
      ...theirs.grads,
      ce.dlogits!,
      ...fwd.state.c,
      ...fwd.state.h,
      ...initial.c,
      ...initial.h,
    ]);
    tf.dispose(namedParams(params).map((p) => p.tensor));
  });
});

describe.skipIf(!present && !onCi)('the training pipeline on a few folk-pd tunes', () => {
  const root = join(temp, 'training');
  const modelsDir = join(temp, 'models');
  const config = { ...SMOKE_CONFIG, steps: 6, evalEvery: 3 };

  it('has the corpus', () => {
    expect(present, `${corpus} is missing`).toBe(true);
  });

  it('trains, stops and resumes to exactly the weights of an uninterrupted run', async () => {
    const straight = await runTraining({
      corpus,
      root,
      runId: 'straight',
      config,
      resume: false,
      print: quiet,
    });
    expect(straight.finished).toBe(true);
    expect(straight.baseline.eval.natsPerStep).toBeGreaterThan(0);
    await runTraining({ corpus, root, runId: 'broken', config, resume: false, stopAt: 2, print: quiet });
    await runTraining({ corpus, root, runId: 'broken', config, resume: true, stopAt: 4, print: quiet });
    const resumed = await runTraining({ corpus, root, runId: 'broken', config, resume: true, print: quiet });
    expect(resumed.step).toBe(6);
    const a = readCheckpoint(readPointer(join(root, 'straight'), 'latest')!);
    const b = readCheckpoint(readPointer(join(root, 'broken'), 'latest')!);
    expect(b.state.rng).toEqual(a.state.rng);
    expect([b.state.epoch, b.state.cursor, b.state.streams]).toEqual([
      a.state.epoch,
      a.state.cursor,
      a.state.streams,
    ]);
    for (const [name, t] of a.tensors) expect([...b.tensors.get(name)!.data], name).toEqual([...t.data]);
    const log = readFileSync(join(root, 'broken', 'log.jsonl'), 'utf8');
    expect(log.match(/"event":"resume"/g)).toHaveLength(2);
  }, 120_000);

  it('exports in the magenta.js layout and MusicRNN gives the same probabilities', async () => {
    const result = await exportModel({
      runDir: join(root, 'straight'),
      modelsDir,
      modelId: 'smoke-rnn',
      corpus,
      structureTunes: 3,
      print: quiet,
    });
    const dir = result.outDir;
    for (const f of ['config.json', 'weights_manifest.json', 'group1-shard1of1.bin', 'MODEL_CARD.md']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(
      musicRnnConfigSchema.parse(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))),
    ).toBeTruthy();
    expect(
      lstmShapeFromManifest(JSON.parse(readFileSync(join(dir, 'weights_manifest.json'), 'utf8'))),
    ).toEqual({
      ok: true,
      value: shapeOf(config),
    });
    const exportCheck = result.check!;
    expect(exportCheck.runner).toBe('MusicRNN');
    if (exportCheck.runner !== 'MusicRNN') return;
    expect(exportCheck.maxAbsDifference).toBeLessThan(1e-5);
    expect(exportCheck.sharedEngine).toBe(true);
    expect(exportCheck.backend).toBe('wasm');
    expect(result.card).toContain('Training finished: 6 of 6 steps');
    expect(result.card).toMatch(
      /## Structure of what it writes[\s\S]*\| the real tunes \|[\s\S]*\| smoke-rnn \|/,
    );

    // Again, by hand, with another primer: a training melody's first 32 steps, 48 steps on.
    const tf = await wasmTf();
    const best = readCheckpoint(readPointer(join(root, 'straight'), 'best')!);
    const params = paramsFromList(
      shapeOf(config),
      paramNames(config.layers).map((n) =>
        tf.tensor(best.tensors.get(n)!.data, [...best.tensors.get(n)!.shape]),
      ),
    );
    const primer = [...loadRunData(corpus, config).train[1]!.events.slice(0, 32)];
    const check = await checkAgainstMusicRnn(params, dir, primer, 48);
    expect(check.maxAbsDifference).toBeLessThan(1e-5);
    expect(check.continuation).toHaveLength(48);
    tf.dispose(namedParams(params).map((p) => p.tensor));
  }, 120_000);

  it('warm-starts a lookback run from it: the frozen steps move only the new weights; the export runs in the engine', async () => {
    const straight = readCheckpoint(readPointer(join(root, 'straight'), 'best')!);
    const warmStart = { runId: 'straight', step: straight.state.step, freezeSteps: 3 };
    const lookback = { ...config, encoding: 'lookback' as const, warmStart };
    const first = await runTraining({
      corpus,
      root,
      runId: 'lookback',
      config: lookback,
      resume: false,
      stopAt: 3,
      print: quiet,
    });
    expect(first.step).toBe(3);
    const frozen = readCheckpoint(readPointer(join(root, 'lookback'), 'latest')!);
    const from = shapeOf(config);
    const to = shapeOf(lookback);
    expect([to.inputDepth, to.classes]).toEqual([3 * EVENT_CLASSES + 7, EVENT_CLASSES + 2]);
    for (const [name, t] of straight.tensors) {
      if (!paramNames(config.layers).includes(name)) continue;
      const now = frozen.tensors.get(name)!.data;
      // The source's values, where they sit in the wider tensors, are untouched.
      const at = (k: number): number =>
        name === 'wfc' ? Math.floor(k / from.classes) * to.classes + (k % from.classes) : k;
      expect(
        t.data.every((v, k) => v === now[at(k)]),
        name,
      ).toBe(true);
    }
    const widened = frozen.tensors.get('bfc')!.data;
    expect([...widened.slice(EVENT_CLASSES)].every((v) => v !== REPEAT_BIAS)).toBe(true);
    // After the frozen steps everything learns.
    await runTraining({
      corpus,
      root,
      runId: 'lookback',
      config: lookback,
      resume: true,
      stopAt: 5,
      print: quiet,
    });
    const free = readCheckpoint(readPointer(join(root, 'lookback'), 'latest')!);
    expect([...free.tensors.get('wh0')!.data]).not.toEqual([...straight.tensors.get('wh0')!.data]);

    const result = await exportModel({
      runDir: join(root, 'lookback'),
      modelsDir,
      modelId: 'smoke-lookback',
      corpus,
      structureTunes: 0,
      print: quiet,
    });
    expect(result.check!.runner).toBe('Cantus engine');
    expect(result.check!.maxAbsDifference).toBeLessThan(1e-5);
    const configJson = musicRnnConfigSchema.parse(
      JSON.parse(readFileSync(join(result.outDir, 'config.json'), 'utf8')),
    );
    expect(configJson.encoding).toBe('lookback');
    expect(result.card).toContain('lookback_rnn');
    expect(result.card).toContain('--warm-start straight@');
  }, 120_000);

  it('continues a primer with MusicRNN: monophonic, in range, the requested length', async () => {
    const dir = join(modelsDir, 'smoke-rnn');
    const primerEvents = [...loadRunData(corpus, config).eval[0]!.events.slice(0, 48)];
    const primer = melodyToNoteSequence(decodeEvents(primerEvents));
    for (const temperature of [undefined, 1.0]) {
      const out = await continueWithMusicRnn(dir, primer, 64, temperature);
      expect(out.totalQuantizedSteps).toBe(64);
      const notes = [...(out.notes ?? [])].sort((a, b) => a.quantizedStartStep! - b.quantizedStartStep!);
      notes.forEach((n, i) => {
        expect(n.pitch).toBeGreaterThanOrEqual(MODEL_PITCH_RANGE.minPitch);
        expect(n.pitch).toBeLessThanOrEqual(MODEL_PITCH_RANGE.maxPitch);
        expect(n.quantizedEndStep!).toBeGreaterThan(n.quantizedStartStep!);
        expect(n.quantizedEndStep!).toBeLessThanOrEqual(64);
        const next = notes[i + 1];
        if (next) expect(next.quantizedStartStep!).toBeGreaterThanOrEqual(n.quantizedEndStep!);
      });
    }
  }, 120_000);

  it('keeps the tiny model’s tensors from piling up', async () => {
    const tf = await wasmTf();
    const before = tf.memory().numTensors;
    const shape = shapeOf(config);
    const params = initParams(tf, shape, createRng(3));
    const state = zeroState(tf, shape, 2);
    const fwd = forward(tf, params, oneHotRows(new Int32Array(2 * 5)), 2, 5, state, {
      keep: null,
      train: false,
    });
    disposeForward(tf, fwd);
    tf.dispose([
      ...fwd.state.c,
      ...fwd.state.h,
      ...state.c,
      ...state.h,
      ...namedParams(params).map((p) => p.tensor),
    ]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
