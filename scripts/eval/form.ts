/**
 * How well the analysis finds a tune's strains and phrases, measured on folk-pd
 * (../shared/datasets/folk-pd, see its README; nothing is copied into this repository):
 *
 *   npx tsx scripts/eval/form.ts [folk-pd folder] [--split eval|train|all] [--max N] [--list]
 *
 * GROUND TRUTH. The ABC transcriptions mark the strains of most tunes with repeat signs
 * (`|:`, `:|`, `::`) and first and second endings (`[1`, `|1`, `:|2`). abc2midi expanded
 * those repeats when it made the MIDI files, so reading the ABC's repeat signs the same way
 * gives, for every tune, the strains as they are played in its MIDI file: which written
 * section each pass plays (so `|:A:||:B:|` is AABB) and where each pass starts, in steps.
 * A written section played once (no repeat sign around it) is a strain of its own; a
 * section shorter than half a bar (a pickup before `|:`) joins the strain after it.
 *
 * A tune is left out, with the reason counted, when: its ABC has no repeat sign (nothing to
 * check against); it has several voices or a part order (`P:ABA`, which abc2midi plays in
 * that order); its MIDI file is missing or unreadable; or the ABC's expanded length and the
 * MIDI melody's disagree by more than a beat (a transcription this reader does not follow;
 * then the truth would be wrong, not the analysis).
 *
 * FIGURES, over the tunes kept:
 * - strain form exact: the analysis's strain letters (`Analysis.strains`, e.g. "AABB")
 *   equal the ABC's, letter for letter;
 * - strain count: as many strains as the ABC has;
 * - boundaries: each strain start after the first, found within a beat of the ABC's
 *   (recall: of the ABC's starts, how many the analysis has; precision: of the analysis's,
 *   how many are in the ABC);
 * - pickup repeats: of the tunes that open with a pickup (a first bar shorter than the
 *   meter) and whose first strain is played twice, how often the phrase that starts the
 *   second pass (within a beat) is labelled as a repeat of the tune's first phrase (the
 *   same label, relation "exact").
 *
 * The ABC reader follows what abc2midi does with the repeat signs these collections use; it
 * knows note lengths, rests, broken rhythm, tuplets, chords, grace notes (no time), fermatas
 * (abc2midi holds them twice as long), inline fields and meter or unit-length changes. It is
 * not a general ABC reader, and it lives here rather than in abc.ts (which reads headers
 * only) because only this evaluation needs note lengths; hence the file's length.
 *
 * The figures measured on this code are in the report of the change that added it; run the
 * script to see them again. `evaluateForm` returns the rows and figures for other scripts,
 * `formatFormTable` the Markdown table.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { analyzeMelody, type Analysis } from '../../src-core/analysis/analyze.ts';
import { extractMelody } from '../../src-core/midi/extract.ts';
import { readMidi } from '../../src-core/midi/read.ts';
import { splitOf } from '../../src-core/model/corpus-split.ts';
import type { Melody } from '../../src-core/music/melody.ts';

/* ------------------------------------------------------------------------------------------
 * Reading an ABC tune's timeline and repeat signs
 * ---------------------------------------------------------------------------------------- */

/** One played strain of the ABC truth: which written section, and where it is played. */
export interface TruthStrain {
  readonly letter: string;
  /** Steps (16th notes) from the start of the expanded tune, as in the MIDI file. */
  readonly start: number;
  readonly end: number;
}

/** What the evaluation reads from one ABC tune. */
export interface AbcForm {
  readonly x: number;
  readonly title: string;
  /** Steps in a bar of the header's meter, and in its beat. */
  readonly barSteps: number;
  readonly beatSteps: number;
  /** True when the tune opens with a bar shorter than the meter. */
  readonly pickup: boolean;
  /** Length of that opening bar in steps when it is a pickup, else 0. */
  readonly pickupSteps: number;
  /** True when the ABC has at least one repeat sign. */
  readonly hasRepeats: boolean;
  /** Why the tune cannot be read here (voices, a part order), or null. */
  readonly unsupported: string | null;
  /** Expanded (played) length in steps. */
  readonly length: number;
  /** Played strains in order. */
  readonly strains: readonly TruthStrain[];
  /** Onsets of the played notes, in steps (a tied note counts twice). */
  readonly onsets: readonly number[];
}

