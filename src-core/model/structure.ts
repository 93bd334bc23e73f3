/**
 * How much structure a continuation has, measured the same way for the model's continuations and
 * for the real tunes they continue: does a bar repeat an earlier bar exactly, does a two-bar unit
 * repeat, how busy are the bars, is a note held two bars or more, how many notes leave the key.
 *
 * A melody is read as one symbol per 16th-note step: the pitch of a note starting there, HELD
 * where a note sounds on, REST where nothing sounds. Two bars (or two-bar units starting on
 * barlines) are equal when their symbols are. Only bars of the continuation are looked at for a
 * repeat (bar `primerBars` on); what they repeat may lie anywhere before them, primer included.
 * A bar or unit in which no note starts never counts as a repeat.
 */
import { isInKey } from '../music/key.ts';
import { stepsPerBar, type Key, type Melody, type Steps } from '../music/melody.ts';

const HELD = -1;
const REST = -2;

/** What one continuation shows. */
export interface ContinuationFacts {
  readonly barRepeat: boolean;
  readonly unitRepeat: boolean;
  readonly notes: number;
  readonly bars: number;
  readonly longNote: boolean;
  readonly outOfKey: number;
}

/** Shares over many continuations. */
export interface StructureFigures {
  readonly melodies: number;
  /** Share of melodies in which a continuation bar repeats an earlier bar exactly. */
  readonly barRepeat: number;
  /** Share in which a two-bar unit of the continuation repeats an earlier one exactly. */
  readonly unitRepeat: number;
  readonly notesPerBar: number;
  /** Share in which the continuation holds one note for two bars or more. */
  readonly longNote: number;
  /** Share of the continuations' notes outside the key (in minor, the raised 6th and 7th are in). */
  readonly outOfKey: number;
}

function symbols(melody: Melody, length: Steps): Int32Array {
  const out = new Int32Array(length).fill(REST);
  for (const n of melody.notes) {
    if (n.start >= length) continue;
    out[n.start] = n.pitch;
    for (let s = n.start + 1; s < Math.min(n.end, length); s++) out[s] = HELD;
  }
  return out;
}

function sameSpan(a: Int32Array, from: number, to: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (a[from + k] !== a[to + k]) return false;
  return true;
}

function hasOnset(a: Int32Array, from: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (a[from + k]! >= 0) return true;
  return false;
}

/**
 * The facts of the continuation after `primerBars` bars, `bars` bars long, in `key`.
 * @example measureContinuation(melody, 2, 8, { tonic: 'D', mode: 'major' }).barRepeat
 */
export function measureContinuation(
  melody: Melody,
  primerBars: number,
  bars: number,
  key: Key,
): ContinuationFacts {
  const bar = stepsPerBar(melody.meter);
  const total = primerBars + bars;
  const s = symbols(melody, total * bar);
  const repeats = (unit: number): boolean => {
    for (let j = primerBars; j + unit <= total; j++) {
      if (!hasOnset(s, j * bar, unit * bar)) continue;
      for (let i = 0; i < j; i++) if (sameSpan(s, i * bar, j * bar, unit * bar)) return true;
    }
    return false;
  };
  const from = primerBars * bar;
  const to = total * bar;
  const notes = melody.notes.filter((n) => n.start >= from && n.start < to);
  return {
    barRepeat: repeats(1),
    unitRepeat: repeats(2),
    notes: notes.length,
    bars,
    longNote: notes.some((n) => Math.min(n.end, to) - n.start >= 2 * bar),
    outOfKey: notes.filter((n) => !isInKey(n.pitch, key)).length,
  };
}

/** The shares over a set of continuations. */
export function summarizeStructure(facts: readonly ContinuationFacts[]): StructureFigures {
  const n = facts.length;
  const share = (pick: (f: ContinuationFacts) => boolean): number => (n ? facts.filter(pick).length / n : 0);
  const notes = facts.reduce((sum, f) => sum + f.notes, 0);
  const bars = facts.reduce((sum, f) => sum + f.bars, 0);
  return {
    melodies: n,
    barRepeat: share((f) => f.barRepeat),
    unitRepeat: share((f) => f.unitRepeat),
    notesPerBar: bars ? notes / bars : 0,
    longNote: share((f) => f.longNote),
    outOfKey: notes ? facts.reduce((sum, f) => sum + f.outOfKey, 0) / notes : 0,
  };
}
