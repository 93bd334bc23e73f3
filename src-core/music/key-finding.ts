/**
 * Finding the key and mode of a melody from its notes, for analysis: with the key signature a
 * file declares (which of the keys sharing that signature the notes are in: C major, A minor,
 * D Dorian, G Mixolydian ...), or without one (any tonic, any mode).
 *
 * Each candidate key gets a score that is a weighted sum of what the notes say, read from the
 * candidate's tonic (`keyFeatures`):
 * - how well the notes fit the mode's key profile: the Pearson correlation between how long
 *   each pitch class sounds (notes on a bar's first beat counting twice) and the profile
 *   rotated to the tonic. The profiles for major and minor are the Aarden-Essen profiles
 *   (B. Aarden, "Dynamic melodic expectancy", Ohio State University PhD dissertation, 2003:
 *   note frequencies in the Essen folksong collection, as tabulated in music21's key-finding
 *   module). A church mode's profile is the major or minor one with the degree the mode alters
 *   exchanged with its neighbour: Dorian is minor with the 6th degrees exchanged, Mixolydian
 *   major with the 7ths, Lydian major with the 4ths, Phrygian minor with the 2nds;
 * - the share of the tune's sounding time on each of the twelve degrees above the tonic, the
 *   same for notes that start a bar, and for the last bar;
 * - which degree the tune ends on, and which degree its first note on a bar's first beat is.
 *
 * The weights (key-model.ts) are learned, as a multinomial logistic regression over the
 * candidates, from the keys the ABC transcribers wrote on the train side of folk-pd's
 * train/eval split (src-core/model/corpus-split.ts), by `npm run fit:keys`; each mode's weights
 * are the sum of weights all modes share and the mode's own, so the rare modes (a handful of
 * Phrygian and Lydian tunes) lean on what the common ones teach. Locrian is never chosen.
 * A file's declared key gets a favour when it is minor or modal: a missing mode flag reads as
 * major, so a major key declared says little, but a file flagged minor meant it. Measured on
 * the eval side by `npm run eval:analysis` (README: "How well Cantus reads keys").
 */
import { displayKeyName } from './describe.ts';
import { KEY_MODEL } from './key-model.ts';
import {
  hasMajorThird,
  keyFifths,
  keysOfSignature,
  keyFromPitchClass,
  modeScale,
  normalizeKey,
  pearson,
  sameKey,
  tonicPitchClass,
} from './key.ts';
import { MODES, stepsPerBar, type Key, type Meter, type Mode, type Note, type Steps } from './melody.ts';

/** Aarden-Essen major-key profile, indexed by semitones above the tonic. */
export const AARDEN_MAJOR: readonly number[] = [
  17.7661, 0.145624, 14.9265, 0.160186, 19.8049, 11.3587, 0.291248, 22.062, 0.145624, 8.15494, 0.232998,
  4.95122,
];
/** Aarden-Essen minor-key profile, indexed by semitones above the tonic. */
export const AARDEN_MINOR: readonly number[] = [
  18.2648, 0.737619, 14.0499, 16.8599, 0.702494, 14.4362, 0.702494, 18.6161, 4.56621, 1.93186, 7.37619,
  1.75623,
];

/** The learned weights of the key scores (see the header). */
export interface KeyModel {
  /** Weights every mode shares, one per feature (KEY_FEATURE_COUNT). */
  readonly shared: readonly number[];
  /**
   * Each mode's own weights for the mode features (MODE_FEATURE_COUNT), added to the shared
   * ones, and its bias; a mode left out is never chosen.
   */
  readonly modes: Readonly<
    Partial<Record<Mode, { readonly weights: readonly number[]; readonly bias: number }>>
  >;
  /** Added to the declared key itself when it is not major (see the header). */
  readonly declared: number;
}

/** What the notes say, gathered once and scored against every candidate. */
export interface KeyEvidence {
  /** Share of the sounding time on each pitch class (0 = C); sums to 1. */
  readonly durations: readonly number[];
  /** The same for the notes that start on a bar's first beat. */
  readonly downbeats: readonly number[];
  /** The same for the last bar that has a note. */
  readonly lastBar: readonly number[];
  /** Pitch class of the last note, or null without notes. */
  readonly final: number | null;
  /** Pitch class of the first note starting on a bar's first beat (else the first note). */
  readonly first: number | null;
}

