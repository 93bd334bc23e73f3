/**
 * Finding the key and mode of a melody from its notes, for analysis: with the key signature a
 * file declares (which of the keys sharing that signature the notes are in: C major, A minor,
 * D Dorian, G Mixolydian ...), or without one (any tonic, any mode).
 *
 * Each candidate key is scored by four kinds of evidence:
 * - Fit: the Pearson correlation between how long each pitch class sounds (notes on a bar's
 *   first beat counting `metric` times more) and a key profile rotated to the candidate's
 *   tonic. The profiles for major and minor are the Aarden-Essen profiles (B. Aarden, "Dynamic
 *   melodic expectancy", Ohio State University PhD dissertation, 2003: note frequencies in the
 *   Essen folksong collection, as tabulated in music21's key-finding module). A church mode's
 *   profile is the major or minor one with the degree the mode alters exchanged with its
 *   neighbour: Dorian is minor with the 6th degrees exchanged, Mixolydian major with the 7ths,
 *   Lydian major with the 4ths, Phrygian minor with the 2nds.
 * - The final note: folk tunes end on their tonic far more often than on anything else.
 * - The first note on a strong beat, and whether the last bar's notes outline the tonic triad.
 * - A favour for the key a file declares when it is minor or modal: a missing mode flag reads
 *   as major, so a major key declared says little, but a file flagged minor meant it.
 * - A prior for each mode: in folk music major is commonest, then minor, Dorian, Mixolydian;
 *   Phrygian, Lydian and Locrian tunes are rare, and Locrian is never chosen.
 *
 * The weights were chosen on the training side of folk-pd's train/eval split
 * (src-core/model/corpus-split.ts) against the keys the ABC transcribers wrote, and are measured
 * on its eval side by `npm run eval:analysis` (README: "How well Cantus reads keys").
 */
import { displayKeyName } from './describe.ts';
import {
  hasMajorThird,
  keyFifths,
  keysOfSignature,
  keyFromPitchClass,
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

/** How strongly each kind of evidence counts (see the header). */
export interface KeyFindingWeights {
  /** How many times more a note on a bar's first beat counts in the fit. */
  readonly metric: number;
  /** Added when the last note is the tonic. */
  readonly final: number;
  /** Added when the first note on a bar's first beat is the tonic. */
  readonly first: number;
  /** Times the share of the last bar's duration on the tonic triad. */
  readonly cadence: number;
  /** Added to the declared key itself when it is not major (see the header). */
  readonly declared: number;
  /** Added per mode; a mode left out is never chosen. */
  readonly prior: Readonly<Partial<Record<Mode, number>>>;
}

export const KEY_FINDING_WEIGHTS: KeyFindingWeights = {
  metric: 2,
  final: 0.4,
  first: 0.1,
  cadence: 0,
  declared: 0.3,
  prior: { major: 0, minor: -0.03, dorian: -0.05, mixolydian: 0, phrygian: -0.4, lydian: -0.4 },
};

/** What the notes say, gathered once and scored against every candidate. */
export interface KeyEvidence {
  /** Weighted duration of each pitch class (0 = C). */
  readonly durations: readonly number[];
  /** Pitch class of the last note, or null without notes. */
  readonly final: number | null;
  /** Pitch class of the first note starting on a bar's first beat (else the first note). */
  readonly first: number | null;
  /** Duration of each pitch class in the last bar that has a note. */
  readonly lastBar: readonly number[];
}

/** Gathers the evidence; `barSteps` is the length of a bar, `metric` as in the weights. */
export function keyEvidence(notes: readonly Note[], barSteps: Steps, metric: number): KeyEvidence {
  const durations = new Array<number>(12).fill(0);
  const lastBar = new Array<number>(12).fill(0);
  let first: number | null = null;
  const finalBar = notes.length > 0 ? Math.floor(notes[notes.length - 1]!.start / barSteps) : -1;
  for (const n of notes) {
    const pc = ((n.pitch % 12) + 12) % 12;
    const downbeat = n.start % barSteps === 0;
    const length = Math.max(0, n.end - n.start);
    durations[pc] = durations[pc]! + length * (downbeat ? metric : 1);
    if (downbeat && first === null) first = pc;
    if (Math.floor(n.start / barSteps) === finalBar) lastBar[pc] = lastBar[pc]! + length;
  }
  const last = notes[notes.length - 1];
  const firstNote = notes[0];
  return {
    durations,
    final: last ? ((last.pitch % 12) + 12) % 12 : null,
    first: first ?? (firstNote ? ((firstNote.pitch % 12) + 12) % 12 : null),
    lastBar,
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

/** Each mode's profile rotated to each tonic: index [mode][tonic][pitch class]. */
const ROTATED = new Map<Mode, number[][]>(
  MODES.map((m) => {
    const profile = modeProfile(m);
    return [m, Array.from({ length: 12 }, (_, t) => profile.map((_, pc) => profile[(pc - t + 12) % 12]!))];
  }),
);

function rotatedProfile(mode: Mode, tonic: number): readonly number[] {
  return ROTATED.get(mode)![tonic]!;
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
  weights: KeyFindingWeights = KEY_FINDING_WEIGHTS,
  declared: Key | null = null,
): ScoredKey[] {
  const declaredPc = declared ? tonicPitchClass(declared) : -1;
  const lastBarTotal = evidence.lastBar.reduce((a, b) => a + b, 0);
  const scored = candidates.flatMap((key, order) => {
    const prior = weights.prior[key.mode];
    if (prior === undefined) return [];
    const tonic = tonicPitchClass(key);
    let score = pearson(evidence.durations, rotatedProfile(key.mode, tonic)) + prior;
    if (evidence.final === tonic) score += weights.final;
    // A file flagged major may just lack the flag; one flagged minor (or a mode) meant it.
    if (declared && declared.mode !== 'major' && key.mode === declared.mode && tonic === declaredPc)
      score += weights.declared;
    if (evidence.first === tonic) score += weights.first;
    if (lastBarTotal > 0) {
      const third = (tonic + (hasMajorThird(key.mode) ? 4 : 3)) % 12;
      const triad = [tonic, third, (tonic + 7) % 12].reduce((s, pc) => s + evidence.lastBar[pc]!, 0);
      score += (weights.cadence * triad) / lastBarTotal;
    }
    return [{ key, score, order }];
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.map(({ key, score }) => ({ key, score }));
}

/** Every tonic in every mode, conventionally spelled: the candidates without a key signature. */
export const ALL_KEYS: readonly Key[] = MODES.flatMap((mode) =>
  Array.from({ length: 12 }, (_, pc) => keyFromPitchClass(pc, mode)),
);

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
 * flag), else among all keys. With no notes, the declared key or C major.
 * @example findKey(parseNotes('A3 C4 E4 A4 G#4 A4/4'), 16, { tonic: 'C', mode: 'major' }).key // => A minor
 */
export function findKey(
  notes: readonly Note[],
  barSteps: Steps,
  declared: Key | null,
  weights: KeyFindingWeights = KEY_FINDING_WEIGHTS,
): KeyReading {
  const candidates = declared ? keysOfSignature(keyFifths(normalizeKey(declared))) : ALL_KEYS;
  if (notes.length === 0) {
    return { key: declared ?? { tonic: 'C', mode: 'major' }, candidates: [] };
  }
  const scored = scoreKeys(keyEvidence(notes, barSteps, weights.metric), candidates, weights, declared);
  let key = scored[0]!.key;
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
