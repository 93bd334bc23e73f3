/**
 * How the window is divided, remembered between runs: the share of the height the score takes
 * when a panel (Generate, Analyse, Lessons, the pack editor) is open below it. Kept in the
 * window's own storage until Cantus has a settings file; a missing, damaged or blocked value
 * gives the default. Until the user sets a share, a lesson question that draws its tunes in the
 * panel (comparing two variations) gets most of the height in a window of ordinary height: the
 * score above only repeats its first tune then.
 */
export const SCORE_SHARE = { min: 0.2, max: 0.8, initial: 0.45, step: 0.05 } as const;

/** The score's default share while the panel draws a lesson's tunes and the shared height is below `shortBelow`. */
export const TUNES_IN_PANEL_SHARE = { share: SCORE_SHARE.min, shortBelow: 800 } as const;

type Pixels = number;

const KEY = 'cantus.layout.scoreShare';

type Store = Pick<Storage, 'getItem' | 'setItem'>;

/** `share` kept within SCORE_SHARE's range. */
export function clampShare(share: number): number {
  if (!Number.isFinite(share)) return SCORE_SHARE.initial;
  return Math.min(SCORE_SHARE.max, Math.max(SCORE_SHARE.min, share));
}

/** The share the window remembers, else the default. */
export function loadScoreShare(store: Store | undefined = globalThis.localStorage): number {
  return loadRememberedShare(store) ?? SCORE_SHARE.initial;
}

/** The share the user set and the window remembers, or null when there is none to be had. */
export function loadRememberedShare(store: Store | undefined = globalThis.localStorage): number | null {
  try {
    const text = store?.getItem(KEY);
    const value = text === null || text === undefined ? NaN : Number(text);
    return Number.isFinite(value) ? clampShare(value) : null;
  } catch {
    return null; // storage refused (a locked-down profile)
  }
}

/**
 * The score's share: the one the user set, else the default for what the panel shows, where
 * `areaHeight` is the height the score and the panel share.
 */
export function scoreShareFor(remembered: number | null, tunesInPanel: boolean, areaHeight: Pixels): number {
  if (remembered !== null) return remembered;
  return tunesInPanel && areaHeight > 0 && areaHeight < TUNES_IN_PANEL_SHARE.shortBelow
    ? TUNES_IN_PANEL_SHARE.share
    : SCORE_SHARE.initial;
}

export function saveScoreShare(share: number, store: Store | undefined = globalThis.localStorage): void {
  try {
    store?.setItem(KEY, String(clampShare(share)));
  } catch {
    // Not remembered this time; the window works the same.
  }
}
