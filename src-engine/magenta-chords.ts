/**
 * Chord-conditioned melody models (Magenta's improv_rnn `chord_pitches_improv`) run through
 * @magenta/music's MusicRNN, which Cantus's own engine does not replace for them: the one file
 * that knows how MusicRNN continues a melody over chords. The command line and the generation
 * worker hand it MusicRNN from the bundle that suits them (magenta-chords-node.ts,
 * magenta-chords-browser.ts); the chords, the primer's octave and putting the answer back after
 * the primer are the pure core's (src-core/model/chord-progression.ts).
 *
 * Not seeded: MusicRNN samples with tfjs's own random numbers (tf.multinomial without a seed),
 * so with a chord model the same seed and settings may give different melodies, unlike Cantus's
 * own engine. The Generate panel and `cantus generate` say so.
 */
import {
  appendContinuation,
  chordsPerStep,
  prepareChordPrimer,
} from '../src-core/model/chord-progression.ts';
import { MAX_VARIATIONS, TEMPERATURE_RANGE } from '../src-core/model/generate.ts';
import type { LoadedCheckpoint } from '../src-core/model/load-checkpoint.ts';
import type { PitchRange } from '../src-core/model/melody-events.ts';
import {
  melodyToNoteSequence,
  noteSequenceToMelody,
  type NoteSequence,
} from '../src-core/model/note-sequence.ts';
import { stepsPerBar, type Melody, type Steps } from '../src-core/music/melody.ts';
import { fail, ok, type Result } from '../src-core/result.ts';

/** The part of magenta.js's MusicRNN used here (the same in its esm and Node bundles). */
export interface ChordRnn {
  initialize(): Promise<void>;
  dispose(): void;
  continueSequence(
    sequence: NoteSequence,
    steps: number,
    temperature?: number,
    chordProgression?: string[],
  ): Promise<NoteSequence>;
}
export type ChordRnnClass = new (checkpointUrl: string) => ChordRnn;

export interface ChordContinueOptions {
  /** Steps to add after the primer. */
  readonly steps: Steps;
  /** 0.1-2.0, as for Cantus's own models. */
  readonly temperature: number;
  /** 1-8 continuations, written one after another (MusicRNN continues one sequence at a time). */
  readonly variations: number;
  /** The progression, one chord a bar from the end of the primer (parseChords's output). */
  readonly chords: readonly string[];
  /** Called after each variation. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Checked between variations; when true, stops with a "cancelled" result. */
  readonly cancelled?: () => boolean;
}

/** A chord model ready to write. */
export interface ChordMelodyModel {
  readonly range: PitchRange;
  /**
   * Continues `primer` over the chords: `variations` melodies, each the primer followed by
   * `steps` new steps in the primer's own key and register (as continueMelody returns them).
   */
  continue(primer: Melody, options: ChordContinueOptions): Promise<Result<Melody[]>>;
  dispose(): void;
}

/** What MusicRNN says about a chord it cannot read, in words; null for any other failure. */
function chordMessage(err: unknown): string | null {
  const message = err instanceof Error ? err.message : '';
  const match = /^(?:Unrecognized chord symbol|Chord symbol has unknown root): (.*)$/.exec(message);
  return match
    ? `The model cannot read the chord "${match[1]}". Write chords such as C, Am, G7 or F#m, one a bar.`
    : null;
}

/**
 * Loads the chord model at `url` (a folder served over http(s) or the app's own protocol, whose
 * checkpoint `loadCheckpoint` has already read and reported as a chord model).
 */
export async function openChordModel(
  MusicRNN: ChordRnnClass,
  url: string,
  checkpoint: LoadedCheckpoint,
): Promise<Result<ChordMelodyModel>> {
  if (!checkpoint.chords) return fail('model/no-chords', 'This model does not write over chords.');
  const rnn = new MusicRNN(url.replace(/\/+$/, ''));
  try {
    await rnn.initialize();
  } catch {
    rnn.dispose();
    return fail(
      'model/failed',
      'The chord model could not be started by magenta.js: its files may be damaged.',
    );
  }
  const { range } = checkpoint;
  return ok({
    range,
    dispose: () => rnn.dispose(),
    async continue(primer, options) {
      const { steps, variations } = options;
      if (!Number.isInteger(steps) || steps < 1 || steps > 4096)
        return fail('generate/bad-length', 'Choose a length between 1 step and 256 bars.');
      if (!Number.isInteger(variations) || variations < 1 || variations > MAX_VARIATIONS)
        return fail('generate/bad-variations', `Choose between 1 and ${MAX_VARIATIONS} variations.`);
      if (options.chords.length === 0)
        return fail('generate/needs-chords', 'This model writes over chords: give the chords, one a bar.');
      const temperature = Math.min(
        TEMPERATURE_RANGE.max,
        Math.max(TEMPERATURE_RANGE.min, options.temperature),
      );
      const prepared = prepareChordPrimer(primer, range);
      const input = melodyToNoteSequence(prepared.melody);
      // One chord symbol per step, so MusicRNN (which spreads the list evenly over primer and
      // continuation) puts each chord exactly on its bar.
      const perStep = chordsPerStep(
        options.chords,
        prepared.melody.length,
        steps,
        stepsPerBar(prepared.melody.meter),
      );
      const melodies: Melody[] = [];
      for (let v = 0; v < variations; v++) {
        if (options.cancelled?.()) return fail('generate/cancelled', 'Generation was cancelled.');
        let written: NoteSequence;
        try {
          written = await rnn.continueSequence(structuredClone(input), steps, temperature, perStep);
        } catch (err) {
          const chord = chordMessage(err);
          return chord
            ? fail('chords/unknown', chord)
            : fail('generate/failed', 'The chord model could not continue the melody.');
        }
        const continuation = noteSequenceToMelody(written, { meter: prepared.melody.meter });
        melodies.push(appendContinuation(prepared.source, continuation, prepared.shift, steps));
        options.onProgress?.(v + 1, variations);
      }
      return ok(melodies);
    },
  });
}
