/**
 * One ABC voice's parsed elements (abcjs.ts) played through in time: what abcjs does not give.
 *
 * RULES (abc standard 2.1, and abc2midi 4.84 where the standard leaves a choice):
 * - Repeats are played out: `:|` goes back to the last `|:` or `::`, else to the last double bar
 *   (`||`, `[|`, `|]`) or the end of the previous repeat, else the start; each is taken once.
 *   Endings `[1`, `[2`, `[1,3` play on the passes they name; an ending closes at its end mark or at
 *   the next double bar or repeat.
 * - Pitches: the key signature, then accidentals written in the bar, which hold for that letter in
 *   that octave until the barline; a tied note keeps its pitch across the barline.
 * - A tie joins notes of one pitch into one; chords keep all their notes (the melody reader keeps
 *   the top one); tuplets scale their notes by the ratio abcjs reads.
 * - `written` performance (the default): grace notes are left out and ornaments are the note
 *   written. `abc2midi` performance plays them as abc2midi does, so its MIDI files can be checked
 *   note for note: an accidental holds in every octave of its letter; each grace note lasts a
 *   quarter of its written length (`{g}` a quarter of L:, `{g2}` half) and is taken from the note
 *   it leads to; staccato sounds half its length; a fermata doubles it; a trill alternates the
 *   next note of the scale above with the note, in the shortest of 64ths, 32nds, 16ths, ... that
 *   lasts more than 50 ms at the tune's tempo (32nds at Q:1/4=120); a roll (`~`) on a note of three units
 *   plays note, upper, note, lower, note (1/3, 1/12, 1/4, 1/12, 1/4), and on any other note a
 *   grace from the upper note first; in a hornpipe (R:hornpipe) in common time (M:4/4 or M:C,
 *   not M:C| or 2/4) with L:1/8, pairs of unit notes from each barline are played long-short,
 *   2:1 (abc2midi's manual says hornpipes are played as `a>b`, but its files have 2:1, the ratio
 *   its -CS option names).
 * Times are in whole notes, as abcjs gives durations.
 */
import type { AbcElement, AbcKeyElement, AbcMeterElement, AbcNoteElement, AbcPitch } from './abcjs.ts';

export type Performance = 'written' | 'abc2midi';

export interface PlayedNote {
  readonly pitch: number;
  /** Whole notes from the start. */
  readonly start: number;
  readonly end: number;
}

export interface PlayedVoice {
  readonly notes: readonly PlayedNote[];
  /** Where each meter element is met, in order (the first at 0 when the tune states one). */
  readonly meters: readonly { readonly at: number; readonly meter: AbcMeterElement }[];
  readonly keys: readonly { readonly at: number; readonly key: AbcKeyElement }[];
  /** Where the first barline after music lies (whole notes), or null when there is none. */
  readonly firstBarline: number | null;
  readonly end: number;
  /** True when the note limit stopped the playing. */
  readonly truncated: boolean;
}

export interface PerformOptions {
  readonly performance: Performance;
  /** The unit length L: in whole notes (for grace notes and rolls in abc2midi's performance). */
  readonly unit: number;
  readonly hornpipe: boolean;
  /** Quarter notes a minute (Q:), which sets the speed of abc2midi's trills. */
  readonly tempo: number;
  readonly maxNotes: number;
}

const LETTER_SEMITONES = [0, 2, 4, 5, 7, 9, 11] as const;
const LETTERS = 'cdefgab';
const ACCIDENTAL_ALTER: Readonly<Record<string, number>> = {
  sharp: 1,
  flat: -1,
  natural: 0,
  dblsharp: 2,
  dblflat: -2,
  quartersharp: 0,
  quarterflat: 0,
};

const isRepeatEnd = (type: string) => type === 'bar_right_repeat' || type === 'bar_dbl_repeat';
const isRepeatStart = (type: string) => type === 'bar_left_repeat' || type === 'bar_dbl_repeat';
const isDoubleBar = (type: string) =>
  type === 'bar_thin_thin' || type === 'bar_thin_thick' || type === 'bar_thick_thin';

