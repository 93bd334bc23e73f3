/**
 * How the window is divided, remembered between runs: the share of the height the score takes
 * when a panel (Generate, Analyse, Lessons, the pack editor) is open below it. Kept in the
 * window's own storage until Cantus has a settings file; a missing, damaged or blocked value
 * gives the default.
 */
export const SCORE_SHARE = { min: 0.2, max: 0.8, initial: 0.45, step: 0.05 } as const;

const KEY = 'cantus.layout.scoreShare';

type Store = Pick<Storage, 'getItem' | 'setItem'>;

/** `share` kept within SCORE_SHARE's range. */
export function clampShare(share: number): number {
  if (!Number.isFinite(share)) return SCORE_SHARE.initial;
  return Math.min(SCORE_SHARE.max, Math.max(SCORE_SHARE.min, share));
}

export function loadScoreShare(store: Store | undefined = globalThis.localStorage): number {
  try {
    const text = store?.getItem(KEY);
    const value = text === null || text === undefined ? NaN : Number(text);
    return Number.isFinite(value) ? clampShare(value) : SCORE_SHARE.initial;
  } catch {
    return SCORE_SHARE.initial; // storage refused (a locked-down profile): the default
  }
}

export function saveScoreShare(share: number, store: Store | undefined = globalThis.localStorage): void {
  try {
    store?.setItem(KEY, String(clampShare(share)));
  } catch {
    // Not remembered this time; the window works the same.
  }
}
