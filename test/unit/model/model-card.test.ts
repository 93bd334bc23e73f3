import { describe, expect, it } from 'vitest';
import { buildModelCard, formatDuration, type ModelCardFacts } from '../../../src-core/model/model-card.ts';

const facts: ModelCardFacts = {
  modelId: 'folk-rnn-2x256',
  runId: 'folk-2x256',
  exportedAt: '2026-11-25T12:00:00.000Z',
  config: {
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
  },
  shape: { inputDepth: 38, units: [256, 256], classes: 38 },
  parameterCount: 836_134,
  progress: { step: 1000, wallSeconds: 1234 },
  exported: { step: 1000, natsPerStep: 1.2345, accuracy: 0.6, steps: 148847, wallSeconds: 1200 },
  evalHistory: [
    { step: 0, natsPerStep: 3.6, accuracy: 0.03, steps: 148847, wallSeconds: 14 },
    { step: 1000, natsPerStep: 1.2345, accuracy: 0.6, steps: 148847, wallSeconds: 1200 },
  ],
  secondsPerStep: 1.1,
  machine: '2 CPU cores (test)',
  baseline: {
    order: 3,
    smoothing: 'interpolated Witten-Bell, add-one unigram',
    train: { melodies: 3794, steps: 1241022 },
    eval: { melodies: 459, steps: 148847, natsPerStep: 1.4717, accuracy: 0.539 },
  },
  dataset: {
    corpus: 'folk-pd',
    files: 4248,
    unreadable: 0,
    melodiesFound: 4256,
    tooShort: 3,
    tooFewPitchClasses: 0,
    truncated: 311,
    foldedNotes: 105,
    tunes: { train: 3790, eval: 458 },
    melodies: { train: 3794, eval: 459 },
    events: { train: 1244816, eval: 149306 },
    evalDuplicatesOfTrain: 17,
    fingerprint: 'abcdef0123456789abcdef',
  },
  provenance: '- From the music21 corpus.',
  reproduce: ['npm ci', 'npx tsx scripts/train/train.ts --run-id folk-2x256'],
  files: [{ name: 'config.json', bytes: 145, sha256: 'f'.repeat(64) }],
  check: { maxAbsDifference: 2e-7, steps: 64, primerSteps: 64, runner: 'MusicRNN' },
};

describe('buildModelCard', () => {
  it('says when training had not finished and gives the exported checkpoint’s figures', () => {
    const card = buildModelCard(facts);
    expect(card).toContain('Training had not finished');
    expect(card).toContain('step 1,000 of 15,000');
    expect(card).toContain('| this model (step 1,000) | 1.2345 | 60.0% |');
    expect(card).toContain(
      '| order-3 Markov chain, interpolated Witten-Bell, add-one unigram | 1.4717 | 53.9% |',
    );
    expect(card).toContain('beats the Markov baseline by 0.2372 nats per step');
  });

  it('says plainly when the model does not beat the baseline', () => {
    const card = buildModelCard({ ...facts, exported: { ...facts.exported, natsPerStep: 1.6 } });
    expect(card).toContain('does not beat the Markov baseline yet');
  });

  it('says when training finished', () => {
    const card = buildModelCard({ ...facts, progress: { step: 15000, wallSeconds: 20000 } });
    expect(card).toContain('Training finished: 15,000 of 15,000 steps');
    expect(card).not.toContain('had not finished');
  });

  it('includes provenance, split, the reproducing commands and the MusicRNN check', () => {
    const card = buildModelCard(facts);
    expect(card).toContain('- From the music21 corpus.');
    expect(card).toContain('| eval | 458 | 459 | 149,306 |');
    expect(card).toContain('npx tsx scripts/train/train.ts --run-id folk-2x256');
    expect(card).toContain('within 2.0e-7');
    expect(card).toContain('836,134 parameters');
  });

  it('describes a phrase-lookback model warm-started from a lookback run: its inputs, its four repeat classes, its source', () => {
    const card = buildModelCard({
      ...facts,
      config: {
        ...facts.config,
        encoding: 'phrase-lookback',
        warmStart: { runId: 'folk-lookback-2x256', step: 3750, freezeSteps: 300 },
      },
      shape: { inputDepth: 202, units: [256, 256], classes: 42 },
      warmStartEncoding: 'lookback',
      check: { ...facts.check!, runner: 'Cantus engine' },
    });
    expect(card).toContain('`"encoding": "phrase-lookback"`');
    expect(card).toContain('Input, 202 wide');
    expect(card).toContain('2-37 note onsets of MIDI 48-83, 38 "repeat the event of one bar ago"');
    expect(card).toContain('41 "of eight bars ago"');
    expect(card).toContain('run `folk-lookback-2x256` at step 3,750 (a lookback model)');
    expect(card).toContain('taught as "repeat eight bars"');
    expect(card).not.toContain('(a basic model)');
  });
});

describe('formatDuration', () => {
  it.each([
    [42, '42 s'],
    [125, '2 min 05 s'],
    [3 * 3600 + 5 * 60, '3 h 05 min'],
  ])('%i s is "%s"', (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });
});
