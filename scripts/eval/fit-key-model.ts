/**
 * `npm run fit:keys [-- --corpus DIR] [--check]`: learns the key finder's weights
 * (src-core/music/key-model.ts) from the keys the ABC transcribers wrote on the train side of
 * folk-pd's split, and prints how the weights read both sides.
 *
 * The model is a multinomial logistic regression over candidate keys (key-finding.ts says what
 * it reads). Each tune counts twice: once choosing among every tonic in every mode (a file with
 * no key signature) and once among the keys of its signature (a file whose mode flag is wrong or
 * missing). Minor tunes count twice and modal tunes four times as much as major ones, so the
 * rarer keys are not given up for the commonest; the weights are kept small by an L2 penalty,
 * three times stronger on a mode's own weights than on the shared ones (Phrygian and Lydian
 * lean on the minor and major modes' own weights, as key-finding.ts's MODE_FAMILY says). Full-batch Adam from
 * zero weights, a fixed number of steps: the same corpus gives the same weights.
 *
 * Then the favour for a declared minor or modal key is chosen on the train side as the
 * smallest that reads the most files exactly as abc2midi made them (minor keys flagged).
 *
 * `--check` fits and prints without writing the file; `--class-weights MINOR,MODAL` tries other
 * class weights.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import {
  DEGREE_FEATURE_COUNT,
  KEY_FEATURE_COUNT,
  MODE_FEATURE_COUNT,
  keyEvidence,
  keyFeatures,
  type KeyModel,
  findKey,
  MODE_FAMILY,
} from '../../src-core/music/key-finding.ts';
import { keyFifths, keysOfSignature, sameKey, tonicPitchClass } from '../../src-core/music/key.ts';
import { MODES, stepsPerBar, type Key, type Mode } from '../../src-core/music/melody.ts';
import { loadEvalTunes, type EvalTune } from './analysis.ts';

const FITTED_MODES: readonly Mode[] = MODES.filter((m) => m !== 'locrian');
const CANDIDATES = FITTED_MODES.flatMap((mode) =>
  Array.from({ length: 12 }, (_, tonic) => ({ mode, tonic })),
);
const STEPS = 600;
const LEARNING_RATE = 0.05;
const L2_SHARED = 3e-4;
const L2_OWN = 3 * L2_SHARED;
let CLASS_WEIGHT: Readonly<Record<'major' | 'minor' | 'modal', number>> = { major: 1, minor: 2, modal: 4 };

interface Row {
  /** Features of every candidate, in CANDIDATES order. */
  readonly features: readonly Float64Array[];
  /** Index of the true key in CANDIDATES. */
  readonly truth: number;
  /** Indices of the keys of the tune's signature. */
  readonly signature: readonly number[];
  readonly weight: number;
}

const indexOf = (key: Key): number =>
  CANDIDATES.findIndex((c) => c.mode === key.mode && c.tonic === tonicPitchClass(key));

function rowOf(tune: EvalTune): Row | null {
  const truth = indexOf(tune.truth);
  if (truth < 0 || tune.melody.notes.length === 0) return null;
  const evidence = keyEvidence(tune.melody.notes, stepsPerBar(tune.melody.meter));
  const signature = keysOfSignature(keyFifths(tune.melody.key ?? tune.truth))
    .map(indexOf)
    .filter((i) => i >= 0);
  if (!signature.includes(truth)) return null;
  const group = tune.truth.mode === 'major' ? 'major' : tune.truth.mode === 'minor' ? 'minor' : 'modal';
  return {
    features: CANDIDATES.map((c) => keyFeatures(evidence, c.tonic, c.mode)),
    truth,
    signature,
    weight: CLASS_WEIGHT[group],
  };
}

/** Parameters laid out as [shared (F)] then per fitted mode [own weights (K), bias]. */
const F = KEY_FEATURE_COUNT;
const K = MODE_FEATURE_COUNT;
const D = DEGREE_FEATURE_COUNT;
const ownOffset = (mode: Mode): number => F + FITTED_MODES.indexOf(mode) * (K + 1);

/** Where a mode's own weights sit, then its family's (key-finding.ts's MODE_FAMILY), if any. */
function ownOffsets(mode: Mode): number[] {
  const family = MODE_FAMILY[mode];
  return family ? [ownOffset(mode), ownOffset(family)] : [ownOffset(mode)];
}

function candidateScore(params: Float64Array, features: Float64Array, mode: Mode): number {
  const offsets = ownOffsets(mode);
  let s = params[offsets[0]! + K]!;
  for (let j = 0; j < F; j++) s += params[j]! * features[j]!;
  for (const o of offsets) for (let k = 0; k < K; k++) s += params[o + k]! * features[D + k]!;
  return s;
}

/** Adds the gradient of one softmax cross-entropy over `set` to `grad`; returns the loss. */
function accumulate(params: Float64Array, grad: Float64Array, row: Row, set: readonly number[]): number {
  const scores = set.map((i) => candidateScore(params, row.features[i]!, CANDIDATES[i]!.mode));
  const top = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - top));
  const z = exps.reduce((a, b) => a + b, 0);
  set.forEach((i, k) => {
    const g = (row.weight * (exps[k]! / z - (i === row.truth ? 1 : 0))) as number;
    const offsets = ownOffsets(CANDIDATES[i]!.mode);
    const f = row.features[i]!;
    for (let j = 0; j < F; j++) grad[j]! += g * f[j]!;
    for (const o of offsets) for (let k = 0; k < K; k++) grad[o + k]! += g * f[D + k]!;
    grad[offsets[0]! + K]! += g;
  });
  return -row.weight * (scores[set.indexOf(row.truth)]! - top - Math.log(z));
}

