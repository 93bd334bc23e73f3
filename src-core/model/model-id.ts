/**
 * The melody models Cantus ships, in resources/models/<id>/ (ids end up in saved files and lesson
 * packs: never change one once released), described in the plain words the window shows.
 */

export interface BuiltInModel {
  readonly id: string;
  /** Short name for a menu. */
  readonly name: string;
  /** What it does, for a teacher or student who has never heard of an LSTM. */
  readonly description: string;
}

export const BUILT_IN_MODELS: readonly BuiltInModel[] = [
  {
    id: 'folk-phrase-2x256',
    name: 'Folk tunes, phrase by phrase',
    description:
      'Remembers the last eight bars and where it is in the tune, so it brings bars and phrases back four and eight bars later, the way folk tunes repeat.',
  },
  {
    id: 'folk-lookback-2x256',
    name: 'Folk tunes, bar by bar',
    description:
      'Remembers the last two bars and where it is in the bar, so it repeats and varies bars the way folk tunes do.',
  },
  {
    id: 'folk-rnn-2x256',
    name: 'Folk tunes, note by note',
    description: 'Remembers the notes so far and writes one at a time; it seldom repeats a whole bar.',
  },
];

/** The built-in model magenta.js MusicRNN can run too (a basic one): benchmarks compare the two on it. */
export const BASIC_MODEL_ID = 'folk-rnn-2x256';

/** The model Cantus writes with unless told otherwise. */
export const DEFAULT_MODEL_ID = 'folk-phrase-2x256';

/** The built-in model of this id, or undefined. */
export function builtInModel(id: string): BuiltInModel | undefined {
  return BUILT_IN_MODELS.find((m) => m.id === id);
}
