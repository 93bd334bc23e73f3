/**
 * Where the interval names go so that none covers another: each label takes the first lane of
 * its system (above the stave, then below it) where it clears the last label placed there; a
 * label that clears neither is left out (the interval is still named when its notes are chosen).
 * Pure: positions in, lanes out.
 */
export interface LabelSpot {
  /** Centre of the label, in score units. */
  readonly x: number;
  readonly row: number;
  readonly width: number;
}

/** Space kept between two labels in one lane. */
const GAP = 3;

/** The lane (0 above, 1 below) for each label in order, or null where none has room. */
export function labelLanes(spots: readonly LabelSpot[], lanes = 2): (number | null)[] {
  // The right edge of the last label in each lane of each row.
  const edges = new Map<number, number[]>();
  return spots.map((spot) => {
    const row = edges.get(spot.row) ?? Array<number>(lanes).fill(-Infinity);
    edges.set(spot.row, row);
    const left = spot.x - spot.width / 2;
    const lane = row.findIndex((edge) => left >= edge + GAP);
    if (lane < 0) return null;
    row[lane] = spot.x + spot.width / 2;
    return lane;
  });
}

/** A label's width in score units, from its length (the interval font is about 6.5 units a character). */
export function labelWidth(text: string): number {
  return text.length * 6.5 + 4;
}
