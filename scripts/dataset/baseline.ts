/**
 * Prints the training data's statistics and scores Markov chains of order 0-3 on the fixed
 * eval split, in nats per step (the order-3 chain is the baseline the LSTM must beat).
 *
 *   npx tsx scripts/dataset/baseline.ts [--corpus ../shared/datasets/folk-pd] [--json]
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { evaluateMarkov, fitMarkov } from '../../src-core/model/markov.ts';
import { EVENT_CLASSES } from '../../src-core/model/melody-events.ts';
import { loadDataset } from './corpus.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: { corpus: { type: 'string' }, json: { type: 'boolean', default: false } },
});
const corpus = resolve(values.corpus ?? join(repo, '..', 'shared', 'datasets', 'folk-pd'));

const data = loadDataset(corpus);
const train = data.train.map((m) => m.events);
const evalSet = data.eval.map((m) => m.events);
const scores = [0, 1, 2, 3].map((order) => ({
  order,
  ...evaluateMarkov(fitMarkov(train, order, EVENT_CLASSES), evalSet),
}));

if (values.json) {
  console.log(
    JSON.stringify({ corpus, fingerprint: data.fingerprint, stats: data.stats, markov: scores }, null, 2),
  );
} else {
  const s = data.stats;
  console.log(`corpus ${corpus}: ${s.files} files (${s.unreadable} unreadable)`);
  console.log(
    `melodies found ${s.melodiesFound}: ${s.tooShort} too short, ${s.tooFewPitchClasses} too few pitch classes, ${s.truncated} truncated to 512 steps; ${s.foldedNotes} notes folded into 48-83`,
  );
  console.log(
    `train: ${s.tunes.train} tunes, ${s.melodies.train} melodies, ${s.events.train} events; eval: ${s.tunes.eval} tunes, ${s.melodies.eval} melodies, ${s.events.eval} events; ${s.evalDuplicatesOfTrain} eval melodies also in train`,
  );
  console.log(`fingerprint ${data.fingerprint}`);
  for (const r of scores) {
    console.log(
      `Markov order ${r.order} (Witten-Bell): ${r.natsPerStep.toFixed(4)} nats/step, accuracy ${(100 * r.accuracy).toFixed(1)}% over ${r.steps} eval steps`,
    );
  }
}
