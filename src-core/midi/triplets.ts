/**
 * Finding the triplets a MIDI part plays (music/tuplets.ts says how Cantus keeps them): three
 * notes of the part's top line whose starts lie on the thirds of a quarter note (eighth triplets)
 * or of a half note (quarter triplets) that starts on a beat of a simple meter, with nothing else
 * starting inside that span, the note before ended by its start, and the last ended by its end.
 * Starts count as on a third when within a 128th note of it, a program's or player's timing.
 */
import { barGrid } from '../music/bars.ts';
import type { Melody } from '../music/melody.ts';
import { fittingTuplets, type TripletSpan, type Tuplet } from '../music/tuplets.ts';
import type { RawNote } from './read.ts';

/** The triplets `part` plays, as tuplets of `melody` (its notes on the grid) that its notes fit. */
export function findTriplets(part: readonly RawNote[], ppq: number, melody: Melody): Tuplet[] {
  // The top line: at each start, the highest note (the melody's rule for chords).
  const byStart = new Map<number, RawNote>();
  for (const n of part) {
    const there = byStart.get(n.startTick);
    if (!there || n.pitch > there.pitch) byStart.set(n.startTick, n);
  }
  const line = [...byStart.values()].sort((a, b) => a.startTick - b.startTick);
  const grid = barGrid(melody);
  const tolerance = ppq / 32;
  const near = (tick: number, target: number): boolean => Math.abs(tick - target) <= tolerance;
  const found: Tuplet[] = [];
  for (let i = 0; i + 2 < line.length; i++) {
    const from = line[i]!.startTick;
    const step = Math.round((from * 4) / ppq);
    if (!near(from, (step * ppq) / 4)) continue;
    const bar = grid.bars[grid.barAt(step)]!;
    if (bar.meter.denominator === 8 && bar.meter.numerator % 3 === 0) continue; // compound: no triplets
    const local = step - bar.start + bar.offset;
    for (const span of [8, 4] as const satisfies readonly TripletSpan[]) {
      const ticks = (span * ppq) / 4;
      const fits =
        local % span === 0 &&
        step + span <= bar.start + bar.length &&
        near(line[i + 1]!.startTick, from + ticks / 3) &&
        near(line[i + 2]!.startTick, from + (2 * ticks) / 3) &&
        line[i + 2]!.endTick <= from + ticks + tolerance &&
        (line[i + 3]?.startTick ?? Infinity) >= from + ticks - tolerance &&
        (i === 0 || line[i - 1]!.endTick <= from + tolerance);
      if (fits) {
        found.push({ start: step, span });
        i += 2;
        break;
      }
    }
  }
  return fittingTuplets({ notes: melody.notes, tuplets: found }).map((f) => f.tuplet);
}
