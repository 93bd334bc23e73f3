/**
 * Turning a tune into training melodies the way Magenta's MelodyExtractor does for basic_rnn,
 * then moving each into the model's key and range.
 *
 * The rules (facts from magenta/pipelines/melody_pipelines.py, MelodyExtractor defaults
 * min_bars=7, max_steps=512, min_unique_pitches=5, gap_bars=1.0, and from note_seq's
 * melodies_lib.extract_melodies / Melody.from_quantized_sequence; rewritten here, not copied):
 * - The input is already one line: of notes starting together the highest is kept
 *   (`reduceToMonophony`, the same rule as ignore_polyphonic_notes=True).
 * - A melody starts at the beginning of the bar holding its first note, and ends at the end
 *   of its last note. It stops before a note that starts a whole bar or more
 *   (gap_bars x steps per bar) after the previous note ended: that note begins the search
 *   for the next melody, which starts at the first bar line at or after the previous melody's end.
 * - Melodies shorter than 7 bars are dropped.
 * - Melodies longer than 512 steps are truncated to 512 steps (Magenta passes max_steps as
 *   `max_steps_truncate`, so it truncates, it does not split or discard); a note sounding
 *   across the cut ends there.
 * - Melodies with fewer than 5 distinct pitch classes are dropped. Magenta's "unique pitches"
 *   counts the non-zero bins of `get_note_histogram`, which is a 12-bin pitch-class
 *   histogram, so C4 and C5 count once. We follow that.
 *
 * Transposition differs on purpose: Magenta's `squash` picks the major key whose scale holds
 * the most notes; Cantus uses its Krumhansl-Schmuckler `estimateKey`, then moves major keys to
 * C major and minor keys to A minor (same key signature), centres the melody's range on the
 * model's range by whole octaves, and folds any note still outside into it by octaves (as
 * Magenta's `transpose(min_note, max_note)` does).
 */
import { estimateKey, keyFromPitchClass, signatureHome, tonicPitchClass } from '../music/key.ts';
import { makeMelody, stepsPerBar, type Key, type Melody, type Note, type Steps } from '../music/melody.ts';
import { MODEL_PITCH_RANGE, type PitchRange } from './melody-events.ts';

export interface ExtractorOptions {
  /** Shortest melody kept, in bars. Magenta: 7. */
  readonly minBars: number;
  /** Longer melodies are truncated to this many steps. Magenta: 512. */
  readonly maxSteps: Steps;
  /** Fewest distinct pitch classes a kept melody has. Magenta: 5. */
  readonly minPitchClasses: number;
  /** A silence of this many bars (from a note's end to the next onset) splits melodies. Magenta: 1. */
  readonly gapBars: number;
}

export const MAGENTA_EXTRACTOR: ExtractorOptions = {
  minBars: 7,
  maxSteps: 512,
  minPitchClasses: 5,
  gapBars: 1,
};

/** What happened to the melodies found in one tune. */
export interface ExtractionStats {
  readonly found: number;
  readonly kept: number;
  readonly tooShort: number;
  readonly tooFewPitchClasses: number;
  readonly truncated: number;
}

export interface Extraction {
  /** Each melody starts at step 0 (its first bar line); meter, tempo and title come from the tune. */
  readonly melodies: readonly Melody[];
  readonly stats: ExtractionStats;
}

/**
 * The training melodies in a monophonic tune, by MelodyExtractor's rules (see the file comment).
 * A tune whose bar is not a whole number of steps gives none.
 */
