/**
 * A small seeded random number generator whose whole state is four numbers, so a training run
 * can save it in a checkpoint and carry on with exactly the same draws after a restart.
 *
 * The generator is SFC32 (Chris Doty-Humphrey's "small fast counting" generator from the
 * PractRand suite); seeds are spread into its state with SplitMix32 steps. Not for security.
 */

/** The generator's state: four unsigned 32-bit integers. */
export type RngState = readonly [number, number, number, number];

export interface Rng {
  /** A float in [0, 1), 32 bits of randomness. */
  next(): number;
  /** The current state, to save; `rngFromState` continues from it. */
  state(): RngState;
}

/** A generator seeded from any integer (negative and large seeds are fine). */
export function createRng(seed: number): Rng {
  let x = Math.trunc(seed) >>> 0;
  const split = (): number => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const rng = rngFromState([split(), split(), split(), split()]);
  // Warm up, so nearby seeds part ways before the first draw.
  for (let i = 0; i < 12; i++) rng.next();
  return rng;
}

/** A generator that continues from a saved state. */
export function rngFromState(saved: RngState): Rng {
  let [a, b, c, d] = saved.map((v) => v >>> 0) as [number, number, number, number];
  return {
    next() {
      const t = (((a + b) >>> 0) + d) >>> 0;
      d = (d + 1) >>> 0;
      a = (b ^ (b >>> 9)) >>> 0;
      b = (c + (c << 3)) >>> 0;
      c = ((c << 21) | (c >>> 11)) >>> 0;
      c = (c + t) >>> 0;
      return t / 4294967296;
    },
    state: () => [a, b, c, d] as const,
  };
}

/** A whole number in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng.next() * n);
}

/** A new array with the items in random order (Fisher-Yates). */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
