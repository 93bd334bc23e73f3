/**
 * Beam search, as Magenta's melody_rnn offers it (--beam_size, --branch_factor,
 * --steps_per_iteration): the continuation is written a few steps at a time; each of the
 * `size` sequences kept so far branches into `branchFactor` tries of the next
 * `stepsPerIteration` steps (sampled at the temperature), and the `size` tries with the highest
 * log-likelihood under the model go on. At the end the likeliest `variations` are returned,
 * likeliest first.
 *
 * One difference from Magenta: the first step of each branching picks distinct events for a
 * sequence's branches (sampled without replacement), so no branch is spent on a copy of
 * another, and with enough branches every next event is tried. The likelihood is the model's
 * own (temperature 1), summing every class that gives an event.
 */
import { sparseRows } from './event-encoding.ts';
import {
  logProbability,
  readPrimer,
  sampleEvent,
  type ContinueOptions,
  type StepModel,
  type WriteContext,
} from './generate.ts';
import type { MelodyEvent } from './melody-events.ts';
import { fail, ok, type Result } from '../result.ts';

export interface BeamOptions {
  /** How many sequences are kept between iterations (melody_rnn's beam_size). */
  readonly size: number;
  /** How many tries each kept sequence branches into (branch_factor). */
  readonly branchFactor: number;
  /** Steps written between pruning (steps_per_iteration). */
  readonly stepsPerIteration: number;
}

export const MAX_BEAM = 64;

interface Beam {
  readonly events: MelodyEvent[];
  score: number;
}

export async function beamSearch(
  model: StepModel,
  primerEvents: readonly MelodyEvent[],
  c: WriteContext & BeamOptions & { readonly options: ContinueOptions },
): Promise<Result<MelodyEvent[][]>> {
  const size = Math.max(c.size, c.variations);
  if (
    ![size, c.branchFactor, c.stepsPerIteration].every((n) => Number.isInteger(n) && n >= 1) ||
    size * c.branchFactor > MAX_BEAM
  )
    return fail(
      'generate/bad-beam',
      `Choose a beam of whole numbers, at least 1, with beam size x branch factor at most ${MAX_BEAM}.`,
    );
  const { encoding } = model;
  const { classes } = encoding;
  await readPrimer(model, primerEvents, 1, c.bar);
  let beams: Beam[] = [{ events: [...primerEvents], score: 0 }];
  for (let done = 0; done < c.steps;) {
    const n = Math.min(c.stepsPerIteration, c.steps - done);
    const parents = beams.flatMap((_, i) => Array.from({ length: c.branchFactor }, () => i));
    model.select(Int32Array.from(parents));
    const tries: Beam[] = parents.map((i) => ({ events: [...beams[i]!.events], score: beams[i]!.score }));
    const input = sparseRows(tries.length, encoding.perRow);
    for (let s = 0; s < n; s++) {
      if (c.options.cancelled?.()) return fail('generate/cancelled', 'Generation was cancelled.');
      const position = primerEvents.length + done + s;
      tries.forEach((t, r) => encoding.writeInput(t.events, position - 1, c.bar, input, r));
      const logits = await model.step(input);
      // Rows branching from the same sequence, for drawing distinct first events.
      const taken = new Map<number, Set<number>>();
      for (let r = 0; r < tries.length; r++) {
        const t = tries[r]!;
        const allowed = c.chooser.prepare(t.events, position);
        let mask = allowed;
        if (s === 0) {
          const used = taken.get(parents[r]!) ?? new Set<number>();
          taken.set(parents[r]!, used);
          if (used.size > 0) {
            mask = Uint8Array.from({ length: classes }, (_, k) =>
              (allowed ? allowed[k]! : 1) && !used.has(c.chooser.classEvents[k]!) ? 1 : 0,
            );
            if (!mask.includes(1)) mask = allowed; // every allowed event is taken: share one
          }
        }
        const chosen = sampleEvent(logits, r * classes, classes, c.temperature, c.rng, mask);
        if (chosen < 0) return c.conflict(position);
        const event = c.chooser.classEvents[chosen]!;
        if (s === 0) taken.get(parents[r]!)!.add(event);
        t.score += logProbability(logits, r * classes, c.chooser.classEvents, event);
        t.events.push(event);
      }
      c.options.onProgress?.(done + s + 1, c.steps);
    }
    done += n;
    // Keep the likeliest `size`; on equal scores the earlier try, so a seed always gives the same result.
    const order = tries.map((_, r) => r).sort((a, b) => tries[b]!.score - tries[a]!.score || a - b);
    const kept = order.slice(0, size);
    model.select(Int32Array.from(kept));
    beams = kept.map((r) => tries[r]!);
  }
  return ok(beams.slice(0, c.variations).map((b) => b.events));
}
