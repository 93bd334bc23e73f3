/**
 * `npm run bench:generate`: median time to continue a melody by 256 steps, 1 and 8 variations,
 * with Cantus's engine (tfjs WebAssembly backend, batched variations) in Node and in Chromium,
 * beside @magenta/music's default path (MusicRNN.continueSequence on tfjs's cpu backend, one
 * call per variation) on the same model in the same run. Prints figures; asserts nothing.
 * Needs `npm run build:web` first for the Chromium figures (npm test builds it).
 */
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright';
import { continueMelody } from '../../src-core/model/generate.ts';
import { melodyToNoteSequence } from '../../src-core/model/note-sequence.ts';
import { makeMelody, parseNotes, type Melody } from '../../src-core/music/melody.ts';
import { loadStepModel } from '../../src-engine/node-model.ts';
import { BASIC_MODEL_ID } from '../../src-core/model/model-id.ts';
import { wasmTf } from '../../src-engine/node-tf.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/support/chromium.ts';
import { musicRnnClass, serveFolder } from '../train/musicrnn-check.ts';

const STEPS = 256;
const RUNS = 7;
const root = resolve(import.meta.dirname, '../..');
/** Both engines run the same basic model (magenta.js cannot run a lookback one). */
const MODEL_DIR = fileURLToPath(new URL(`../../resources/models/${BASIC_MODEL_ID}`, import.meta.url));
const primer: Melody = makeMelody({
  notes: parseNotes('D4 F#4 A4 D5 C#5/2 B4/2 A4/8 G4 B4 A4 F#4 E4/8 D4/8', 90),
  meter: { numerator: 4, denominator: 4 },
  tempo: 110,
});

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times;
}

async function cantusNode(variations: number): Promise<number> {
  const model = await loadStepModel(MODEL_DIR);
  if (!model.ok) throw new Error(model.error.message);
  try {
    let seed = 0;
    return median(
      await timeRuns(RUNS, () =>
        continueMelody(model.value, primer, { steps: STEPS, temperature: 1, variations, seed: seed++ }),
      ),
    );
  } finally {
    model.value.dispose();
  }
}

async function magentaNode(backend: 'cpu' | 'wasm', variations: number): Promise<number> {
  const tf = await wasmTf();
  await tf.setBackend(backend);
  const served = await serveFolder(MODEL_DIR);
  const MusicRNN = await musicRnnClass();
  const rnn = new MusicRNN(served.url);
  try {
    await rnn.initialize();
    const ns = melodyToNoteSequence(primer);
    const runs = backend === 'cpu' && variations > 1 ? 3 : RUNS;
    return median(
      await timeRuns(runs, async () => {
        for (let v = 0; v < variations; v++) await rnn.continueSequence(ns, STEPS, 1.0);
      }),
    );
  } finally {
    rnn.dispose();
    await served.close();
    await tf.setBackend('wasm');
  }
}

interface BrowserFigures {
  readonly one: number;
  readonly eight: number;
  readonly magentaOne: number;
  readonly magentaEight: number;
}

async function cantusChromium(): Promise<BrowserFigures | string> {
  if (!existsSync(resolve(root, 'dist-web/index.html'))) return 'not measured: run npm run build:web first';
  if (!existsSync(CHROMIUM_PATH)) return `not measured: no Chromium at ${CHROMIUM_PATH}`;
  const port = 5287;
  const bridge = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(root, 'test/e2e/host-bridge.ts'), String(port)],
    {
      stdio: 'ignore',
    },
  );
  try {
    await new Promise((r) => setTimeout(r, 2500));
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/index.html`);
      await page.waitForFunction(() => 'cantusTest' in window);
      const time = (variations: number) =>
        page.evaluate(
          ({ primer, steps, variations, runs }) =>
            (
              window as unknown as { cantusTest: { timeGeneration: (...a: unknown[]) => Promise<number[]> } }
            ).cantusTest.timeGeneration(primer, steps, variations, runs),
          { primer, steps: STEPS, variations, runs: RUNS },
        );
      const one = median(await time(1));
      const eight = median(await time(8));
      // magenta.js's default path in the same browser, on the same model (bench page only).
      const bench = await browser.newPage();
      await bench.goto(`http://127.0.0.1:${port}/bench/magenta.html`);
      await bench.waitForFunction(() => 'magentaBench' in window);
      const magenta = (variations: number, runs: number) =>
        bench.evaluate(
          ({ primer, steps, variations, runs }) =>
            (
              window as unknown as { magentaBench: { timeMagenta: (...a: unknown[]) => Promise<number[]> } }
            ).magentaBench.timeMagenta(primer, steps, variations, runs),
          { primer, steps: STEPS, variations, runs },
        );
      const magentaOne = median(await magenta(1, RUNS));
      const magentaEight = median(await magenta(8, 3));
      return { one, eight, magentaOne, magentaEight };
    } finally {
      await browser.close();
    }
  } finally {
    bridge.kill();
  }
}

const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;
const ours1 = await cantusNode(1);
const ours8 = await cantusNode(8);
const cpu1 = await magentaNode('cpu', 1);
const cpu8 = await magentaNode('cpu', 8);
const wasm1 = await magentaNode('wasm', 1);
const browser = await cantusChromium();

console.log(
  `Continue a melody by ${STEPS} steps with folk-rnn-2x256 (2x256 LSTM); median of ${RUNS} runs after a warm-up.`,
);
console.log(`${''.padEnd(52)} ${'1 variation'.padStart(12)} ${'8 variations'.padStart(13)}`);
console.log(
  `${'Cantus engine, Node (tfjs wasm, batched)'.padEnd(52)} ${fmt(ours1).padStart(12)} ${fmt(ours8).padStart(13)}`,
);
if (typeof browser === 'string') console.log(`${'Cantus engine, Chromium worker'.padEnd(52)} ${browser}`);
else {
  console.log(
    `${'Cantus engine, Chromium worker (as the app runs it)'.padEnd(52)} ${fmt(browser.one).padStart(12)} ${fmt(browser.eight).padStart(13)}`,
  );
  console.log(
    `${'@magenta/music default path, Chromium (tfjs cpu)'.padEnd(52)} ${fmt(browser.magentaOne).padStart(12)} ${fmt(browser.magentaEight).padStart(13)}`,
  );
}
console.log(
  `${'@magenta/music default path, Node (tfjs cpu)'.padEnd(52)} ${fmt(cpu1).padStart(12)} ${fmt(cpu8).padStart(13)}`,
);
console.log(`${'@magenta/music MusicRNN on tfjs wasm, Node'.padEnd(52)} ${fmt(wasm1).padStart(12)}`);
console.log(
  `Speed-up over the default path, Node: ${(cpu1 / ours1).toFixed(1)}x (1 variation), ${(cpu8 / ours8).toFixed(1)}x (8 variations).`,
);
if (typeof browser !== 'string')
  console.log(
    `Speed-up over the default path, Chromium: ${(browser.magentaOne / browser.one).toFixed(1)}x (1 variation), ${(browser.magentaEight / browser.eight).toFixed(1)}x (8 variations).`,
  );
console.log('Target: a 256-step continuation under 150 ms median, at least 3x faster than the default path.');
process.exit(0);
