/**
 * An order-n Markov chain over melody events: the baseline the LSTM has to beat.
 *
 * Smoothing is interpolated Witten-Bell (I. H. Witten & T. C. Bell, "The zero-frequency
 * problem", IEEE Trans. Information Theory 37(4), 1991; as used for language models in
 * S. F. Chen & J. Goodman, "An empirical study of smoothing techniques for language
 * modeling", 1998). It has no parameter to tune:
 *   P_k(w | h) = (c(h, w) + T(h) * P_{k-1}(w | h')) / (c(h) + T(h))
 * where h' is h without its oldest event, c counts training occurrences and T(h) is the number
 * of distinct events seen after h; a context never seen falls back to P_{k-1}. The order-0
 * model is add-one (Laplace) over all classes, so no event ever gets probability 0.
 *
 * It is scored exactly like the LSTM: every event of a melody except the first is predicted
 * from the events before it (at most n of them; fewer at a melody's start), in nats per step.
 */

export interface MarkovChain {
  readonly order: number;
  readonly classes: number;
  /** counts[k][context * classes + event] for contexts of length k (context as a base-`classes` number). */
  readonly counts: readonly Uint32Array[];
  /** totals[k][context]: how often the context was followed by anything. */
  readonly totals: readonly Uint32Array[];
  /** types[k][context]: how many distinct events followed it. */
  readonly types: readonly Uint32Array[];
}

/** Counts every (context, event) pair of the training melodies, for contexts of 0 to `order` events. */
export function fitMarkov(
  melodies: readonly ArrayLike<number>[],
  order: number,
  classes: number,
): MarkovChain {
  if (!Number.isInteger(order) || order < 0 || classes ** (order + 1) > 2 ** 27) {
    throw new RangeError(`An order-${order} chain over ${classes} classes is too large to tabulate`);
  }
  const counts: Uint32Array[] = [];
  const totals: Uint32Array[] = [];
  const types: Uint32Array[] = [];
  for (let k = 0; k <= order; k++) {
    counts.push(new Uint32Array(classes ** (k + 1)));
    totals.push(new Uint32Array(classes ** k));
    types.push(new Uint32Array(classes ** k));
  }
  for (const events of melodies) {
    for (let t = 1; t < events.length; t++) {
      const event = events[t]!;
      checkEvent(event, classes);
      let context = 0;
      for (let k = 0; k <= order && k <= t; k++) {
        if (k > 0) context += events[t - k]! * classes ** (k - 1);
        const cell = context * classes + event;
        if (counts[k]![cell] === 0) types[k]![context]!++;
        counts[k]![cell]!++;
        totals[k]![context]!++;
      }
    }
  }
  return { order, classes, counts, totals, types };
}

/**
 * The smoothed distribution over the next event given the events so far (only the last
 * `order` of them matter). Sums to 1.
 */
export function markovDistribution(chain: MarkovChain, history: ArrayLike<number>): Float64Array {
  const { classes } = chain;
  const p = new Float64Array(classes);
  const unigramTotal = chain.totals[0]![0]!;
  for (let w = 0; w < classes; w++) p[w] = (chain.counts[0]![w]! + 1) / (unigramTotal + classes);
  const usable = Math.min(chain.order, history.length);
  let context = 0;
  for (let k = 1; k <= usable; k++) {
    const event = history[history.length - k]!;
    checkEvent(event, classes);
    context += event * classes ** (k - 1);
    const total = chain.totals[k]![context]!;
    if (total === 0) break; // unseen context: longer ones are unseen too
    const distinct = chain.types[k]![context]!;
    const base = context * classes;
    for (let w = 0; w < classes; w++) {
      p[w] = (chain.counts[k]![base + w]! + distinct * p[w]!) / (total + distinct);
    }
  }
  return p;
}

/** Cross-entropy of a model on melodies: mean nats per predicted step, and how often its top guess was right. */
export interface SequenceScore {
  readonly natsPerStep: number;
  readonly accuracy: number;
  /** Number of predicted steps (every event but each melody's first). */
  readonly steps: number;
}

/** Scores the chain on held-out melodies the same way the LSTM is scored. */
export function evaluateMarkov(chain: MarkovChain, melodies: readonly ArrayLike<number>[]): SequenceScore {
  let nats = 0;
  let correct = 0;
  let steps = 0;
  for (const events of melodies) {
    for (let t = 1; t < events.length; t++) {
      const history = Array.from(
        { length: Math.min(t, chain.order) },
        (_, k) => events[t - Math.min(t, chain.order) + k]!,
      );
      const p = markovDistribution(chain, history);
      const target = events[t]!;
      nats -= Math.log(p[target]!);
      let best = 0;
      for (let w = 1; w < p.length; w++) if (p[w]! > p[best]!) best = w;
      if (best === target) correct++;
      steps++;
    }
  }
  return { natsPerStep: steps ? nats / steps : 0, accuracy: steps ? correct / steps : 0, steps };
}

function checkEvent(event: number, classes: number): void {
  if (!Number.isInteger(event) || event < 0 || event >= classes) {
    throw new RangeError(`${event} is not an event of a ${classes}-class model`);
  }
}
