/**
 * `npm run bench:lessons`: how long `buildLesson` takes to build one run of a lesson whose
 * melody the model generates (generate under the constraints, analyse, pose the questions),
 * with the shipped model on tfjs's wasm backend in Node, beside a lesson with a fixed melody.
 * Each case is built once to warm up, then RUNS times with a fresh seed each time (as the
 * app does). Prints the median and 90th percentile, and how many times the model was asked
 * for melodies per build ("tries": questions that did not fit, and the second variation of
 * "which repeats more" cost a try), and each case's ratio to the unconstrained one. Asserts nothing.
 * The target is a generated 8-bar lesson in under 300 ms median.
 */
import { buildLesson } from '../../src-core/lessons/build-lesson.ts';
import { LessonSchema, type Lesson } from '../../src-core/lessons/schema.ts';
import type { StepModel } from '../../src-core/model/generate.ts';
import { createRng } from '../../src-core/model/rng.ts';
import { loadStepModel } from '../../src-engine/node-model.ts';
import { DEFAULT_MODEL_ID } from '../../src-core/model/model-id.ts';

const RUNS = 15;
const TARGET_MS = 300;

/** The questions a typical "new tunes" lesson asks. */
const QUESTIONS = [
  { id: 'interval', kind: 'interval-name' },
  { id: 'motion', kind: 'step-skip-leap' },
  { id: 'shape', kind: 'contour' },
  { id: 'motif', kind: 'find-motif' },
];

/** An 8-bar lesson generated from `primer` at temperature 1.0, with no seed of its own. */
function generated(id: string, primer: string, constraints: string[], questions = QUESTIONS): Lesson {
  return LessonSchema.parse({
    id,
    title: id,
    introduction: '',
    melody: {
      source: 'generate',
      model: 'folk-rnn-2x256',
      primer,
      temperature: 1,
      bars: 8,
      constraints,
      meter: { numerator: 4, denominator: 4 },
      key: { tonic: 'C', mode: 'major' },
    },
    questions,
  });
}

const CASES: readonly { readonly name: string; readonly lesson: Lesson }[] = [
  { name: 'generate 8 bars, no constraints', lesson: generated('plain', 'C4 D4 E4 G4', []) },
  { name: 'generate 8 bars, ends-on-tonic', lesson: generated('tonic', 'C4 D4 E4 G4', ['ends-on-tonic']) },
  {
    name: 'generate 8 bars, steps-and-thirds-only',
    lesson: generated('steps', 'C4 D4 E4 C4', ['steps-and-thirds-only']),
  },
  {
    name: 'generate 8 bars, two-bar-repeat',
    lesson: generated('repeat', 'C4 D4 E4 G4', ['two-bar-repeat']),
  },
  {
    name: 'generate 8 bars, which-repeats-more (2 melodies)',
    lesson: generated('compare', 'C4 D4 E4 G4', [], [{ id: 'compare', kind: 'which-repeats-more' }]),
  },
  {
    name: 'fixed 8 bars (notes in pack.json)',
    lesson: LessonSchema.parse({
      id: 'fixed',
      title: 'fixed',
      introduction: '',
      melody: {
        source: 'fixed',
        notes:
          'C4 D4 E4 C4 D4 E4 F4/8 E4 G4 F4 D4 E4 C4 D4/8 E4 F4 G4 E4 D4 B3 C4/8 C4 D4 E4 C4 D4 E4 F4/8 E4 G4 F4 D4 E4 C4 D4/8 E4 F4 G4 E4 D4 B3 C4/8',
        key: { tonic: 'C', mode: 'major' },
      },
      questions: QUESTIONS,
    }),
  },
];

/** The model, counting how many times it is asked for a batch of melodies. */
function counting(model: StepModel): { model: StepModel; calls: () => number } {
  let calls = 0;
  return {
    model: {
      range: model.range,
      encoding: model.encoding,
      reset(batch) {
        calls++;
        model.reset(batch);
      },
      step: (input) => model.step(input),
      select: (rows) => model.select(rows),
      dispose: () => model.dispose(),
    },
    calls: () => calls,
  };
}

const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);
function median(xs: readonly number[]): number {
  const s = sorted(xs);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
/** Nearest-rank percentile. */
const percentile = (xs: readonly number[], p: number) => sorted(xs)[Math.ceil((p / 100) * xs.length) - 1]!;

interface Figures {
  readonly times: number[];
  readonly tries: number[];
  readonly failures: Map<string, number>;
}

async function bench(
  lesson: Lesson,
  model: ReturnType<typeof counting>,
  seeds: () => number,
): Promise<Figures> {
  const build = (seed: number) =>
    buildLesson(lesson, {
      files: new Map(),
      file: 'pack.json',
      path: 'lessons[0]',
      model: model.model,
      seed,
    });
  await build(seeds()); // warm-up
  const figures: Figures = { times: [], tries: [], failures: new Map() };
  for (let r = 0; r < RUNS; r++) {
    const seed = seeds();
    const before = model.calls();
    const t0 = performance.now();
    const built = await build(seed);
    figures.times.push(performance.now() - t0);
    figures.tries.push(model.calls() - before);
    if (!built.ok) figures.failures.set(built.error.code, (figures.failures.get(built.error.code) ?? 0) + 1);
  }
  return figures;
}

const loaded = await loadStepModel();
if (!loaded.ok) throw new Error(loaded.error.message);
const model = counting(loaded.value);
const rng = createRng(20_250_601);
const seeds = () => Math.floor(rng.next() * 2 ** 32) >>> 0;

console.log(
  `buildLesson with the default model (${DEFAULT_MODEL_ID}, tfjs wasm, Node), ${RUNS} runs after a warm-up, a fresh seed each run.`,
);
console.log(
  `${'case'.padEnd(50)} ${'median ms'.padStart(10)} ${'p90 ms'.padStart(8)} ${'x median'.padStart(9)} ${'x p90'.padStart(6)} ${'mean tries'.padStart(11)}  failed`,
);
let plain: Figures | null = null;
for (const { name, lesson } of CASES) {
  const f = await bench(lesson, model, seeds);
  plain ??= f;
  const meanTries = f.tries.reduce((s, t) => s + t, 0) / f.tries.length;
  const failed =
    f.failures.size === 0 ? '0' : [...f.failures].map(([code, n]) => `${n}/${RUNS} ${code}`).join(', ');
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  console.log(
    `${name.padEnd(50)} ${median(f.times).toFixed(0).padStart(10)} ${percentile(f.times, 90).toFixed(0).padStart(8)} ` +
      `${ratio(median(f.times), median(plain.times)).padStart(9)} ${ratio(percentile(f.times, 90), percentile(plain.times, 90)).padStart(6)} ` +
      `${meanTries.toFixed(1).padStart(11)}  ${failed}`,
  );
}
console.log('x median, x p90: the ratio to the unconstrained case (goal: every constrained case within 2x).');
console.log(
  'Tries: melodies the model wrote per build (constraints are steered while sampling, so one per try; a try is repeated when the questions do not fit the melody, and "which repeats more" writes two); the timings include failed builds.',
);
console.log(`Target: a generated 8-bar lesson builds in under ${TARGET_MS} ms median.`);
model.model.dispose();
process.exit(0);
