/** Plain-English names for what the score shows, for screen readers and the note panel. */
import type { SpelledPitch } from '../score/types.ts';
import { sameKey } from './key.ts';
import { meterName, type BarGrid } from './bars.ts';
import type { Key, Steps } from './melody.ts';

const DURATION_NAMES: Readonly<Record<number, string>> = {
  1: 'sixteenth note',
  2: 'eighth note',
  3: 'dotted eighth note',
  4: 'quarter note',
  6: 'dotted quarter note',
  7: 'double-dotted quarter note',
  8: 'half note',
  12: 'dotted half note',
  14: 'double-dotted half note',
  16: 'whole note',
};

/** @example durationName(6) // => "dotted quarter note"; durationName(5) // => "note of 5 sixteenths" */
export function durationName(steps: Steps): string {
  return DURATION_NAMES[steps] ?? `note of ${steps} sixteenths`;
}

/** A written pitch with real sharp and flat signs. @example displayPitch({letter:'F', alter:1, octave:5}) // => "F♯5" */
export function displayPitch(p: SpelledPitch): string {
  const sign = p.alter > 0 ? '♯'.repeat(p.alter) : '♭'.repeat(-p.alter);
  return `${p.letter}${sign}${p.octave}`;
}

/**
 * A note name as written in data ("Bb4", "F#5", "Ebb3") with real signs, the one spelling
 * Cantus shows. @example displayNoteName("Bb4") // => "B♭4"
 */
export function displayNoteName(name: string): string {
  const m = /^([A-G])([#b]*)(-?\d*)$/.exec(name);
  if (!m) return name;
  return `${m[1]}${m[2]!.replace(/#/g, '♯').replace(/b/g, '♭')}${m[3]}`;
}

/** A key's tonic with real signs. @example displayTonic("Bb") // => "B♭" */
export function displayTonic(tonic: string): string {
  return tonic.replace(/#/g, '♯').replace(/(?<=^[A-G].*)b/g, '♭');
}

/**
 * A key named as a musician writes it, with real signs and the church modes capitalised.
 * @example displayKeyName({ tonic: 'F#', mode: 'minor' }) // => "F♯ minor"
 * @example displayKeyName({ tonic: 'D', mode: 'dorian' }) // => "D Dorian"
 */
export function displayKeyName(key: Key): string {
  const mode =
    key.mode === 'major' || key.mode === 'minor' ? key.mode : key.mode[0]!.toUpperCase() + key.mode.slice(1);
  return `${displayTonic(key.tonic)} ${mode}`;
}

/**
 * Where a melody's key changes, for people, bars counted from 1.
 * @example keyChangeWords([{ firstBar: 0, lastBar: 7, ...G major }, { firstBar: 8, lastBar: 15, ...D major }]) // => "bars 9–16 in D major"
 */
export function keyChangeWords(
  regions: readonly {
    readonly firstBar: number;
    readonly lastBar: number;
    readonly tonic: string;
    readonly mode: Key['mode'];
  }[],
  firstBarNumber = 1,
): string {
  const n = (bar: number): number => bar + firstBarNumber;
  const home = regions[0];
  return regions
    .slice(1)
    .map((r) => {
      const back = home && sameKey(r, home) ? 'back in ' : 'in ';
      const bars =
        r.firstBar === r.lastBar ? `bar ${n(r.firstBar)}` : `bars ${n(r.firstBar)}–${n(r.lastBar)}`;
      return `${bars} ${back}${displayKeyName(r)}`;
    })
    .join('; ');
}

/**
 * The time signatures of a melody's bars in words, bars numbered as the score prints them.
 * @example meterWords(barGrid(jigWithUpbeatThenMarch)) // => "6/8 with an eighth note pickup; 4/4 from bar 5"
 */
export function meterWords(grid: BarGrid): string {
  const [first, ...rest] = grid.bars;
  if (!first) return '';
  const opening = first.pickup ? (rest[0] ?? first) : first;
  const parts = [
    `${meterName(opening.meter)}${first.pickup ? ` with ${withArticle(durationName(first.length))} pickup` : ''}`,
  ];
  let meter = meterName(opening.meter);
  for (const bar of rest) {
    const name = meterName(bar.meter);
    if (name === meter) continue;
    parts.push(`${name} from bar ${bar.number}`);
    meter = name;
  }
  return parts.join('; ');
}

function withArticle(words: string): string {
  return `${/^[aeio]/.test(words) ? 'an' : 'a'} ${words}`;
}
