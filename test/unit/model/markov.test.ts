import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateMarkov, fitMarkov, markovDistribution } from '../../../src-core/model/markov.ts';

describe('an order-n Markov chain with Witten-Bell smoothing', () => {
  it('is add-one over the classes at order 0', () => {
    // Targets are events 1.. of each melody: here 1, 1, 2 (the first event is never predicted).
    const chain = fitMarkov([[0, 1, 1, 2]], 0, 3);
    expect([...markovDistribution(chain, [])]).toEqual([1 / 6, 3 / 6, 2 / 6]);
  });

  it('mixes a seen context with the lower order by its number of distinct followers', () => {
    // After 0 come 1 (twice) and 2 (once): c(0)=3, T(0)=2.
    const chain = fitMarkov([[0, 1, 0, 1, 0, 2]], 1, 3);
    const unigram = markovDistribution(chain, []);
    const p = markovDistribution(chain, [0]);
    expect(p[1]).toBeCloseTo((2 + 2 * unigram[1]!) / (3 + 2), 12);
    expect(p[0]).toBeCloseTo((0 + 2 * unigram[0]!) / (3 + 2), 12);
  });

  it('falls back to the lower order for an unseen context', () => {
    const chain = fitMarkov([[0, 1, 0, 1]], 2, 3);
    expect([...markovDistribution(chain, [2, 2])]).toEqual([...markovDistribution(chain, [])]);
  });

  it('uses only the last `order` events of the history', () => {
    const chain = fitMarkov([[0, 1, 2, 0, 1, 2, 1]], 1, 3);
    expect([...markovDistribution(chain, [2, 2, 0])]).toEqual([...markovDistribution(chain, [0])]);
  });

  it('gives a proper distribution for any history', () => {
    const melodies = fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 30 }), { maxLength: 6 });
    fc.assert(
      fc.property(melodies, fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 5 }), (ms, history) => {
        const p = markovDistribution(fitMarkov(ms, 3, 6), history);
        expect(p.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
        for (const x of p) expect(x).toBeGreaterThan(0);
      }),
    );
  });

  it('scores held-out melodies in nats per predicted step', () => {
    const chain = fitMarkov([[0, 1, 0, 1, 0, 1]], 1, 2);
    const score = evaluateMarkov(chain, [[0, 1, 0]]);
    const p1 = markovDistribution(chain, [0])[1]!;
    const p0 = markovDistribution(chain, [1])[0]!;
    expect(score.steps).toBe(2);
    expect(score.natsPerStep).toBeCloseTo(-(Math.log(p1) + Math.log(p0)) / 2, 12);
    expect(score.accuracy).toBe(1);
  });

  it('refuses events outside its classes', () => {
    expect(() => fitMarkov([[0, 3]], 1, 3)).toThrow(RangeError);
  });
});
