/**
 * The fixed train/eval split of a corpus, decided tune by tune from the file's path alone, so
 * it never changes when files are added, removed or read in another order, and every melody
 * cut from one tune lands on the same side.
 *
 * The hash is 32-bit FNV-1a (Fowler, Noll, Vo; offset basis 2166136261, prime 16777619) over
 * the UTF-8 bytes of the path relative to the corpus root, with `/` separators.
 */

export type SplitName = 'train' | 'eval';

/** One tune in ten goes to eval. */
export const EVAL_BUCKETS = 10;

/**
 * 32-bit FNV-1a of the string's UTF-8 bytes, as an unsigned integer.
 * @example fnv1a32('a') // => 0xe40c292c
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A path relative to the corpus root in the form the split hashes: `/` separators, no leading `./` or `/`. */
export function canonicalCorpusPath(relativePath: string): string {
  return relativePath
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '');
}

/**
 * Which side of the split a tune is on.
 * @example splitOf('midi/oneills1850/oneills1850_1.mid') // 'train' or 'eval', the same on every machine
 */
export function splitOf(relativePath: string): SplitName {
  return fnv1a32(canonicalCorpusPath(relativePath)) % EVAL_BUCKETS === 0 ? 'eval' : 'train';
}
