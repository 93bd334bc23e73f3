/** Small helpers for the analysis tests. */
import { Note as TonalNote } from 'tonal';
import type { SpelledPitch } from '../../../src-core/score/types.ts';

/** A written pitch from its name. @example written('F#4') // => { letter: 'F', alter: 1, octave: 4 } */
export function written(name: string): SpelledPitch {
  const n = TonalNote.get(name);
  if (n.empty || n.oct === undefined) throw new Error(`Not a pitch name: ${name}`);
  return { letter: n.letter as SpelledPitch['letter'], alter: n.alt, octave: n.oct };
}
