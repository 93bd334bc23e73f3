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
  | { readonly type: 'cancel'; readonly id: number };

export type FromGenerator =
  | { readonly type: 'loaded'; readonly id: number }
  | { readonly type: 'progress'; readonly id: number; readonly done: number; readonly total: number }
  | { readonly type: 'result'; readonly id: number; readonly melodies: readonly Melody[] }
  | { readonly type: 'error'; readonly id: number; readonly code: string; readonly message: string };