function fit(rows: readonly Row[]): Float64Array {
  const params = new Float64Array(F + FITTED_MODES.length * (K + 1));
  const m = new Float64Array(params.length);
  const v = new Float64Array(params.length);
  const all = CANDIDATES.map((_, i) => i);
  for (let step = 1; step <= STEPS; step++) {
    const grad = new Float64Array(params.length);
    let loss = 0;
    for (const row of rows) {
      loss += accumulate(params, grad, row, all) + accumulate(params, grad, row, row.signature);
    }
    for (let j = 0; j < params.length; j++) {
      const isBias = j >= F && (j - F) % (K + 1) === K;
      const l2 = isBias ? 0 : j < F ? L2_SHARED : L2_OWN;
      const g = grad[j]! / rows.length + l2 * params[j]!;
      m[j] = 0.9 * m[j]! + 0.1 * g;
      v[j] = 0.999 * v[j]! + 0.001 * g * g;
      params[j]! -=
        (LEARNING_RATE * (m[j]! / (1 - 0.9 ** step))) / (Math.sqrt(v[j]! / (1 - 0.999 ** step)) + 1e-8);
    }
    if (step % 100 === 0) console.log(`step ${step}/${STEPS}: loss ${(loss / rows.length).toFixed(4)}`);
  }
  return params;
}

const round = (x: number): number => Number(x.toPrecision(5));

function modelOf(params: Float64Array, declared: number): KeyModel {
  const modes: Partial<Record<Mode, { weights: number[]; bias: number }>> = {};
  for (const mode of FITTED_MODES) {
    const o = ownOffset(mode);
    modes[mode] = { weights: Array.from(params.subarray(o, o + K), round), bias: round(params[o + K]!) };
  }
  return { shared: Array.from(params.subarray(0, F), round), modes, declared };
}

/** Share of tunes read exactly, with the file's key declared as made, flag removed, or none. */
function accuracy(
  tunes: readonly EvalTune[],
  model: KeyModel,
  how: 'as made' | 'flag removed' | 'none',
): number {
  let right = 0;
  for (const t of tunes) {
    const declared =
      how === 'none' || !t.melody.key
        ? null
        : how === 'as made'
          ? t.melody.key
          : keysOfSignature(keyFifths(t.melody.key))[0]!;
    if (sameKey(findKey(t.melody.notes, stepsPerBar(t.melody.meter), declared, model).key, t.truth)) right++;
  }
  return right / tunes.length;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      check: { type: 'boolean', default: false },
      'class-weights': { type: 'string' },
    },
  });
  if (values['class-weights']) {
    const [minor, modal] = values['class-weights'].split(',').map(Number);
    CLASS_WEIGHT = { major: 1, minor: minor!, modal: modal! };
  }
  const corpus = resolve(
    values.corpus ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'folk-pd'),
  );
  if (!existsSync(join(corpus, 'abc'))) {
    console.error(`No folk-pd corpus at ${corpus} (expected its abc/ and midi/ folders). Pass --corpus DIR.`);
    process.exit(1);
  }
  const { tunes } = loadEvalTunes(corpus);
  const train = tunes.filter((t) => t.split === 'train');
  const held = tunes.filter((t) => t.split === 'eval');
  const rows = train.flatMap((t) => rowOf(t) ?? []);
  console.log(
    `Fitting on ${rows.length} train tunes (${train.length - rows.length} left out: key not in a fitted mode).`,
  );
  const params = fit(rows);

  let model = modelOf(params, 0);
  let best = accuracy(train, model, 'as made');
  for (const declared of [0.25, 0.5, 1, 2, 4]) {
    const a = accuracy(train, { ...model, declared }, 'as made');
    if (a > best + 1e-9) {
      best = a;
      model = { ...model, declared };
    }
  }
  console.log(`Favour for a declared minor or modal key: ${model.declared}`);
  for (const [name, split] of [
    ['train', train],
    ['eval', held],
  ] as const) {
    const figures = (group: readonly EvalTune[]) =>
      (['as made', 'flag removed', 'none'] as const)
        .map(
          (how) =>
            `${how === 'none' ? 'no signature' : how} ${(100 * accuracy(group, model, how)).toFixed(1)}%`,
        )
        .join(', ');
    console.log(`${name} (${split.length} tunes), exact: ${figures(split)}`);
    for (const mode of ['minor', 'dorian', 'mixolydian'] as const) {
      const group = split.filter((t) => t.truth.mode === mode);
      console.log(`  ${mode} (${group.length}): ${figures(group)}`);
    }
  }
  if (values.check) return;
  const target = join(import.meta.dirname, '..', '..', 'src-core', 'music', 'key-model.ts');
  const source = `/**
 * The key finder's learned weights (key-finding.ts says what they weigh), written by
 * \`npm run fit:keys\` (scripts/eval/fit-key-model.ts) from folk-pd's train split: do not edit by
 * hand; fit again after changing the features.
 */
import type { KeyModel } from './key-finding.ts';

export const KEY_MODEL: KeyModel = ${JSON.stringify(model)};
`;
  writeFileSync(target, await format(source, { ...(await resolveConfig(target)), filepath: target }));
  console.log(`Wrote ${target}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
