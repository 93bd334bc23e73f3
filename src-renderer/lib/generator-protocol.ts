/** Messages between the window and the generation worker. */
import type { BuiltLesson } from '../../src-core/lessons/build-lesson.ts';
import type { Lesson } from '../../src-core/lessons/schema.ts';
import type { Melody } from '../../src-core/music/melody.ts';
import type { BeamOptions } from '../../src-core/model/beam-search.ts';
import type { SteerConstraint } from '../../src-core/model/steering.ts';

export type ToGenerator =
  | {
      readonly type: 'generate';
      readonly id: number;
      readonly modelUrl: string;
      readonly primer: Melody;
      readonly steps: number;
      readonly temperature: number;
      readonly variations: number;
      readonly seed: number;
      readonly steer: readonly SteerConstraint[];
      readonly beam: BeamOptions | null;
      /** For a chord model: the chords, one a bar (parseChords's output); null for other models. */
      readonly chords?: readonly string[] | null;
    }
  | { readonly type: 'cancel'; readonly id: number }
  /** How expected each note of `melody` is to the model. */
  | { readonly type: 'score'; readonly id: number; readonly modelUrl: string; readonly melody: Melody }
  /** Builds a run of a lesson (melody, analysis, questions); the model loads only if it generates. */
  | {
      readonly type: 'lesson';
      readonly id: number;
      readonly modelUrl: string;
      readonly lesson: Lesson;
      readonly files: Readonly<Record<string, Uint8Array>>;
      readonly path: string;
      readonly seed: number;
    };

export type FromGenerator =
  | { readonly type: 'loaded'; readonly id: number }
  | { readonly type: 'progress'; readonly id: number; readonly done: number; readonly total: number }
  | { readonly type: 'result'; readonly id: number; readonly melodies: readonly Melody[] }
  | { readonly type: 'error'; readonly id: number; readonly code: string; readonly message: string }
  /** For each note, the model's probability of it (0-1) given the notes before; null for the first. */
  | { readonly type: 'scored'; readonly id: number; readonly probabilities: readonly (number | null)[] }
  | { readonly type: 'lesson'; readonly id: number; readonly built: BuiltLesson };
