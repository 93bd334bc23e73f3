/**
 * Writing a melody as an ABC tune (abc standard 2.1, abcnotation.com).
 *
 * RULES
 * - Header: X: (the number asked for, else 1), T: (the title, if any), M:, L:, Q:1/4=tempo, K:
 *   (the melody's key, else C major), in that order, K: last as the standard asks.
 * - L:1/8 when every note and rest starts and lasts a whole number of eighths, else L:1/16.
 * - Bars follow music/bars.ts (pickup, meter changes written `[M:..]` at their bar); a note that
 *   crosses a barline is split and tied (`-`); silences are rests `z`.
 * - Pitches are spelled in the key (music/spelling.ts); an accidental is written only where the
 *   key signature, or an accidental earlier in the bar on the same letter and octave, does not
 *   already give it. Key changes are written `[K:..]` where they fall.
 * - Triplets the notes fit (music/tuplets.ts) are written `(3` with three equal notes.
 * - Where the analysis (analyzeMelody's strains) finds a strain followed at once by an exact
 *   repeat of itself, bar for bar, the strain is written once between `|:` and `:|`.
 */
import { analyzeMelody } from '../analysis/index.ts';
import { barGrid, type Bar } from '../music/bars.ts';
import { keyFifths } from '../music/key.ts';
import type { Key, Melody, Mode, Note, Steps } from '../music/melody.ts';
import { signatureAlter, spellPitch, type Letter } from '../music/spelling.ts';
import { fittingTuplets } from '../music/tuplets.ts';

export interface WriteAbcOptions {
  /** The X: reference number (default 1). */
  readonly x?: number;
  /** The T: title (default the melody's). */
  readonly title?: string;
  /** Write exact strain repeats with `|: :|` (default true). */
  readonly repeats?: boolean;
}

const MODE_WORDS: Readonly<Record<Mode, string>> = {
  major: '',
  minor: 'm',
  dorian: 'dor',
  mixolydian: 'mix',
  phrygian: 'phr',
  lydian: 'lyd',
  locrian: 'loc',
};

/** A key as an ABC K: value. @example abcKey({ tonic: 'F#', mode: 'minor' }) // => "F#m" */
export function abcKey(key: Key): string {
  return `${key.tonic}${MODE_WORDS[key.mode]}`;
}

/**
 * The melody as one ABC tune (rules in the header); ends with a newline.
 * @example writeAbc(makeMelody({ notes: parseNotes('D4 E4 F#4 G4'), key: { tonic: 'D', mode: 'major' } }))
 *   // => "X:1\nM:4/4\nL:1/8\nQ:1/4=120\nK:D\nD2 E2 F2 G2|]\n"
 */
export function writeAbc(melody: Melody, options: WriteAbcOptions = {}): string {
  const key = melody.key ?? { tonic: 'C', mode: 'major' };
  const grid = barGrid(melody);
  const tuplets = fittingTuplets(melody);
  const tupletAt = new Map(tuplets.map((t) => [t.notes[0], t.tuplet]));
  const unitSteps = fitsEighths(melody, grid.bars) ? 2 : 1;
  const title = options.title ?? melody.title;
  const lines = [`X:${options.x ?? 1}`];
  if (title) lines.push(`T:${title.replace(/[\r\n]+/g, ' ')}`);
  lines.push(`M:${melody.meter.numerator}/${melody.meter.denominator}`);
  lines.push(`L:1/${16 / unitSteps}`);
  lines.push(`Q:1/4=${Math.round(melody.tempo)}`);
  lines.push(`K:${abcKey(key)}`);

  const repeated = options.repeats === false ? new Map<number, number>() : exactRepeats(melody, grid.bars);
  const keyChanges = [...(melody.keyChanges ?? [])];
  let body = '';
  let barsOnLine = 0;
  let currentKey = key;
  let meter = melody.meter;
  const notes = melody.notes;
  let index = 0; // the next note to write
  let carried: Note | null = null; // the rest of a note tied over the barline
  for (let b = 0; b < grid.bars.length; b++) {
    const bar = grid.bars[b]!;
    const end = bar.start + bar.length;
    const repeatTo = repeated.get(b);
    if (repeatTo !== undefined) {
      if (body.endsWith(':|')) body += ' |:';
      else if (body.endsWith('|')) body += ':';
      else body += '|:';
    }
    if (bar.meter.numerator !== meter.numerator || bar.meter.denominator !== meter.denominator) {
      meter = bar.meter;
      body += `[M:${meter.numerator}/${meter.denominator}]`;
    }
    const alters = new Map<string, number>();
    const tokens: string[] = [];
    let at = bar.start;
    const write = (note: Note, from: Steps, to: Steps, tied: boolean) => {
      if (from > at) tokens.push(`z${lengthText(from - at, unitSteps)}`);
      tokens.push(
        `${pitchText(note.pitch, currentKey, alters)}${lengthText(to - from, unitSteps)}${tied ? '-' : ''}`,
      );
      at = to;
    };
    if (carried) {
      const to = Math.min(carried.end, end);
      write(carried, bar.start, to, carried.end > end);
      carried = carried.end > end ? carried : null;
    }
    while (!carried && index < notes.length && notes[index]!.start < end) {
      const note = notes[index]!;
      while (keyChanges.length > 0 && keyChanges[0]!.at <= note.start) {
        currentKey = keyChanges.shift()!.key;
        tokens.push(`[K:${abcKey(currentKey)}]`);
        alters.clear();
      }
      const tuplet = tupletAt.get(index);
      if (tuplet && tuplet.start + tuplet.span <= end) {
        const each = tuplet.span / 2;
        if (tuplet.start > at) tokens.push(`z${lengthText(tuplet.start - at, unitSteps)}`);
        tokens.push(
          `(3${[0, 1, 2].map((k) => `${pitchText(notes[index + k]!.pitch, currentKey, alters)}${lengthText(each, unitSteps)}`).join('')}`,
        );
        at = tuplet.start + tuplet.span;
        index += 3;
        continue;
      }
      write(note, note.start, Math.min(note.end, end), note.end > end);
      if (note.end > end) carried = note;
      index++;
    }
    if (at < end && (index < notes.length || carried || b < grid.bars.length - 1)) {
      tokens.push(`z${lengthText(end - at, unitSteps)}`);
    }
    body += tokens.join(' ');
    const last = b === grid.bars.length - 1;
    const closesRepeat = [...repeated].some(([, to]) => to === b);
    body += closesRepeat ? ':|' : last ? '|]' : '|';
    if (closesRepeat) {
      // Skip the bars the repeat sign plays again.
      const from = [...repeated].find(([, to]) => to === b)![0];
      const skip = b - from + 1;
      const skipEnd = grid.bars[b + skip]!;
      index = notes.findIndex((n) => n.start >= skipEnd.start + skipEnd.length);
      if (index < 0) index = notes.length;
      b += skip;
    }
    if (++barsOnLine === 4 && !last) {
      body += '\n';
      barsOnLine = 0;
    }
  }
  lines.push(body.trim());
  return `${lines.join('\n')}\n`;
}