const pitchClass = (pitch: number): number => ((pitch % 12) + 12) % 12;

function shares(values: readonly number[]): number[] {
  const total = values.reduce((a, b) => a + b, 0);
  return values.map((v) => (total > 0 ? v / total : 0));
}

/** Gathers the evidence; `barSteps` is the length of a bar. */
export function keyEvidence(notes: readonly Note[], barSteps: Steps): KeyEvidence {
  const durations = new Array<number>(12).fill(0);
  const downbeats = new Array<number>(12).fill(0);
  const lastBar = new Array<number>(12).fill(0);
  let first: number | null = null;
  const finalBar = notes.length > 0 ? Math.floor(notes[notes.length - 1]!.start / barSteps) : -1;
  for (const n of notes) {
    const pc = pitchClass(n.pitch);
    const length = Math.max(0, n.end - n.start);
    durations[pc]! += length;
    if (n.start % barSteps === 0) {
      downbeats[pc]! += length;
      first ??= pc;
    }
    if (Math.floor(n.start / barSteps) === finalBar) lastBar[pc]! += length;
  }
  const last = notes[notes.length - 1];
  const firstNote = notes[0];
  return {
    durations: shares(durations),
    downbeats: shares(downbeats),
    lastBar: shares(lastBar),
    final: last ? pitchClass(last.pitch) : null,
    first: first ?? (firstNote ? pitchClass(firstNote.pitch) : null),
  };
}

/** A key's profile, indexed by semitones above its tonic. */
export function modeProfile(mode: Mode): number[] {
  const swap = (profile: readonly number[], a: number, b: number): number[] => {
    const p = [...profile];
    [p[a], p[b]] = [p[b]!, p[a]!];
    return p;
  };
  switch (mode) {
    case 'major':
      return [...AARDEN_MAJOR];
    case 'minor':
      return [...AARDEN_MINOR];
    case 'dorian':
      return swap(AARDEN_MINOR, 8, 9);
    case 'phrygian':
      return swap(AARDEN_MINOR, 1, 2);
    case 'mixolydian':
      return swap(AARDEN_MAJOR, 10, 11);
    case 'lydian':
      return swap(AARDEN_MAJOR, 5, 6);
    case 'locrian':
      return swap(swap(AARDEN_MINOR, 1, 2), 6, 7);
  }
}

const PROFILES = new Map<Mode, number[]>(MODES.map((m) => [m, modeProfile(m)]));

/** How many features read the twelve degrees above a tonic, the same for every mode. */
export const DEGREE_FEATURE_COUNT = 5 * 12;
/** How many features read the notes against a mode's scale and profile. */
export const MODE_FEATURE_COUNT = 9;
/** How many features `keyFeatures` gives. */
export const KEY_FEATURE_COUNT = DEGREE_FEATURE_COUNT + MODE_FEATURE_COUNT;

const SCALES = new Map<Mode, readonly number[]>(MODES.map((m) => [m, modeScale(m)]));

/**
 * What the notes say about one candidate key, read from its tonic. First the degree features,
 * twelve each (indexed by semitones above the tonic): the duration shares, the downbeat shares,
 * the last bar's shares, the final note (1 on its degree) and the first strong note (likewise).
 * Then the mode features: the fit to the mode's profile; the share of the time on the mode's
 * scale (in a mode with a minor third, its 7th raised to a leading note counts as in the scale,
 * as in harmonic minor); on
 * the mode's 2nd, 3rd, 4th, 6th and 7th (the degrees that tell the modes apart); and the shares
 * on the scale of the downbeats and of the last bar.
 */
