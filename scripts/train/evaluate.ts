/**
 * Scoring the LSTM on whole melodies, the way MusicRNN runs it: zero initial state, every event
 * but the first predicted from the ones before it. Also the per-step probabilities the export
 * check compares with magenta.js.
 *
 * Scores are per event, whatever the encoding: for the lookback encoding an event's probability
 * sums its own class and the repeat classes that give it, so basic and lookback models are
 * compared on the same melodies by the same measure.
 */
import { eventProbabilities, sparseRows, type EventEncoding } from '../../src-core/model/event-encoding.ts';
import type { SequenceScore } from '../../src-core/model/markov.ts';
import type { TrainingSequence } from '../../src-core/model/training-windows.ts';
import { forward, zeroState, type LstmParams } from './lstm.ts';
import type { Tf } from '../../src-engine/node-tf.ts';

/** Mean nats per predicted event and top-1 accuracy over `melodies`, batched by similar length. */
export function evaluateModel(
  tf: Tf,
  p: LstmParams,
  encoding: EventEncoding,
  melodies: readonly TrainingSequence[],
  batchSize = 64,
): SequenceScore {
  const order = melodies
    .map((m, i) => ({ i, n: m.events.length }))
    .filter((x) => x.n >= 2)
    .sort((a, b) => b.n - a.n || a.i - b.i);
  let nats = 0;
  let correct = 0;
  let steps = 0;
  const classEvents = new Int32Array(encoding.classes);
  const byEvent = new Float64Array(encoding.events);
  for (let from = 0; from < order.length; from += batchSize) {
    const group = order.slice(from, from + batchSize);
    const B = group.length;
    const T = group[0]!.n - 1;
    const inputs = sparseRows(B * T, encoding.perRow);
    group.forEach(({ i }, b) => {
      const { events, bar } = melodies[i]!;
      for (let t = 0; t + 1 < events.length; t++) encoding.writeInput(events, t, bar, inputs, t * B + b);
    });
    const state = zeroState(tf, p.shape, B);
    const fwd = forward(tf, p, inputs, B, T, state, { keep: null, train: false });
    const probsT = tf.softmax(fwd.logits);
    const probs = probsT.dataSync() as Float32Array;
    tf.dispose([probsT, fwd.logits, ...fwd.state.c, ...fwd.state.h, ...state.c, ...state.h]);
    group.forEach(({ i }, b) => {
      const { events, bar } = melodies[i]!;
      for (let t = 0; t + 1 < events.length; t++) {
        encoding.classEvents(events, t + 1, bar, classEvents);
        eventProbabilities(probs, (t * B + b) * encoding.classes, classEvents, encoding.events, byEvent);
        const truth = events[t + 1]!;
        nats -= Math.log(Math.max(byEvent[truth]!, 1e-30));
        let best = 0;
        for (let e = 1; e < byEvent.length; e++) if (byEvent[e]! > byEvent[best]!) best = e;
        if (best === truth) correct++;
        steps++;
      }
    });
  }
  return { natsPerStep: steps ? nats / steps : 0, accuracy: steps ? correct / steps : 0, steps };
}

/**
 * The model's distribution over its classes after each event of `events` (from a zero state):
 * row t is P(class at t+1 | events 0..t). `events.length` rows of `classes` values.
 */
export function nextClassProbabilities(
  tf: Tf,
  p: LstmParams,
  encoding: EventEncoding,
  events: readonly number[],
  bar: number,
): Float32Array[] {
  const T = events.length;
  const inputs = sparseRows(T, encoding.perRow);
  for (let t = 0; t < T; t++) encoding.writeInput(events, t, bar, inputs, t);
  const state = zeroState(tf, p.shape, 1);
  const fwd = forward(tf, p, inputs, 1, T, state, { keep: null, train: false });
  const probs = tf.softmax(fwd.logits);
  const flat = probs.dataSync() as Float32Array;
  tf.dispose([probs, fwd.logits, ...fwd.state.c, ...fwd.state.h, ...state.c, ...state.h]);
  const C = p.shape.classes;
  return Array.from({ length: T }, (_, t) => flat.slice(t * C, (t + 1) * C));
}