export function extractTrainingMelodies(
  tune: Melody,
  options: ExtractorOptions = MAGENTA_EXTRACTOR,
): Extraction {
  const bar = stepsPerBar(tune.meter);
  const stats = { found: 0, kept: 0, tooShort: 0, tooFewPitchClasses: 0, truncated: 0 };
  const melodies: Melody[] = [];
  if (!Number.isInteger(bar) || bar <= 0) return { melodies, stats };
  const notes = [...tune.notes].sort((a, b) => a.start - b.start);
  const gap = options.gapBars * bar;

  let searchFrom = 0;
  let next = 0; // index of the first note not yet looked at
  for (;;) {
    while (next < notes.length && notes[next]!.start < searchFrom) next++;
    const first = notes[next];
    if (!first) break;
    const origin = first.start - ((first.start - searchFrom) % bar);
    const group: Note[] = [first];
    next++;
    while (next < notes.length) {
      const note = notes[next]!;
      if (note.start - group[group.length - 1]!.end >= gap) break;
      group.push(note);
      next++;
    }
    const end = group[group.length - 1]!.end;
    searchFrom = Math.ceil(end / bar) * bar; // the first bar line at or after `end`
    stats.found++;

    let length = end - origin;
    if (length < options.minBars * bar) {
      stats.tooShort++;
      continue;
    }
    let shifted = group.map((n) => ({ ...n, start: n.start - origin, end: n.end - origin }));
    if (length > options.maxSteps) {
      length = options.maxSteps;
      shifted = shifted
        .filter((n) => n.start < length)
        .map((n) => (n.end > length ? { ...n, end: length } : n));
      stats.truncated++;
    }
    if (new Set(shifted.map((n) => n.pitch % 12)).size < options.minPitchClasses) {
      stats.tooFewPitchClasses++;
      continue;
    }
    stats.kept++;
    melodies.push(
      makeMelody({
        notes: shifted,
        meter: tune.meter,
        tempo: tune.tempo,
        key: tune.key,
        length,
        ...(tune.title !== undefined ? { title: tune.title } : {}),
      }),
    );
  }
  return { melodies, stats };
}

/** A melody moved into the model's key and range, with what was done to it. */
export interface NormalizedMelody {
  readonly melody: Melody;
  /** The key it was in before transposing (given, or estimated). */
  readonly estimatedKey: Key;
  /** Semitones every note was moved by before folding. */
  readonly shift: number;
  /** Notes that still fell outside the range and were folded in by octaves. */
  readonly folded: number;
}

/**
 * Transposes a melody by its key (`knownKey`, or else the key estimated from its notes) to the
 * key signature without sharps or flats (C major, A minor, D Dorian ...), moves it by whole
 * octaves so the middle of its range sits nearest the middle of `range`, then folds any note
 * outside `range` into it by octaves.
 * @example normalizeTrainingMelody(makeMelody({ notes: parseNotes('D4 E4 F#4 G4 A4 B4 C#5 D5') })).shift // => -2
 */
export function normalizeTrainingMelody(
  melody: Melody,
  range: PitchRange = MODEL_PITCH_RANGE,
  knownKey?: Key,
): NormalizedMelody {
  const key = knownKey ?? estimateKey(melody.notes);
  // Pitch class of the signature's major tonic, which moves to C.
  const home = signatureHome(key);
  let shift = -home;
  if (shift < -6) shift += 12;
  if (melody.notes.length > 0) {
    const pitches = melody.notes.map((n) => n.pitch + shift);
    const centre = (Math.min(...pitches) + Math.max(...pitches)) / 2;
    const target = (range.minPitch + range.maxPitch) / 2;
    shift += 12 * Math.round((target - centre) / 12);
  }
  let folded = 0;
  const notes = melody.notes.map((n) => {
    const pitch = foldIntoRange(n.pitch + shift, range);
    if (pitch !== n.pitch + shift) folded++;
    return { ...n, pitch };
  });
  const newKey: Key = keyFromPitchClass(tonicPitchClass(key) - home, key.mode);
  return {
    melody: makeMelody({
      notes,
      meter: melody.meter,
      tempo: melody.tempo,
      key: newKey,
      length: melody.length,
      ...(melody.title !== undefined ? { title: melody.title } : {}),
    }),
    estimatedKey: key,
    shift,
    folded,
  };
}

/** The pitch moved by whole octaves into `range` (which must span at least an octave). */
export function foldIntoRange(pitch: number, range: PitchRange = MODEL_PITCH_RANGE): number {
  if (range.maxPitch - range.minPitch < 11) throw new RangeError('A range must span at least an octave');
  if (pitch < range.minPitch) return range.minPitch + ((((pitch - range.minPitch) % 12) + 12) % 12);
  if (pitch > range.maxPitch) return range.maxPitch - ((((range.maxPitch - pitch) % 12) + 12) % 12);
  return pitch;
}
