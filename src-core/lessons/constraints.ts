/**
 * The conditions a `generate` melody source may ask for, checked on a finished melody.
 * The lesson engine generates, checks, and generates again until they are met.
 */
import type { Analysis } from '../analysis/analyze.ts';
import { tonicPitchClass } from '../music/key.ts';
import { stepsPerBar, type Melody } from '../music/melody.ts';
import type { ConstraintName } from './schema.ts';

/** The notes of one bar, relative to its start, as comparable text ("" for an empty bar). */
function barContent(melody: Melody, bar: number): string {
  const size = stepsPerBar(melody.meter);
  const from = bar * size;
  return melody.notes
    .filter((n) => n.start >= from && n.start < from + size)
    .map((n) => `${n.pitch}@${n.start - from}-${n.end - from}`)
    .join(' ');
}

/** True when two consecutive bars with notes come back, note for note, later on. */
export function hasTwoBarRepeat(melody: Melody, analysis: Analysis): boolean {
  const bars = Array.from({ length: analysis.bars }, (_, b) => barContent(melody, b));
  for (let a = 0; a + 1 < bars.length; a++) {
    if (bars[a] === '' || bars[a + 1] === '') continue;
    for (let b = a + 2; b + 1 < bars.length; b++)
      if (bars[b] === bars[a] && bars[b + 1] === bars[a + 1]) return true;
  }
  return false;
}

/** True when every move is a repeated note, a second or a third. */
export function hasOnlyStepsAndThirds(analysis: Analysis): boolean {
  return analysis.intervals.every((i) => i.number <= 3);
}

/** True when the last note is the tonic of the key the analysis reads. */
export function endsOnTonic(analysis: Analysis): boolean {
  const last = analysis.notes[analysis.notes.length - 1];
  return last !== undefined && ((last.pitch % 12) + 12) % 12 === tonicPitchClass(analysis.key);
}

/** Which of `constraints` the melody fails; empty when it meets them all. */
export function meetsConstraints(
  melody: Melody,
  analysis: Analysis,
  constraints: readonly ConstraintName[],
): { readonly ok: boolean; readonly failed: readonly ConstraintName[] } {
  const failed = constraints.filter((c) => {
    switch (c) {
      case 'two-bar-repeat':
        return !hasTwoBarRepeat(melody, analysis);
      case 'steps-and-thirds-only':
        return !hasOnlyStepsAndThirds(analysis);
      case 'ends-on-tonic':
        return !endsOnTonic(analysis);
    }
  });
  return { ok: failed.length === 0, failed };
}
