/** The keys that move through a list of things (notes on the score, lessons in a list). */
export type Move = number | 'first' | 'last';

/**
 * The move a key asks for: the arrow keys along `axis` step one back or on, Home and End go
 * to the ends; undefined for any other key.
 */
export function keyMove(key: string, axis: 'horizontal' | 'vertical'): Move | undefined {
  const back = axis === 'horizontal' ? 'ArrowLeft' : 'ArrowUp';
  const on = axis === 'horizontal' ? 'ArrowRight' : 'ArrowDown';
  if (key === back) return -1;
  if (key === on) return 1;
  if (key === 'Home') return 'first';
  if (key === 'End') return 'last';
  return undefined;
}

/** Where `move` lands from index `at` in a list of `length` items (clamped to the list). */
export function applyMove(at: number, move: Move, length: number): number {
  if (move === 'first') return 0;
  if (move === 'last') return length - 1;
  return Math.min(length - 1, Math.max(0, at + move));
}
