/** Messages between the window and its music worker (workers/music-worker.ts), matched by id. */
import type { Analysis } from '../../src-core/analysis/analyze.ts';
import type { OpenedFile } from '../../src-core/midi/open-file.ts';
import type { Melody } from '../../src-core/music/melody.ts';
import type { Score } from '../../src-core/score/types.ts';

export type ToMusic =
  | { readonly type: 'open'; readonly id: number; readonly bytes: Uint8Array }
  | { readonly type: 'analyse'; readonly id: number; readonly melody: Melody };

export type FromMusic =
  | {
      readonly type: 'opened';
      readonly id: number;
      readonly result:
        | { readonly ok: true; readonly file: OpenedFile; readonly score: Score }
        | { readonly ok: false; readonly message: string };
    }
  | { readonly type: 'analysed'; readonly id: number; readonly analysis: Analysis }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