type Item =
  | { readonly kind: 'time'; readonly steps: number; readonly note: boolean }
  | { readonly kind: 'bar'; readonly end: boolean; readonly start: boolean; readonly double: boolean }
  | { readonly kind: 'ending'; readonly passes: readonly number[] };

interface Meter {
  readonly num: number;
  readonly den: number;
}

function readMeter(text: string, fallback: Meter): Meter {
  const t = text.trim();
  if (t === 'C') return { num: 4, den: 4 };
  if (t === 'C|') return { num: 2, den: 2 };
  const m = /^(\d+)(?:\+\d+)*\s*\/\s*(\d+)/.exec(t);
  if (!m) return fallback;
  const num = t
    .split('/')[0]!
    .split('+')
    .reduce((s, v) => s + Number(v), 0);
  return { num, den: Number(m[2]) };
}

function readFraction(text: string): number | null {
  const m = /^\s*(\d+)\s*\/\s*(\d+)/.exec(text);
  return m ? Number(m[1]) / Number(m[2]) : null;
}

const barLength = (m: Meter): number => m.num / m.den;

/** The default tuplet: p notes in the time of q (abc standard 2.1, 4.13). */
function tupletTime(p: number, meter: Meter): number {
  if (p === 2 || p === 4 || p === 8) return 3;
  if (p === 3 || p === 6) return 2;
  const compound = meter.den === 8 && meter.num % 3 === 0 && meter.num > 3;
  return compound ? 3 : 2;
}