/** The elements in the order they are played, repeats and endings taken (rules in the header). */
export function playOrder(elements: readonly AbcElement[], maxElements: number): AbcElement[] {
  const out: AbcElement[] = [];
  let start = 0;
  let pass = 1;
  let skipping = false;
  let inEnding = false;
  for (let i = 0; i < elements.length && out.length < maxElements; i++) {
    const el = elements[i]!;
    if (el.el_type !== 'bar') {
      if (!skipping) out.push(el);
      continue;
    }
    if (!skipping) out.push(el);
    if (isRepeatEnd(el.type) && !skipping) {
      if (pass === 1) {
        pass = 2;
        inEnding = false;
        i = start - 1;
        continue;
      }
      pass = 1;
      start = i + 1;
    }
    if (el.startEnding !== undefined) {
      inEnding = true;
      skipping = !endingNumbers(el.startEnding).includes(pass);
      continue;
    }
    const closes = el.endEnding === true || isDoubleBar(el.type) || isRepeatStart(el.type);
    if (inEnding && closes) {
      inEnding = false;
      skipping = false;
      if (pass === 2) pass = 1;
      if (!isRepeatEnd(el.type)) start = i + 1;
    }
    if (isRepeatStart(el.type) || isDoubleBar(el.type)) {
      start = i + 1;
      pass = 1;
    }
  }
  return out;
}

/** "1", "1,3", "1-3" -> [1], [1, 3], [1, 2, 3]. */
function endingNumbers(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+))?/.exec(part);
    if (!range) continue;
    const from = Number(range[1]);
    const to = Math.min(Number(range[2] ?? range[1]), from + 16);
    for (let n = from; n <= to; n++) out.push(n);
  }
  return out.length > 0 ? out : [1];
}

