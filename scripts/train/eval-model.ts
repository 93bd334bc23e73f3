/**
 * `npm run eval:model -- [--model DIR] [--tunes 200] [--seed 1] [--temperature 1.0] [--write]`: measures the
 * structure a model writes beside the real tunes (scripts/train/structure.ts) and prints the
 * table; with --write, puts it into the model folder's MODEL_CARD.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL_DIR } from '../../src-engine/node-model.ts';
import {
  evalSplitScore,
  measureModelStructure,
  structureMarkdown,
  withStructureSection,
} from './structure.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    corpus: { type: 'string' },
    tunes: { type: 'string' },
    seed: { type: 'string' },
    temperature: { type: 'string' },
    write: { type: 'boolean', default: false },
  },
  strict: true,
});
const modelDir = resolve(values.model ?? DEFAULT_MODEL_DIR);
const corpus = resolve(values.corpus ?? join(repo, '..', 'shared', 'datasets', 'folk-pd'));
if (!existsSync(join(corpus, 'midi'))) {
  console.error(`The corpus is not at ${corpus}; give it with --corpus DIR.`);
  process.exit(1);
}
try {
  const started = performance.now();
  const report = await measureModelStructure(modelDir, corpus, {
    tunes: values.tunes ? Number(values.tunes) : 200,
    seed: values.seed ? Number(values.seed) : 1,
    temperature: values.temperature ? Number(values.temperature) : 1,
    onProgress: (done, total) => {
      if (done % 20 === 0 || done === total) process.stderr.write(`  ${done}/${total} tunes\n`);
    },
  });
  const body = structureMarkdown(report, basename(modelDir));
  console.log(body);
  const split = await evalSplitScore(modelDir, corpus);
  console.log(
    split
      ? `Eval split (as in training): ${split.natsPerStep.toFixed(4)} nats per step, top-1 accuracy ${(100 * split.accuracy).toFixed(1)}%, over ${split.steps.toLocaleString('en-US')} steps.`
      : 'Eval split: not computed for an attention model.',
  );
  console.log(`(${((performance.now() - started) / 1000).toFixed(0)} s)`);
  if (values.write) {
    const cardPath = join(modelDir, 'MODEL_CARD.md');
    writeFileSync(cardPath, withStructureSection(readFileSync(cardPath, 'utf8'), body));
    console.log(`wrote the table into ${cardPath}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