export function keyFeatures(evidence: KeyEvidence, tonic: number, mode: Mode): Float64Array {
  const f = new Float64Array(KEY_FEATURE_COUNT);
  const fromTonic = (values: readonly number[], degree: number): number => values[(degree + tonic) % 12]!;
  for (let d = 0; d < 12; d++) {
    f[d] = fromTonic(evidence.durations, d);
    f[12 + d] = fromTonic(evidence.downbeats, d);
    f[24 + d] = fromTonic(evidence.lastBar, d);
  }
  if (evidence.final !== null) f[36 + pitchClass(evidence.final - tonic)] = 1;
  if (evidence.first !== null) f[48 + pitchClass(evidence.first - tonic)] = 1;
  const scale = SCALES.get(mode)!;
  // A minor-third mode may raise its 7th to lead to the tonic (harmonic minor): in its scale too.
  const leading = !hasMajorThird(mode) && !scale.includes(11);
  const onScale = (values: readonly number[]): number =>
    scale.reduce((sum, d) => sum + fromTonic(values, d), leading ? fromTonic(values, 11) : 0);
  const weighted = Array.from(
    { length: 12 },
    (_, d) => fromTonic(evidence.durations, d) + fromTonic(evidence.downbeats, d),
  );
  const m = DEGREE_FEATURE_COUNT;
  f[m] = pearson(weighted, PROFILES.get(mode)!);
  f[m + 1] = onScale(evidence.durations);
  // The scale's 2nd, 3rd, 4th, 6th and 7th: indices 1, 2, 3, 5, 6 of its seven notes.
  [1, 2, 3, 5, 6].forEach((i, k) => (f[m + 2 + k] = fromTonic(evidence.durations, scale[i]!)));
  f[m + 7] = onScale(evidence.downbeats);
  f[m + 8] = onScale(evidence.lastBar);
  return f;
}

/**
 * The rare modes learn only what sets them apart from the mode their profile comes from: a
 * Phrygian candidate adds the minor mode's own weights to its own, a Lydian one the major's
 * (folk-pd holds a handful of each, too few to learn a mode from).
 */
export const MODE_FAMILY: Readonly<Partial<Record<Mode, Mode>>> = { phrygian: 'minor', lydian: 'major' };

/** A candidate's score from its features under `model`, or null for a mode the model leaves out. */
export function modelScore(model: KeyModel, features: Float64Array, mode: Mode): number | null {
  const own = model.modes[mode];
  if (!own) return null;
  const family = MODE_FAMILY[mode] ? model.modes[MODE_FAMILY[mode]] : undefined;
  let score = own.bias;
  for (let j = 0; j < features.length; j++) score += model.shared[j]! * features[j]!;
  for (let k = 0; k < MODE_FEATURE_COUNT; k++) {
    score += (own.weights[k]! + (family?.weights[k] ?? 0)) * features[DEGREE_FEATURE_COUNT + k]!;
  }
  return score;
}

/** One candidate key and its score (higher is more likely; comparable only within one call). */
export interface ScoredKey {
  readonly key: Key;
  readonly score: number;
}