/** Plays one voice (rules in the header). */
export function performVoice(elements: readonly AbcElement[], options: PerformOptions): PlayedVoice {
  const order = playOrder(elements, options.maxNotes * 4);
  const notes: PlayedNote[] = [];
  const meters: { at: number; meter: AbcMeterElement }[] = [];
  const keys: { at: number; key: AbcKeyElement }[] = [];
  let signature = new Map<string, number>(); // letter -> alter
  // Until the barline: diatonic pitch (written) or letter, 0 = C (abc2midi) -> alter.
  let barAlter = new Map<number, number>();
  const everyOctave = options.performance === 'abc2midi';
  const ties = new Map<number, number>(); // diatonic pitch -> index of a note tied on
  let time = 0;
  let firstBarline: number | null = null;
  let tupletLeft = 0;
  let tupletRatio = 1;
  let truncated = false;
  let pairStart = -1; // hornpipe: the time of a unit note waiting for its partner, else -1
  let beatAnchor = 0; // hornpipe: the time of the last barline, beats count from it

  const midiOf = (p: AbcPitch): number => {
    const octave = Math.floor(p.pitch / 7);
    const degree = p.pitch - octave * 7;
    let alter = signature.get(LETTERS[degree]!) ?? 0;
    const held = everyOctave ? degree : p.pitch;
    if (p.accidental !== undefined && p.accidental in ACCIDENTAL_ALTER) {
      alter = ACCIDENTAL_ALTER[p.accidental]!;
      barAlter.set(held, alter);
    } else if (barAlter.has(held)) {
      alter = barAlter.get(held)!;
    }
    return 60 + octave * 12 + LETTER_SEMITONES[degree]! + alter;
  };
  const scaleAbove = (p: AbcPitch): number => midiOf({ pitch: p.pitch + 1 });
  const scaleBelow = (p: AbcPitch): number => midiOf({ pitch: p.pitch - 1 });
  const push = (pitch: number, start: number, end: number) => {
    if (notes.length >= options.maxNotes) {
      truncated = true;
      return;
    }
    if (end > start) notes.push({ pitch, start, end });
  };

  for (let k = 0; k < order.length; k++) {
    const el = order[k]!;
    if (el.el_type === 'bar') {
      if (firstBarline === null && time > 0) firstBarline = time;
      barAlter = new Map();
      beatAnchor = time;
      pairStart = -1;
      continue;
    }
    if (el.el_type === 'key') {
      signature = signatureOf(el);
      keys.push({ at: time, key: el });
      continue;
    }
    if (el.el_type === 'meter') {
      meters.push({ at: time, meter: el });
      continue;
    }
    if (el.el_type !== 'note') continue;
    if (el.startTriplet) {
      tupletLeft = el.startTriplet;
      tupletRatio = el.tripletMultiplier ?? 1;
    }
    const inTuplet = tupletLeft > 0;
    let length = el.duration * (inTuplet ? tupletRatio : 1);
    if (inTuplet && (el.endTriplet || --tupletLeft === 0)) tupletLeft = 0;
    if (!(length > 0) || !Number.isFinite(length)) continue;
    const decorations = options.performance === 'abc2midi' ? (el.decoration ?? []) : [];
    if (decorations.includes('fermata')) length *= 2;
    // Hornpipe pairs: two unit notes, the first on a quarter-note beat, become 3:1.
    if (options.performance === 'abc2midi' && options.hornpipe && !inTuplet) {
      const next = order[k + 1];
      const isUnit = (n: AbcNoteElement) => Math.abs(n.duration - options.unit) < 1e-9;
      const pairs = (time - beatAnchor) / (2 * options.unit);
      const onPair = Math.abs(pairs - Math.round(pairs)) < 1e-6;
      if (
        pairStart < 0 &&
        isUnit(el) &&
        onPair &&
        next?.el_type === 'note' &&
        isUnit(next) &&
        !next.startTriplet
      ) {
        pairStart = time;
        length = (options.unit * 4) / 3;
      } else if (pairStart >= 0) {
        length = (options.unit * 2) / 3;
        pairStart = -1;
      }
    }
    const start = time;
    time += length;
    if (!el.pitches || el.pitches.length === 0 || el.rest) continue;
    let noteStart = start;
    if (options.performance === 'abc2midi' && el.gracenotes && el.gracenotes.length > 0) {
      // abcjs times grace notes as if L: were 1/8; abc2midi plays each at a quarter of its written length.
      const each = el.gracenotes.map((g) => ((g.duration > 0 ? g.duration * 8 : 1) * options.unit) / 4);
      const total = each.reduce((s, d) => s + d, 0);
      if (total < length) {
        let at = start;
        el.gracenotes.forEach((g, i) => {
          push(midiOf(g), at, at + each[i]!);
          at += each[i]!;
        });
        noteStart = at;
      }
    }
    const chord = el.pitches.map((p) => ({ p, midi: midiOf(p) }));
    const single = chord.length === 1 ? chord[0]! : null;
    if (single && decorations.includes('trill')) {
      const upper = scaleAbove(single.p);
      const step = trillStep(options.tempo);
      let at = noteStart;
      for (let i = 0; at + step <= time + 1e-9; i++, at += step)
        push(i % 2 === 0 ? upper : single.midi, at, at + step);
      if (at < time - 1e-9) push(single.midi, at, time);
      continue;
    }
    if (single && decorations.includes('irishroll')) {
      const span = time - noteStart;
      const upper = scaleAbove(single.p);
      if (Math.abs(el.duration - 3 * options.unit) < 1e-9) {
        const parts = [1 / 3, 1 / 12, 1 / 4, 1 / 12, 1 / 4];
        const pitches = [single.midi, upper, single.midi, scaleBelow(single.p), single.midi];
        let at = noteStart;
        parts.forEach((share, i) => {
          push(pitches[i]!, at, at + share * span);
          at += share * span;
        });
      } else {
        const grace = Math.min(options.unit / 4, span / 2);
        push(upper, noteStart, noteStart + grace);
        push(single.midi, noteStart + grace, time);
      }
      continue;
    }
    const soundEnd = decorations.includes('staccato') ? noteStart + (time - noteStart) / 2 : time;
    for (const { p, midi } of chord) {
      const tiedFrom = p.endTie ? ties.get(p.pitch) : undefined;
      const previous = tiedFrom !== undefined ? notes[tiedFrom] : undefined;
      if (previous && Math.abs(previous.end - noteStart) < 1e-9 && noteStart === start) {
        notes[tiedFrom!] = { ...previous, end: soundEnd };
        if (p.startTie) ties.set(p.pitch, tiedFrom!);
        else ties.delete(p.pitch);
        continue;
      }
      push(midi, noteStart, soundEnd);
      if (p.startTie) ties.set(p.pitch, notes.length - 1);
      else ties.delete(p.pitch);
    }
  }
  return { notes, meters, keys, firstBarline, end: time, truncated };
}

/** abc2midi's trill note: the shortest of a 64th, 32nd, 16th, ... lasting more than 50 ms. */
function trillStep(quartersPerMinute: number): number {
  const wholeSeconds = (4 * 60) / (quartersPerMinute > 0 ? quartersPerMinute : 120);
  let step = 1 / 64;
  while (step * wholeSeconds <= 0.05 && step < 1) step *= 2;
  return step;
}

/** The letters a key signature alters, from abcjs's list ("f" sharp, "b" flat, ...). */
function signatureOf(key: AbcKeyElement): Map<string, number> {
  const out = new Map<string, number>();
  for (const a of key.accidentals ?? []) {
    const alter = ACCIDENTAL_ALTER[a.acc];
    if (alter !== undefined) out.set(a.note.toLowerCase(), alter);
  }
  return out;
}
