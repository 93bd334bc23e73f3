/**
 * Key changes inside a melody: the stretches of bars that sit in another key than the whole
 * tune (a B strain in the dominant, a turn to the relative minor), found from the notes.
 *
 * Each bar is scored against every candidate key by how likely its notes are in that key: the
 * sum, over the notes, of the log of the key's profile (key-finding.ts) read as probabilities,
 * each note counting for the quarter notes it sounds in the bar. Candidates are the tune's own key and the
 * major and minor keys whose signatures are at most two sharps or flats from its signature. The
 * reading of the whole tune is then the path through the bars that gains most from these
 * scores, where staying in the tune's key earns `homeBonus` a bar and every change of key costs
 * `changeCost` (the Viterbi algorithm, as in hidden Markov models of harmony such as Temperley's
 * "Music and Probability", 2007). A region shorter than `minRegionBars` goes back to its
 * neighbours' key: a passing chord or a sequence step is not a change of key.
 *
 * The constants were chosen on the train side of folk-pd's split against the K: fields inside
 * the ABC tunes, as the most changes found with at most 2% of the tunes that keep their key
 * given a change (`npm run eval:analysis -- --tune-regions`): a change Cantus names should be
 * there, since a student is taught from it.
 */
import { findKey, modeProfile, type KeySource } from './key-finding.ts';
import { keyFifths, keyFromPitchClass, normalizeKey, sameKey, tonicPitchClass } from './key.ts';
import { barGrid, type BarGrid } from './bars.ts';
import { stepsPerBar, type Key, type Melody, type Note } from './melody.ts';

/** Bars (0-based, inclusive) read in one key. */
export interface KeyRegion {
  readonly firstBar: number;
  readonly lastBar: number;
  readonly key: Key;
}

export interface KeyRegionWeights {
  readonly changeCost: number;
  readonly homeBonus: number;
  readonly minRegionBars: number;
}

export const KEY_REGION_WEIGHTS: KeyRegionWeights = { changeCost: 12, homeBonus: 0, minRegionBars: 8 };

/**
 * The key regions of a melody in `home` (its key as a whole), in order, covering every bar from
 * the first note's to the last note's end; one region when the key never changes, none without
 * notes. The first region is always in `home`.
 */
export function findKeyRegions(
  notes: readonly Note[],
  grid: BarGrid,
  home: Key,
  weights: KeyRegionWeights = KEY_REGION_WEIGHTS,
): KeyRegion[] {
  if (notes.length === 0) return [];
  const lastEnd = notes.reduce((m, n) => Math.max(m, n.end), 0);
  const bars = Math.max(1, grid.barAt(lastEnd - 1) + 1);
  const firstBar = Math.min(bars - 1, grid.barAt(notes[0]!.start));
  const perBar = Array.from({ length: bars }, () => new Array<number>(12).fill(0));
  for (const n of notes) {
    // A note counts in every bar it sounds in, for the part it sounds there.
    for (let b = grid.barAt(n.start); b < bars && grid.bars[b]!.start < n.end; b++) {
      const bar = grid.bars[b]!;
      const from = Math.max(n.start, bar.start);
      const to = Math.min(n.end, bar.start + bar.length);
      const pc = ((n.pitch % 12) + 12) % 12;
      perBar[b]![pc] = perBar[b]![pc]! + Math.max(0, to - from);
    }
  }
  const candidates = regionCandidates(home);
  // Each key's profile as a probability for each pitch class (Aarden-Essen's are frequencies).
  const logProbabilities = candidates.map((k) => {
    const p = modeProfile(k.mode);
    const total = p.reduce((a, b) => a + b, 0);
    const t = tonicPitchClass(k);
    return p.map((_, pc) => Math.log(p[(pc - t + 12) % 12]! / total));
  });
  // How likely each bar's notes are in each key, a quarter note counting once.
  const emissions = perBar
    .slice(firstBar)
    .map((durations) =>
      logProbabilities.map(
        (lp, k) =>
          durations.reduce((sum, d, pc) => sum + (d / 4) * lp[pc]!, 0) + (k === 0 ? weights.homeBonus : 0),
      ),
    );
  const path = viterbi(emissions, weights.changeCost);
  return mergeShort(toRegions(path, candidates), weights.minRegionBars).map((r) => ({
    ...r,
    firstBar: r.firstBar + firstBar,
    lastBar: r.lastBar + firstBar,
  }));
}

/** The home key first, then major and minor keys within two fifths of its signature. */
function regionCandidates(home: Key): Key[] {
  const fifths = keyFifths(normalizeKey(home));
  const out: Key[] = [home];
  for (let f = fifths - 2; f <= fifths + 2; f++) {
    const majorPc = (((7 * f) % 12) + 12) % 12;
    for (const k of [keyFromPitchClass(majorPc, 'major'), keyFromPitchClass(majorPc + 9, 'minor')]) {
      if (!sameKey(k, home)) out.push(k);
    }
  }
  return out;
}

