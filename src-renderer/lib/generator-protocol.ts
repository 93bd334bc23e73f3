/** Messages between the window and the generation worker. */
import type { Melody } from '../../src-core/music/melody.ts';

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
    }
  | { readonly type: 'cancel'; readonly id: number }
  /** How expected each note of `melody` is to the model. */
  | { readonly type: 'score'; readonly id: number; readonly modelUrl: string; readonly melody: Melody };

export type FromGenerator =
  | { readonly type: 'loaded'; readonly id: number }
  | { readonly type: 'progress'; readonly id: number; readonly done: number; readonly total: number }
  | { readonly type: 'result'; readonly id: number; readonly melodies: readonly Melody[] }
  | { readonly type: 'error'; readonly id: number; readonly code: string; readonly message: string }
  /** For each note, the model's probability of it (0-1) given the notes before; null for the first. */
  | { readonly type: 'scored'; readonly id: number; readonly probabilities: readonly (number | null)[] };
