/**
 * Putting notes on the 16th-note grid and reducing them to one line. MIDI import and the
 * NoteSequence adapter both use these, so every way into Cantus follows the same rules.
 */
import { STEPS_PER_QUARTER, type MidiPitch, type Note, type Steps } from '../music/melody.ts';

/** A note timed in quarter notes (any real number), before it is placed on the grid. */
export interface TimedNote {
  readonly pitch: MidiPitch;
  readonly startQuarters: number;
  readonly endQuarters: number;
  readonly velocity: number;
}

/** The nearest step to a time in quarter notes (halves round up). */
export function quartersToStep(quarters: number): Steps {
  // Rounding away float noise first keeps 2.9999999999 and 3.0000000001 on step 3.
  return Math.round(Number((quarters * STEPS_PER_QUARTER).toFixed(6)));
}

/** Velocity clamped to 1-127; missing or zero becomes `fallback`. */
export function clampVelocity(velocity: number | null | undefined, fallback: number): number {
  if (velocity === null || velocity === undefined || !Number.isFinite(velocity) || velocity <= 0)
    return fallback;
  return Math.min(127, Math.max(1, Math.round(velocity)));
}

/**
 * Places a note on the grid: onset and offset each round to the nearest step, and a note
 * that would round to nothing keeps one step.
 */
export function quantizeNote(note: TimedNote): Note {
  const start = Math.max(0, quartersToStep(note.startQuarters));
  const end = Math.max(start + 1, quartersToStep(note.endQuarters));
  return { pitch: note.pitch, start, end, velocity: note.velocity };
}

/**
 * Reduces notes on the grid to a monophonic line, as Magenta's melody extraction does:
 * of the notes that start on the same step only the highest is kept, and each kept note is
 * cut short where the next kept note starts. A note is never resumed after being cut, so a
 * long low note under a moving tune leaves a rest after the tune's last note, not a tail.
 * The result is sorted and satisfies `isMonophonic`.
 */
export function reduceToMonophony(notes: readonly Note[]): Note[] {
  const sorted = notes
    .filter((n) => n.end > n.start)
    .sort((a, b) => a.start - b.start || b.pitch - a.pitch || b.end - a.end);
  const line: Note[] = [];
  for (const note of sorted) {
    const previous = line[line.length - 1];
    if (previous && previous.start === note.start) continue; // a lower (or equal) note at the same onset
    if (previous && previous.end > note.start) {
      line[line.length - 1] = { ...previous, end: note.start };
    }
    line.push(note);
  }
  return line;
}
