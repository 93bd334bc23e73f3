import { describe, expect, it } from 'vitest';
import { applyMove, keyMove } from '../../../src-renderer/lib/key-moves.ts';

describe('moving through a list by keys', () => {
  it('reads the arrows along the axis, Home and End, and nothing else', () => {
    expect(keyMove('ArrowRight', 'horizontal')).toBe(1);
    expect(keyMove('ArrowLeft', 'horizontal')).toBe(-1);
    expect(keyMove('ArrowDown', 'horizontal')).toBeUndefined();
    expect(keyMove('ArrowDown', 'vertical')).toBe(1);
    expect(keyMove('ArrowUp', 'vertical')).toBe(-1);
    expect(keyMove('Home', 'vertical')).toBe('first');
    expect(keyMove('End', 'horizontal')).toBe('last');
    expect(keyMove('a', 'vertical')).toBeUndefined();
  });
  it('lands inside the list', () => {
    expect(applyMove(0, -1, 5)).toBe(0);
    expect(applyMove(4, 1, 5)).toBe(4);
    expect(applyMove(2, 1, 5)).toBe(3);
    expect(applyMove(2, 'first', 5)).toBe(0);
    expect(applyMove(2, 'last', 5)).toBe(4);
  });
});