/** True when every note and silence can be written in whole eighths. */
function fitsEighths(melody: Melody, bars: readonly Bar[]): boolean {
  if (bars.some((b) => b.start % 2 !== 0 || b.length % 2 !== 0)) return false;
  if ((melody.tuplets ?? []).length > 0) return false;
  return melody.notes.every((n) => n.start % 2 === 0 && n.end % 2 === 0);
}

/** An ABC length after a note: "" for one unit, "2", "3/2", "/2" ... */
function lengthText(steps: Steps, unitSteps: number): string {
  if (steps === unitSteps) return '';
  if (steps % unitSteps === 0) return String(steps / unitSteps);
  return steps === 1 ? '/' : `${steps}/${unitSteps}`;
}

const ACCIDENTAL_TEXT: Readonly<Record<number, string>> = { [-2]: '__', [-1]: '_', 0: '=', 1: '^', 2: '^^' };

/** A pitch in ABC, with the accidental written only when the key and the bar do not give it. */
function pitchText(pitch: number, key: Key, alters: Map<string, number>): string {
  const spelled = spellPitch(pitch, key);
  const id = `${spelled.letter}${spelled.octave}`;
  const inForce = alters.get(id) ?? signatureAlter(keyFifths(key), spelled.letter as Letter);
  let text = '';
  if (spelled.alter !== inForce) {
    text += ACCIDENTAL_TEXT[spelled.alter] ?? '';
    alters.set(id, spelled.alter);
  }
  // C4 is "C", C5 is "c"; commas lower and apostrophes raise by an octave.
  if (spelled.octave >= 5) text += spelled.letter.toLowerCase() + "'".repeat(spelled.octave - 5);
  else text += spelled.letter + ','.repeat(Math.max(0, 4 - spelled.octave));
  return text;
}

/**
 * Bars that open an exact repeat: first bar -> last bar of a strain whose next strain, starting
 * on the bar after, has the same notes bar for bar. No note may cross into or out of either.
 */
function exactRepeats(melody: Melody, bars: readonly Bar[]): Map<number, number> {
  const out = new Map<number, number>();
  if (melody.notes.length < 2) return out;
  let strains;
  try {
    strains = analyzeMelody(melody).strains;
  } catch {
    return out;
  }
  for (let i = 0; i + 1 < strains.length; i++) {
    const a = strains[i]!;
    const b = strains[i + 1]!;
    if (b.letter !== a.letter || b.relation !== 'repeat') continue;
    let first = a.firstBar;
    if (bars[first]?.pickup) first++;
    const last = b.firstBar - 1;
    const count = last - first + 1;
    if (count < 1 || b.firstBar + count - 1 >= bars.length) continue;
    if (sameBars(melody.notes, bars, first, b.firstBar, count)) {
      out.set(first, last);
      i++;
    }
  }
  return out;
}

function sameBars(
  notes: readonly Note[],
  bars: readonly Bar[],
  a: number,
  b: number,
  count: number,
): boolean {
  const span = (from: number) => {
    const start = bars[from]!.start;
    const lastBar = bars[from + count - 1]!;
    return { start, end: lastBar.start + lastBar.length };
  };
  const one = span(a);
  const two = span(b);
  if (one.end !== two.start || one.end - one.start !== two.end - two.start) return false;
  for (let k = 0; k < count; k++) if (bars[a + k]!.length !== bars[b + k]!.length) return false;
  const crosses = (step: Steps) => notes.some((n) => n.start < step && n.end > step);
  if (crosses(one.start) || crosses(one.end) || crosses(two.end)) return false;
  const inside = (s: { start: number; end: number }) =>
    notes.filter((n) => n.start >= s.start && n.start < s.end);
  const x = inside(one);
  const y = inside(two);
  const shift = two.start - one.start;
  return (
    x.length === y.length &&
    x.length > 0 &&
    x.every(
      (n, k) => y[k]!.pitch === n.pitch && y[k]!.start === n.start + shift && y[k]!.end === n.end + shift,
    )
  );
}