/** A note or rest length multiplier after the letter: "3", "/2", "/", "//", "3/2". */
function readLength(s: string, at: number): { value: number; next: number } {
  const m = /^(\d*)(\/*)(\d*)/.exec(s.slice(at))!;
  const [all, num, slashes, den] = m;
  let value = num ? Number(num) : 1;
  if (slashes!.length > 0) value /= den ? Number(den) * 2 ** (slashes!.length - 1) : 2 ** slashes!.length;
  return { value, next: at + all!.length };
}

/**
 * The items of a tune body: note and rest lengths in steps, bar lines with their repeat
 * meaning, and ending marks. `barSign` says how to read "|:|", written in a few tunes at the
 * end of a part: abc2midi reads it as a start repeat followed by a bar line.
 */
function readItems(lines: readonly string[], meterAtStart: Meter, unitAtStart: number): Item[] {
  const items: Item[] = [];
  let meter = meterAtStart;
  let unit = unitAtStart;
  let broken = 0; // pending broken rhythm: >0 shortens the next note by that factor
  let lastTime = -1;
  let tupletLeft = 0;
  let tupletFactor = 1;
  let fermata = false;
  const pushTime = (whole: number, note: boolean): void => {
    let w = whole;
    if (fermata) {
      // abc2midi holds a note under a fermata twice as long.
      w *= 2;
      fermata = false;
    }
    if (tupletLeft > 0) {
      w *= tupletFactor;
      tupletLeft--;
    }
    if (broken !== 0) {
      w *= broken;
      broken = 0;
    }
    items.push({ kind: 'time', steps: w * 16, note });
    lastTime = items.length - 1;
  };
  const field = (name: string, value: string): void => {
    if (name === 'M') meter = readMeter(value, meter);
    if (name === 'L') unit = readFraction(value) ?? unit;
  };
  for (const raw of lines) {
    const line = raw.replace(/%.*$/, '');
    const header = /^([A-Za-z]):(.*)$/.exec(line);
    if (header) {
      field(header[1]!, header[2]!);
      continue;
    }
    let i = 0;
    while (i < line.length) {
      const c = line[i]!;
      if (c === '"') {
        const close = line.indexOf('"', i + 1);
        i = close < 0 ? line.length : close + 1;
      } else if (c === '!' || c === '+') {
        const close = line.indexOf(c, i + 1);
        if (close > 0 && line.slice(i + 1, close) === 'fermata') fermata = true;
        i = close < 0 ? i + 1 : close + 1;
      } else if (c === 'H') {
        fermata = true;
        i++;
      } else if (c === '{') {
        const close = line.indexOf('}', i + 1);
        i = close < 0 ? line.length : close + 1;
      } else if (c === '[' && /^\[[A-Za-z]:/.test(line.slice(i))) {
        const close = line.indexOf(']', i);
        const inner = line.slice(i + 1, close < 0 ? line.length : close);
        field(inner[0]!, inner.slice(2));
        i = close < 0 ? line.length : close + 1;
      } else if (c === '[' && /^\[\d/.test(line.slice(i))) {
        const m = /^\[([\d,-]+)/.exec(line.slice(i))!;
        items.push({ kind: 'ending', passes: readPasses(m[1]!) });
        i += m[0].length;
      } else if (c === '|' || c === ':' || (c === '[' && line[i + 1] === '|')) {
        const m = /^(?:\[\|\]|[|:\]]|\[\|)+/.exec(line.slice(i))!;
        const run = m[0];
        i += run.length;
        for (const sign of splitBarRun(run)) items.push(sign);
        const ending = /^\s*\[?(\d[\d,-]*)/.exec(line.slice(i));
        if (ending && (ending[0].startsWith('[') || /^\d/.test(line.slice(i)))) {
          items.push({ kind: 'ending', passes: readPasses(ending[1]!) });
          i += ending[0].length;
        }
      } else if (c === '[') {
        // A chord: as long as its first note, times any length after the closing bracket.
        const close = line.indexOf(']', i);
        const inner = line.slice(i + 1, close < 0 ? line.length : close);
        const first = /[\^_=]*[A-Ga-gzx][,']*/.exec(inner);
        let len = 1;
        if (first) len = readLength(inner, first.index + first[0].length).value;
        i = close < 0 ? line.length : close + 1;
        const after = readLength(line, i);
        i = after.next;
        pushTime(len * after.value * unit, true);
      } else if (c === '(' && /^\(\d/.test(line.slice(i))) {
        const m = /^\((\d+)(?::(\d*))?(?::(\d*))?/.exec(line.slice(i))!;
        const p = Number(m[1]);
        const q = m[2] ? Number(m[2]) : tupletTime(p, meter);
        tupletLeft = m[3] ? Number(m[3]) : p;
        tupletFactor = q / p;
        i += m[0].length;
      } else if (c === '>' || c === '<') {
        const m = /^(>+|<+)/.exec(line.slice(i))!;
        const n = m[0].length;
        const longer = 2 - 0.5 ** n;
        const shorter = 0.5 ** n;
        const prev = items[lastTime];
        if (prev && prev.kind === 'time') {
          items[lastTime] = { ...prev, steps: prev.steps * (c === '>' ? longer : shorter) };
        }
        broken = c === '>' ? shorter : longer;
        i += n;
      } else if (/[\^_=A-Ga-g]/.test(c)) {
        const m = /^[\^_=]*([A-Ga-g])[,']*/.exec(line.slice(i));
        if (!m) {
          i++;
          continue;
        }
        const len = readLength(line, i + m[0].length);
        i = len.next;
        pushTime(len.value * unit, true);
      } else if (c === 'z' || c === 'x') {
        const len = readLength(line, i + 1);
        i = len.next;
        pushTime(len.value * unit, false);
      } else if (c === 'Z' || c === 'X') {
        const m = /^[ZX](\d*)/.exec(line.slice(i))!;
        i += m[0].length;
        const bars = m[1] ? Number(m[1]) : 1;
        items.push({ kind: 'time', steps: bars * barLength(meter) * 16, note: false });
      } else {
        i++;
      }
    }
  }
  return items;
}

function readPasses(text: string): number[] {
  const passes: number[] = [];
  for (const part of text.split(',')) {
    const [a, b] = part.split('-').map(Number);
    if (a === undefined || Number.isNaN(a)) continue;
    for (let p = a; p <= (b ?? a); p++) passes.push(p);
  }
  return passes;
}

/**
 * The repeat meaning of a run of bar-line characters, as abc2midi reads them: "::" ends one
 * repeat and starts the next, a leading ":" ends a repeat, a trailing ":" starts one, and
 * "[|]" is an invisible bar line.
 */
function splitBarRun(run: string): Item[] {
  const signs: Item[] = [];
  for (const piece of run.split('[|]')) {
    if (piece === '') {
      signs.push({ kind: 'bar', end: false, start: false, double: false });
      continue;
    }
    const end = piece.startsWith(':');
    const start = /\|:/.test(piece) || (piece.endsWith(':') && piece.length > 1) || piece === '::';
    const double = /\|\||\|\]|\[\|/.test(piece);
    signs.push({ kind: 'bar', end, start, double });
  }
  return signs;
}

/** Reads the header and repeat structure of every tune in an ABC file's text. */
export function readAbcForms(text: string): AbcForm[] {
  const forms: AbcForm[] = [];
  for (const block of text.split(/\r?\n(?=X:)/)) {
    const lines = block.split(/\r?\n/);
    const x = /^X:\s*(\d+)/.exec(lines[0] ?? '');
    if (!x) continue;
    const keyLine = lines.findIndex((l) => /^K:/.test(l));
    if (keyLine < 0) continue;
    const head = lines.slice(1, keyLine + 1);
    const body = lines.slice(keyLine + 1);
    const headField = (name: string): string | null => {
      const l = head.find((h) => h.startsWith(`${name}:`));
      return l === undefined ? null : l.slice(2).replace(/%.*$/, '').trim();
    };
    const meter = readMeter(headField('M') ?? '4/4', { num: 4, den: 4 });
    const unit = readFraction(headField('L') ?? '') ?? (barLength(meter) < 0.75 ? 1 / 16 : 1 / 8);
    let unsupported: string | null = null;
    if (head.some((l) => /^V:/.test(l)) || body.some((l) => /^V:|\[V:/.test(l))) unsupported = 'voices';
    else if (headField('P') !== null) unsupported = 'part order';
    const items = readItems(body, meter, unit);
    const barSteps = barLength(meter) * 16;
    const beatSteps = meter.den === 8 && meter.num % 3 === 0 && meter.num > 3 ? 6 : 16 / meter.den;
    let firstBar = 0;
    for (const it of items) {
      if (it.kind === 'bar') break;
      if (it.kind === 'time') firstBar += it.steps;
    }
    const played = playItems(items);
    forms.push({
      x: Number(x[1]),
      title: headField('T') ?? '',
      barSteps,
      beatSteps,
      pickup: firstBar > 0 && firstBar < barSteps - 1e-6,
      pickupSteps: firstBar > 0 && firstBar < barSteps - 1e-6 ? Math.round(firstBar) : 0,
      hasRepeats: items.some((it) => it.kind === 'bar' && (it.start || it.end)),
      unsupported,
      length: played.length,
      strains: mergeShortStrains(played.strains, barSteps / 2),
      onsets: played.onsets,
    });
  }
  return forms;
}

/**
 * Plays the items as abc2midi expands repeats: ":|" goes back to the last "|:" (or to the
 * end of the last completed repeat, or the start), once; on the second pass an ending whose
 * numbers do not include 2 is skipped up to the next ending that does. Each pass through a
 * section is a strain, named by where the section starts in the written tune.
 */
function playItems(items: readonly Item[]): { length: number; strains: TruthStrain[]; onsets: number[] } {
  const onsets: number[] = [];
  const strains: { section: number; start: number; end: number }[] = [];
  let t = 0;
  let section = 0;
  let sectionStart = 0;
  let pass = 1;
  let inLastEnding = false;
  const close = (next: number): void => {
    if (t > sectionStart + 1e-9 || strains.length === 0) {
      strains.push({ section, start: sectionStart, end: t });
    }
    section = next;
    sectionStart = t;
  };
  let i = 0;
  let guard = 0;
  while (i < items.length && guard++ < 100_000) {
    const it = items[i]!;
    if (it.kind === 'time') {
      if (it.note) onsets.push(Math.round(t));
      t += it.steps;
      i++;
    } else if (it.kind === 'ending') {
      if (pass > 1 && it.passes.includes(pass)) inLastEnding = true;
      if (!it.passes.includes(pass)) {
        let j = i + 1;
        while (j < items.length) {
          const e = items[j]!;
          if (e.kind === 'ending' && e.passes.includes(pass)) break;
          j++;
        }
        if (j < items.length) inLastEnding = true;
        i = j < items.length ? j + 1 : i + 1;
      } else i++;
    } else {
      if (inLastEnding && (it.double || it.start || it.end)) {
        inLastEnding = false;
        pass = 1;
        close(i + 1);
        if (it.start) section = i + 1;
        i++;
        continue;
      }
      if (it.end) {
        if (pass === 1) {
          close(section);
          pass = 2;
          i = section;
          continue;
        }
        pass = 1;
        close(i + 1);
      }
      if (it.start) {
        if (!it.end) close(i + 1);
        section = i + 1;
        pass = 1;
      }
      i++;
    }
  }
  close(items.length);
  const letters = new Map<number, string>();
  const out: TruthStrain[] = [];
  for (const s of strains) {
    if (s.end - s.start <= 1e-9) continue;
    if (!letters.has(s.section)) letters.set(s.section, String.fromCharCode(65 + (letters.size % 26)));
    out.push({ letter: letters.get(s.section)!, start: Math.round(s.start), end: Math.round(s.end) });
  }
  return { length: Math.round(t), strains: out, onsets };
}

/** A strain shorter than `min` steps (a pickup before "|:") joins the next one, or the last one. */
function mergeShortStrains(strains: readonly TruthStrain[], min: number): TruthStrain[] {
  const out: TruthStrain[] = [];
  let carry: number | null = null;
  for (const s of strains) {
    if (s.end - s.start < min) {
      if (carry === null) carry = s.start;
      continue;
    }
    out.push(carry === null ? s : { ...s, start: carry });
    carry = null;
  }
  if (carry !== null && out.length > 0)
    out[out.length - 1] = { ...out[out.length - 1]!, end: strains.at(-1)!.end };
  // Letters again in order of first appearance.
  const names = new Map<string, string>();
  return out.map((s) => {
    if (!names.has(s.letter)) names.set(s.letter, String.fromCharCode(65 + (names.size % 26)));
    return { ...s, letter: names.get(s.letter)! };
  });
}

/* ------------------------------------------------------------------------------------------
 * The evaluation
 * ---------------------------------------------------------------------------------------- */

/** What the evaluation reads from an analysis (an Analysis has all of it). */
export interface FormReading {
  readonly phrases: readonly {
    readonly firstNote: number;
    readonly label: string;
    readonly relation: string;
  }[];
  /** Strains as the analysis finds them; absent in analyses made before strains existed. */
  readonly strains?: readonly { readonly firstNote: number; readonly letter: string }[];
  /** Where the analysis hears the barlines (0 when absent). */
  readonly barOffset?: number;
}

export interface FormEvalOptions {
  /** Which tunes: the fixed eval split (one in ten, src-core/model/corpus-split.ts), train, or all. */
  readonly split?: 'eval' | 'train' | 'all';
  /** At most this many tunes (the first by path), for a quick run. */
  readonly maxTunes?: number;
  /** The analysis to evaluate (default: analyzeMelody). */
  readonly analyse?: (melody: Melody) => FormReading;
}

/** One evaluated tune. */
export interface FormRow {
  /** The MIDI file, relative to the corpus root. */
  readonly path: string;
  readonly title: string;
  readonly collection: string;
  /** Strain letters from the ABC repeat signs, e.g. "AABB". */
  readonly truth: string;
  /** Strain letters the analysis found, or null when it finds none. */
  readonly found: string | null;
  /** Strain starts after the first: in the ABC, in the analysis, and those matched within a beat. */
  readonly trueStarts: number;
  readonly foundStarts: number;
  readonly matchedStarts: number;
  /** Opens with a pickup and plays its first strain twice: is the second pass's first phrase a repeat? Else null. */
  readonly pickupRepeat: boolean | null;
  /** As pickupRepeat, but counting a varied repeat too (the same letter: A'). */
  readonly pickupSameLetter: boolean | null;
  /** The ABC's strains are all 8 bars and its form is AABB. */
  readonly eightBarAabb: boolean;
  /** Steps from the MIDI file's barlines to the ABC's, and to those the analysis hears (Analysis.barOffset). */
  readonly abcOffset: number;
  readonly foundOffset: number;
  /** The analysis hears the barlines where the ABC has them. */
  readonly barlinesRight: boolean;
}

export interface FormFigures {
  readonly tunes: number;
  readonly formExact: number;
  readonly countRight: number;
  /** Strain starts after the first: in the ABC, found by the analysis, and found within a beat of the ABC's. */
  readonly trueStarts: number;
  readonly foundStarts: number;
  readonly matchedStarts: number;
  readonly pickupTunes: number;
  readonly pickupRepeats: number;
  readonly pickupSameLetter: number;
  readonly eightBarAabbTunes: number;
  readonly eightBarAabbFound: number;
  readonly barlinesRight: number;
}

export interface FormEvaluation {
  readonly rows: readonly FormRow[];
  /** Tunes left out, by reason. */
  readonly skipped: Readonly<Record<string, number>>;
  /** Figures over all rows, and per collection. */
  readonly total: FormFigures;
  readonly byCollection: Readonly<Record<string, FormFigures>>;
}

const defaultAnalyse = (m: Melody): FormReading => analyzeMelody(m) satisfies Analysis;

/** Reads the tunes under `root` (folk-pd's folder), analyses their MIDI files and scores the form. */
export function evaluateForm(root: string, options: FormEvalOptions = {}): FormEvaluation {
  const split = options.split ?? 'eval';
  const analyse = options.analyse ?? defaultAnalyse;
  const rows: FormRow[] = [];
  const skipped: Record<string, number> = {};
  const skip = (why: string): void => {
    skipped[why] = (skipped[why] ?? 0) + 1;
  };
  const abcRoot = join(root, 'abc');
  for (const abcFile of listFiles(abcRoot, '.abc')) {
    const collection = relative(abcRoot, abcFile).split(sep)[0]!;
    for (const form of readAbcForms(readFileSync(abcFile, 'latin1'))) {
      if (options.maxTunes !== undefined && rows.length >= options.maxTunes) break;
      const path = `midi/${collection}/${basename(abcFile, '.abc')}${form.x}.mid`;
      if (split !== 'all' && splitOf(path) !== split) continue;
      if (!form.hasRepeats) {
        skip('no repeat signs');
        continue;
      }
      if (form.unsupported) {
        skip(`ABC has ${form.unsupported}`);
        continue;
      }
      if (!existsSync(join(root, path))) {
        skip('no MIDI file');
        continue;
      }
      const parsed = readMidi(new Uint8Array(readFileSync(join(root, path))));
      const melody = parsed.ok ? extractMelody(parsed.value) : parsed;
      if (!melody.ok || melody.value.notes.length === 0) {
        skip('MIDI file unreadable');
        continue;
      }
      const notes = melody.value.notes;
      if (Math.abs(notes.at(-1)!.end - form.length) > form.beatSteps || !onsetsAgree(form, notes)) {
        skip('ABC and MIDI disagree');
        continue;
      }
      rows.push(scoreTune(path, collection, form, melody.value, analyse(melody.value)));
    }
  }
  const byCollection: Record<string, FormFigures> = {};
  for (const c of [...new Set(rows.map((r) => r.collection))].sort()) {
    byCollection[c] = figuresOf(rows.filter((r) => r.collection === c));
  }
  return { rows, skipped, total: figuresOf(rows), byCollection };
}

/** At least 85% of the MIDI notes start within a step of an ABC note (abc2midi swings hornpipes). */
function onsetsAgree(form: AbcForm, notes: Melody['notes']): boolean {
  const abc = new Set(form.onsets);
  const near = notes.filter((n) => abc.has(n.start) || abc.has(n.start - 1) || abc.has(n.start + 1));
  return near.length >= 0.85 * notes.length;
}

function scoreTune(path: string, collection: string, form: AbcForm, melody: Melody, a: FormReading): FormRow {
  const onset = (i: number): number => melody.notes[i]?.start ?? melody.length;
  const truth = form.strains.map((s) => s.letter).join('');
  const trueStarts = form.strains.slice(1).map((s) => s.start);
  const foundStarts = (a.strains ?? []).slice(1).map((s) => onset(s.firstNote));
  const used = new Set<number>();
  let matched = 0;
  for (const t of trueStarts) {
    const k = foundStarts.findIndex((f, i) => !used.has(i) && Math.abs(f - t) <= form.beatSteps);
    if (k >= 0) {
      used.add(k);
      matched++;
    }
  }
  let pickupRepeat: boolean | null = null;
  let pickupSameLetter: boolean | null = null;
  const [first, second] = form.strains;
  if (form.pickup && first && second && first.letter === second.letter && a.phrases.length > 1) {
    let best = -1;
    a.phrases.forEach((p, i) => {
      const d = Math.abs(onset(p.firstNote) - second.start);
      if (d <= form.beatSteps && (best < 0 || d < Math.abs(onset(a.phrases[best]!.firstNote) - second.start)))
        best = i;
    });
    const p = best > 0 ? a.phrases[best]! : null;
    const first = a.phrases[0]!.label;
    pickupRepeat = p !== null && p.relation === 'exact' && p.label === first;
    pickupSameLetter = p !== null && p.label.replace(/'+$/, '') === first.replace(/'+$/, '');
  }
  return {
    path,
    title: form.title,
    collection,
    truth,
    found: a.strains ? a.strains.map((s) => s.letter).join('') : null,
    trueStarts: trueStarts.length,
    foundStarts: foundStarts.length,
    matchedStarts: matched,
    pickupRepeat,
    pickupSameLetter,
    eightBarAabb: truth === 'AABB' && form.strains.every((s) => s.end - s.start === 8 * form.barSteps),
    abcOffset: form.pickupSteps % form.barSteps,
    foundOffset: a.barOffset ?? 0,
    barlinesRight: (a.barOffset ?? 0) === form.pickupSteps % form.barSteps,
  };
}

function figuresOf(rows: readonly FormRow[]): FormFigures {
  const sum = (f: (r: FormRow) => number): number => rows.reduce((s, r) => s + f(r), 0);
  const aabb = rows.filter((r) => r.eightBarAabb);
  return {
    tunes: rows.length,
    formExact: rows.filter((r) => r.found === r.truth).length,
    countRight: rows.filter((r) => r.found !== null && r.found.length === r.truth.length).length,
    trueStarts: sum((r) => r.trueStarts),
    foundStarts: sum((r) => r.foundStarts),
    matchedStarts: sum((r) => r.matchedStarts),
    pickupTunes: rows.filter((r) => r.pickupRepeat !== null).length,
    pickupRepeats: rows.filter((r) => r.pickupRepeat === true).length,
    pickupSameLetter: rows.filter((r) => r.pickupSameLetter === true).length,
    eightBarAabbTunes: aabb.length,
    eightBarAabbFound: aabb.filter((r) => r.found === 'AABB').length,
    barlinesRight: rows.filter((r) => r.barlinesRight).length,
  };
}

function listFiles(dir: string, ending: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(ending)) found.push(p);
    }
  };
  walk(dir);
  return found;
}

const percent = (n: number, of: number): string => (of === 0 ? '-' : `${((100 * n) / of).toFixed(1)}%`);

/** The figures as a Markdown table, one row per collection and a total. */
export function formatFormTable(e: FormEvaluation): string {
  const line = (name: string, f: FormFigures): string =>
    `| ${name} | ${f.tunes} | ${percent(f.formExact, f.tunes)} | ${percent(f.countRight, f.tunes)} | ` +
    `${percent(f.matchedStarts, f.trueStarts)} / ${percent(f.matchedStarts, f.foundStarts)} | ` +
    `${percent(f.eightBarAabbFound, f.eightBarAabbTunes)} of ${f.eightBarAabbTunes} | ` +
    `${percent(f.pickupRepeats, f.pickupTunes)} (${percent(f.pickupSameLetter, f.pickupTunes)}) of ${f.pickupTunes} | ` +
    `${percent(f.barlinesRight, f.tunes)} |`;
  return [
    '| collection | tunes | strain form exact | strain count right | strain starts found / right | 8-bar AABB found as AABB | pickup tunes: 2nd pass opens with a repeat of phrase 1 (same letter) | barlines where the ABC has them |',
    '|---|---|---|---|---|---|---|---|',
    ...Object.entries(e.byCollection).map(([c, f]) => line(c, f)),
    line('all', e.total),
  ].join('\n');
}

// Run only when started as a script, so another script can import evaluateForm.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      split: { type: 'string', default: 'eval' },
      max: { type: 'string' },
      list: { type: 'boolean', default: false },
    },
  });
  const repo = fileURLToPath(new URL('../../', import.meta.url));
  const root = resolve(positionals[0] ?? join(repo, '..', 'shared', 'datasets', 'folk-pd'));
  if (!existsSync(join(root, 'abc')) || !existsSync(join(root, 'midi'))) {
    console.error(
      `folk-pd was not found at ${root} (it needs abc/ and midi/ folders). Pass its folder: npx tsx scripts/eval/form.ts DIR`,
    );
    process.exit(1);
  }
  const split = values.split as 'eval' | 'train' | 'all';
  if (!['eval', 'train', 'all'].includes(split)) {
    console.error(`--split must be eval, train or all, not "${values.split}".`);
    process.exit(1);
  }
  const started = performance.now();
  const e = evaluateForm(root, { split, ...(values.max ? { maxTunes: Number(values.max) } : {}) });
  if (values.list) {
    for (const r of e.rows) {
      const mark = r.found === r.truth ? ' ' : '*';
      console.log(
        `${mark} ${r.path}  truth ${r.truth}  found ${r.found ?? '-'}  starts ${r.matchedStarts}/${r.trueStarts} of ${r.foundStarts}` +
          `${r.pickupRepeat === null ? '' : r.pickupRepeat ? '  pickup repeat ok' : '  pickup repeat MISSED'}` +
          `${r.barlinesRight ? '' : `  barlines at +${r.foundOffset}, ABC +${r.abcOffset}`}  ${r.title}`,
      );
    }
  }
  console.log(`Strains and phrases against ABC repeat signs, folk-pd ${split} split (${root})\n`);
  console.log(formatFormTable(e));
  const skipped = Object.entries(e.skipped)
    .map(([why, n]) => `${why} ${n}`)
    .join(', ');
  console.log(`\nLeft out: ${skipped || 'none'}. ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}