/** Scores each candidate, best first; ties keep the candidates' order. */
export function scoreKeys(
  evidence: KeyEvidence,
  candidates: readonly Key[],
  model: KeyModel = KEY_MODEL,
  declared: Key | null = null,
): ScoredKey[] {
  const declaredPc = declared ? tonicPitchClass(declared) : -1;
  const scored = candidates.flatMap((key, order) => {
    const tonic = tonicPitchClass(key);
    let score = modelScore(model, keyFeatures(evidence, tonic, key.mode), key.mode);
    if (score === null) return [];
    // A file flagged major may just lack the flag; one flagged minor (or a mode) meant it.
    if (declared && declared.mode !== 'major' && key.mode === declared.mode && tonic === declaredPc)
      score += model.declared;
    return [{ key, score, order }];
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.map(({ key, score }) => ({ key, score }));
}

/** Every tonic in every mode, conventionally spelled: the candidates without a key signature. */
export const ALL_KEYS: readonly Key[] = MODES.flatMap((mode) =>
  Array.from({ length: 12 }, (_, pc) => keyFromPitchClass(pc, mode)),
);

/** Below this many notes, a declared key is kept whatever the notes suggest. */
export const FEW_NOTES = 4;

/** How a melody's key was read. */
export interface KeyReading {
  /** The key chosen. */
  readonly key: Key;
  /** Candidates best first with their scores (the signature's keys, or all keys). */
  readonly candidates: readonly ScoredKey[];
}

/**
 * The key of a melody: among the keys of `declared`'s signature when a signature is declared
 * (the declared mode itself gets no favour, since files often carry a wrong or missing mode
 * flag), else among all keys. With no notes, the declared key or C major; with fewer than
 * FEW_NOTES notes the declared key stands (two or three notes cannot overrule a file).
 * @example findKey(parseNotes('A3 C4 E4 A4 G#4 A4/4'), 16, { tonic: 'C', mode: 'major' }).key // => A minor
 */
export function findKey(
  notes: readonly Note[],
  barSteps: Steps,
  declared: Key | null,
  model: KeyModel = KEY_MODEL,
): KeyReading {
  const candidates = declared ? keysOfSignature(keyFifths(normalizeKey(declared))) : ALL_KEYS;
  if (notes.length === 0) {
    return { key: declared ?? { tonic: 'C', mode: 'major' }, candidates: [] };
  }
  const scored = scoreKeys(keyEvidence(notes, barSteps), candidates, model, declared);
  let key = declared && notes.length < FEW_NOTES ? declared : scored[0]!.key;
  // Spell the chosen key as the declared one when they are the same key (a file's "A#" stays "A#").
  if (declared && sameKey(declared, key)) key = declared;
  return { key, candidates: scored };
}

/** Where the key a melody is read in came from. */
export type KeySource = 'given' | 'declared' | 'signature' | 'estimated';

/** The key a melody is read in, and why. */
export interface MelodyKeyReading extends KeyReading {
  /**
   * "given": asked for by the caller; "declared": the key the melody's file declares, which its
   * notes agree with; "signature": the file's key signature, in another of the keys it stands
   * for (a minor tune stored as its relative major); "estimated": from the notes alone.
   */
  readonly source: KeySource;
  /** The key the melody's file declared, or null. */
  readonly declared: Key | null;
}

/**
 * The one rule for which key a melody is read in, shared by the analysis and the score so interval
 * names always agree with the notes drawn: `given` when passed; else the declared signature read
 * in the key its notes are in (findKey); else the key found from the notes. Respelled when its
 * signature would need more than seven sharps or flats.
 */
export function readMelodyKey(
  whole: {
    readonly notes: readonly Note[];
    readonly key: Key | null;
    readonly meter: Meter;
    readonly keyChanges?: readonly { readonly at: Steps }[];
  },
  given?: Key,
): MelodyKeyReading {
  // Where the file declares a change of key, its first key is read from the notes before it.
  const change = whole.keyChanges?.[0]?.at;
  const before = change === undefined ? whole.notes : whole.notes.filter((n) => n.start < change);
  const melody = { ...whole, notes: before.length > 0 ? before : whole.notes };
  const barSteps = stepsPerBar(melody.meter);
  if (given) {
    const reading = findKey(melody.notes, barSteps, null);
    return {
      key: normalizeKey(given),
      candidates: reading.candidates,
      source: 'given',
      declared: melody.key,
    };
  }
  const reading = findKey(melody.notes, barSteps, melody.key);
  const declared = melody.key;
  const source: KeySource = !declared
    ? 'estimated'
    : sameKey(declared, reading.key)
      ? 'declared'
      : 'signature';
  return { ...reading, key: normalizeKey(reading.key), source, declared };
}

/**
 * Where the key came from, in plain words for a student or teacher; `holder` names what declared
 * it ("the file", "the melody").
 * @example keySourceWords({ source: 'signature', declared: { tonic: 'C', mode: 'major' } }) // => "the file's key signature is that of C major"
 */
export function keySourceWords(
  reading: Pick<MelodyKeyReading, 'source' | 'declared'>,
  holder = 'the file',
): string {
  switch (reading.source) {
    case 'given':
      return 'as asked';
    case 'declared':
      return `as ${holder} says`;
    case 'signature':
      return `${holder}'s key signature is that of ${displayKeyName(reading.declared!)}`;
    case 'estimated':
      return `found from the notes; ${holder} gives no key`;
  }
}

/**
 * The reading in plain words.
 * @example describeKeyReading(reading) // => "A minor; the file's key signature is that of C major"
 */
export function describeKeyReading(
  reading: Pick<MelodyKeyReading, 'key' | 'source' | 'declared'>,
  holder = 'the file',
): string {
  const words = keySourceWords(reading, holder);
  return `${displayKeyName(reading.key)}${reading.source === 'signature' || reading.source === 'estimated' ? '; ' : ', '}${words}`;
}
