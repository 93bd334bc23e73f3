/**
 * Scoring the LSTM on whole melodies, the way MusicRNN runs it: zero initial state, every event
 * but the first predicted from the ones before it. Also the per-step probabilities the export
 * check compares with magenta.js.
 */
import type { SequenceScore } from '../../src-core/model/markov.ts';
import { forward, softmaxCrossEntropy, zeroState, type LstmParams } from './lstm.ts';
import type { Tf } from '../../src-engine/node-tf.ts';

/** Mean nats per predicted step and top-1 accuracy over `melodies`, batched by similar length. */
export function evaluateModel(
  tf: Tf,
  p: LstmParams,
  melodies: readonly ArrayLike<number>[],
  batchSize = 64,
): SequenceScore {
  const order = melodies
    .map((m, i) => ({ i, n: m.length }))
    .filter((x) => x.n >= 2)
    .sort((a, b) => b.n - a.n || a.i - b.i);
  let nats = 0;
  let correct = 0;
  let steps = 0;
  for (let from = 0; from < order.length; from += batchSize) {
    const group = order.slice(from, from + batchSize);
    const B = group.length;
    const T = group[0]!.n - 1;
    const inputs = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    const mask = new Float32Array(B * T);
    group.forEach(({ i }, b) => {
      const events = melodies[i]!;
      for (let t = 0; t + 1 < events.length; t++) {
        inputs[t * B + b] = events[t]!;
        targets[t * B + b] = events[t + 1]!;
        mask[t * B + b] = 1;
      }
    });
    const state = zeroState(tf, p.shape, B);
    const fwd = forward(tf, p, inputs, B, T, state, { keep: null, train: false });
    const ce = softmaxCrossEntropy(tf, fwd.logits, targets, mask, false);
    tf.dispose([fwd.logits, ...fwd.state.c, ...fwd.state.h, ...state.c, ...state.h]);
    nats += ce.lossSum;
    correct += ce.correct;
    steps += ce.count;
  }
  return { natsPerStep: steps ? nats / steps : 0, accuracy: steps ? correct / steps : 0, steps };
}

/**
 * The model's distribution over the next event after each event of `events` (from a zero
 * state): row t is P(event t+1 | events 0..t). `events.length` rows of `classes` values.
 */
export function nextEventProbabilities(tf: Tf, p: LstmParams, events: readonly number[]): Float32Array[] {
  const T = events.length;
  const state = zeroState(tf, p.shape, 1);
  const fwd = forward(tf, p, Int32Array.from(events), 1, T, state, { keep: null, train: false });
  const probs = tf.softmax(fwd.logits);
  const flat = probs.dataSync() as Float32Array;
  tf.dispose([probs, fwd.logits, ...fwd.state.c, ...fwd.state.h, ...state.c, ...state.h]);
  const C = p.shape.classes;
  return Array.from({ length: T }, (_, t) => flat.slice(t * C, (t + 1) * C));
}