/** The best path of candidate indices through the bars from the home key (index 0): emissions summed, `cost` per change. */
function viterbi(emissions: readonly (readonly number[])[], cost: number): number[] {
  const k = emissions[0]!.length;
  // The melody starts in its home key (index 0).
  let score = emissions[0]!.map((e, j) => (j === 0 ? e : -Infinity));
  const back: number[][] = [];
  for (let b = 1; b < emissions.length; b++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (score[j]! > score[best]!) best = j;
    const from: number[] = [];
    const next = emissions[b]!.map((e, j) => {
      const stay = score[j]!;
      const move = score[best]! - cost;
      from.push(stay >= move ? j : best);
      return e + Math.max(stay, move);
    });
    back.push(from);
    score = next;
  }
  let end = 0;
  for (let j = 1; j < k; j++) if (score[j]! > score[end]!) end = j;
  const path = [end];
  for (let b = back.length - 1; b >= 0; b--) path.unshift(back[b]![path[0]!]!);
  return path;
}

function toRegions(path: readonly number[], keys: readonly Key[]): KeyRegion[] {
  const regions: KeyRegion[] = [];
  path.forEach((k, bar) => {
    const last = regions[regions.length - 1];
    if (last && last.key === keys[k]) regions[regions.length - 1] = { ...last, lastBar: bar };
    else regions.push({ firstBar: bar, lastBar: bar, key: keys[k]! });
  });
  return regions;
}

/** Regions shorter than `min` bars join the region before them; a short first (home) region takes in the next. */
function mergeShort(regions: readonly KeyRegion[], min: number): KeyRegion[] {
  const out: KeyRegion[] = [];
  for (const r of regions) {
    const last = out[out.length - 1];
    if (last && r.lastBar - r.firstBar + 1 < min) out[out.length - 1] = { ...last, lastBar: r.lastBar };
    else if (last && sameKey(last.key, r.key)) out[out.length - 1] = { ...last, lastBar: r.lastBar };
    else out.push(r);
  }
  // A home stretch too short to be heard as home (a pickup, an opening chord) is no change: the
  // next region is read in the home key too.
  if (out.length > 1 && out[0]!.lastBar - out[0]!.firstBar + 1 < min) {
    const [first, second, ...rest] = out;
    return mergeShort([{ ...first!, lastBar: second!.lastBar }, ...rest], min);
  }
  return out;
}

/**
 * The key regions a melody is written and analysed in, given how its key was read: one region
 * for the whole melody when the key was given (read it in that key throughout), else those its
 * file declares (`declaredRegions`), else those `findKeyRegions` finds around the key read. Shared by the analysis and the score.
 */
export function melodyKeyRegions(
  melody: Melody,
  reading: { readonly key: Key; readonly source: KeySource },
  grid: BarGrid = barGrid(melody),
): KeyRegion[] {
  if (reading.source === 'given' || melody.notes.length === 0) {
    const lastEnd = melody.notes.reduce((m, n) => Math.max(m, n.end), 0);
    const firstBar = melody.notes.length > 0 ? grid.barAt(melody.notes[0]!.start) : 0;
    return [{ firstBar, lastBar: Math.max(firstBar, grid.barAt(lastEnd - 1)), key: reading.key }];
  }
  if (melody.keyChanges && melody.keyChanges.length > 0) return declaredRegions(melody, reading.key, grid);
  return findKeyRegions(melody.notes, grid, reading.key).map((r, i) =>
    i === 0 && sameKey(r.key, reading.key) ? { ...r, key: reading.key } : r,
  );
}

/**
 * The regions a file's key signatures declare: a new region at the bar of each change, its key
 * the declared signature read in the mode its own notes are in (as for the whole melody,
 * key-finding.ts), the first region in the key read for the melody.
 */
function declaredRegions(melody: Melody, home: Key, grid: BarGrid): KeyRegion[] {
  const lastEnd = melody.notes.reduce((m, n) => Math.max(m, n.end), 0);
  const firstBar = grid.barAt(melody.notes[0]!.start);
  const lastBar = Math.max(firstBar, grid.barAt(lastEnd - 1));
  const barSteps = stepsPerBar(melody.meter);
  const regions: KeyRegion[] = [{ firstBar, lastBar, key: home }];
  const changes = melody.keyChanges ?? [];
  changes.forEach((change, i) => {
    const bar = grid.barAt(change.at);
    const last = regions.at(-1)!;
    if (bar <= last.firstBar || bar > lastBar) return;
    const until = changes[i + 1]?.at ?? Infinity;
    const notes = melody.notes.filter((n) => n.start >= change.at && n.start < until);
    const key = normalizeKey(findKey(notes, barSteps, change.key).key);
    regions[regions.length - 1] = { ...last, lastBar: bar - 1 };
    regions.push({ firstBar: bar, lastBar, key });
  });
  return regions;
}

/** The region `bar` lies in (a bar past the last region is in the last one); undefined for none. */
export function regionAtBar<R extends { readonly lastBar: number }>(
  regions: readonly R[],
  bar: number,
): R | undefined {
  return regions.find((r) => bar <= r.lastBar) ?? regions[regions.length - 1];
}
