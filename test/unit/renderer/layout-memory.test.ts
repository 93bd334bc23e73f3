import { describe, expect, it } from 'vitest';
import {
  clampShare,
  loadScoreShare,
  saveScoreShare,
  SCORE_SHARE,
} from '../../../src-renderer/lib/layout-memory.ts';

function store(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    map,
  };
}

describe('the remembered split between score and panel', () => {
  it('reads back what was saved, kept within its range', () => {
    const s = store();
    saveScoreShare(0.62, s);
    expect(loadScoreShare(s)).toBe(0.62);
    saveScoreShare(3, s);
    expect(loadScoreShare(s)).toBe(SCORE_SHARE.max);
    expect(clampShare(-1)).toBe(SCORE_SHARE.min);
  });

  it('falls back to the default for nothing saved, a damaged value or storage that refuses', () => {
    expect(loadScoreShare(store())).toBe(SCORE_SHARE.initial);
    expect(loadScoreShare(store({ 'cantus.layout.scoreShare': 'lots' }))).toBe(SCORE_SHARE.initial);
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(loadScoreShare(refusing)).toBe(SCORE_SHARE.initial);
    expect(() => saveScoreShare(0.5, refusing)).not.toThrow();
    expect(loadScoreShare(undefined)).toBe(SCORE_SHARE.initial);
  });
});
