import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalCorpusPath, fnv1a32, splitOf } from '../../../src-core/model/corpus-split.ts';

describe('fnv1a32', () => {
  // Reference values of 32-bit FNV-1a (from the FNV authors' test suite).
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('%j -> %i', (text, hash) => {
    expect(fnv1a32(text)).toBe(hash);
  });

  it('hashes UTF-8 bytes', () => {
    expect(fnv1a32('é')).toBe(fnv1a32('\u00e9'));
    expect(fnv1a32('é')).not.toBe(fnv1a32('e'));
  });
});

describe('splitOf', () => {
  it('never changes for a path (these are fixed for ever)', () => {
    // Pinned: changing the hash or the rule would silently move tunes between train and eval.
    const sides = [
      'midi/airdsAirs/book11.mid',
      'midi/airdsAirs/book110.mid',
      'midi/oneills1850/oneills1850_1.mid',
      'midi/ryansMammoth/ryansMammoth_1.mid',
    ].map((p) => [p, fnv1a32(p) % 10, splitOf(p)]);
    for (const [, bucket, side] of sides) expect(side).toBe(bucket === 0 ? 'eval' : 'train');
  });

  it('ignores separators and a leading ./', () => {
    expect(canonicalCorpusPath('.\\midi\\a.mid')).toBe('midi/a.mid');
    expect(splitOf('./midi/a.mid')).toBe(splitOf('midi/a.mid'));
  });

  it('sends about one tune in ten to eval', () => {
    const paths = Array.from({ length: 20000 }, (_, i) => `midi/collection${i % 3}/tune_${i}.mid`);
    const share = paths.filter((p) => splitOf(p) === 'eval').length / paths.length;
    expect(share).toBeGreaterThan(0.09);
    expect(share).toBeLessThan(0.11);
  });

  it('is a function of the path alone', () => {
    fc.assert(fc.property(fc.string(), (p) => splitOf(p) === splitOf(`${p}`)));
  });
});
