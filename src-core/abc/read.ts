/**
 * Reading ABC files (abc standard 2.1, abcnotation.com) into Cantus melodies: `readAbc` lists the
 * tunes of a file, `abcTuneToMelody` plays one through (perform.ts) and places it on the 16th grid
 * by the same rules as a MIDI file (midi/monophony.ts: rounding, the top note of a chord; triplets
 * kept as `Melody.tuplets` by midi/triplets.ts). Bad input is a value with a message, never a throw.
 */
import type { StatedMeter } from '../music/bars.ts';
import {
  DEFAULT_TEMPO,
  DEFAULT_VELOCITY,
  MODES,
  makeMelody,
  stepsPerBar,
  type Key,
  type KeyChange,
  type Melody,
  type Meter,
  type MeterChange,
  type Mode,
} from '../music/melody.ts';
import { quantizeNote, quartersToStep, reduceToMonophony } from '../midi/monophony.ts';
import { findTriplets } from '../midi/triplets.ts';
import { fail, ok, type Result } from '../result.ts';
import { parseTune, splitTuneBook, type AbcKeyElement, type AbcMeterElement } from './abcjs.ts';
import { performVoice, type Performance } from './perform.ts';

/** The largest ABC file read: far beyond any tune book (folk-pd's largest file is under 100 KB). */
export const MAX_ABC_CHARS = 4_000_000;
/** The largest single tune read. */
export const MAX_TUNE_CHARS = 200_000;
/** The most notes one tune may play, repeats played out. */
export const MAX_ABC_NOTES = 50_000;

export interface AbcTuneEntry {
  /** The X: reference number as written ("" when the tune has none). */
  readonly x: string;
  readonly title: string;
  /** The tune's own text, from its X: line. */
  readonly text: string;
}

/**
 * The tunes of an ABC file, in order. Fails on text that is not ABC (binary, too large, no tune).
 * @example readAbc('X:1\nT:Tune\nK:D\nDEF|\n') // => ok({ tunes: [{ x: '1', title: 'Tune', text: … }] })
 */
export function readAbc(text: string): Result<{ readonly tunes: readonly AbcTuneEntry[] }> {
  if (text.length > MAX_ABC_CHARS) {
    return fail(
      'abc/too-large',
      `This ABC file has ${text.length.toLocaleString('en')} characters; Cantus reads files of up to ${MAX_ABC_CHARS.toLocaleString('en')}. Split it into smaller files.`,
    );
  }
  if (!looksLikeText(text)) {
    return fail(
      'abc/not-text',
      'This file is not text, so it is not ABC. Choose an .abc file written as plain text.',
    );
  }
  const book = splitTuneBook(text);
  if ('error' in book)
    return fail(
      'abc/unreadable',
      `This ABC file could not be read: ${book.error}. Check that it is ABC notation.`,
    );
  const tunes = book
    .filter((t) => /^\s*X:/.test(t.abc))
    .map((t) => ({ x: t.id.trim(), title: t.title.trim(), text: t.abc }));
  if (tunes.length === 0) {
    return fail(
      'abc/no-tunes',
      'This file has no ABC tune: each tune starts with an "X:" line, then its header and a "K:" line. Check the file.',
    );
  }
  return ok({ tunes });
}

/** The tune with reference number `x`, or a message listing the ones there are. */
export function chooseAbcTune(tunes: readonly AbcTuneEntry[], x?: string): Result<AbcTuneEntry> {
  if (x === undefined) return tunes[0] ? ok(tunes[0]) : fail('abc/no-tunes', 'This file has no ABC tune.');
  const wanted = x.trim();
  // "1" finds X:0001 too, as people write the number.
  const found = tunes.find(
    (t) => t.x === wanted || (/^\d+$/.test(wanted) && /^\d+$/.test(t.x) && Number(t.x) === Number(wanted)),
  );
  if (found) return ok(found);
  const listed = tunes.slice(0, 20).map((t) => `${t.x}${t.title ? ` (${t.title})` : ''}`);
  return fail(
    'abc/no-such-tune',
    `This file has no tune X:${x}. Choose one of: ${listed.join(', ')}${tunes.length > 20 ? `, and ${tunes.length - 20} more` : ''}.`,
  );
}

export interface AbcMelodyOptions {
  /** `written` (default): the notes as written. `abc2midi`: grace notes and ornaments played as abc2midi plays them. */
  readonly performance?: Performance;
  /** The voice to read, from 0 (default: the first). */
  readonly voice?: number;
}

/** A tune as a Cantus melody (rules in perform.ts and the header). */
export function abcTuneToMelody(tune: AbcTuneEntry, options: AbcMelodyOptions = {}): Result<Melody> {
  if (tune.text.length > MAX_TUNE_CHARS) {
    return fail(
      'abc/tune-too-large',
      `Tune X:${tune.x} has ${tune.text.length.toLocaleString('en')} characters; Cantus reads tunes of up to ${MAX_TUNE_CHARS.toLocaleString('en')}.`,
    );
  }
  const parsed = parseTune(tune.text);
  if ('error' in parsed)
    return fail('abc/unreadable', `Tune X:${tune.x} could not be read: ${parsed.error}. Check its notation.`);
  const voiceIndex = options.voice ?? 0;
  const voice = parsed.voices[voiceIndex];
  if (!voice) {
    return fail(
      parsed.voices.length === 0 ? 'abc/no-notes' : 'abc/no-such-voice',
      parsed.voices.length === 0
        ? `Tune X:${tune.x} has no music after its K: line. Check that the notes follow the header.`
        : `Tune X:${tune.x} has ${parsed.voices.length} voice${parsed.voices.length === 1 ? '' : 's'}; there is no voice ${voiceIndex + 1}.`,
    );
  }
  const header = headerFields(tune.text);
  const meter = meterOf(parsed.meter) ?? { numerator: 4, denominator: 4 };
  const unit = header.unit ?? (meter.numerator / meter.denominator < 0.75 ? 1 / 16 : 1 / 8);
  const played = performVoice(voice.elements, {
    performance: options.performance ?? 'written',
    unit,
    hornpipe: isSwungHornpipe(header.rhythm, parsed.meter, unit),
    tempo: parsed.tempo ?? DEFAULT_TEMPO,
    maxNotes: MAX_ABC_NOTES,
  });
  if (played.truncated) {
    return fail(
      'abc/too-many-notes',
      `Tune X:${tune.x} plays more than ${MAX_ABC_NOTES.toLocaleString('en')} notes with its repeats; Cantus reads shorter tunes.`,
    );
  }
  if (played.notes.length === 0) {
    return fail('abc/no-notes', `Tune X:${tune.x} has no notes. Check that the notes follow the K: line.`);
  }
  const PPQ = 480;
  const raw = played.notes.map((n) => ({
    track: 0,
    channel: 0,
    pitch: n.pitch,
    velocity: DEFAULT_VELOCITY,
    startTick: Math.round(n.start * 4 * PPQ),
    endTick: Math.round(n.end * 4 * PPQ),
  }));
  const notes = reduceToMonophony(
    raw.map((n) =>
      quantizeNote({
        pitch: n.pitch,
        startQuarters: n.startTick / PPQ,
        endQuarters: n.endTick / PPQ,
        velocity: n.velocity,
      }),
    ),
  );
  const stated: StatedMeter[] = [];
  for (const m of played.meters) {
    const read = meterOf(m.meter);
    if (read) stated.push({ at: quartersToStep(m.at * 4), meter: read });
  }
  // ABC states its meters at barlines and writes an upbeat as a short first bar, so both are
  // read as written (not as a MIDI file's signatures, barsFromSignatures).
  const firstMeter = stated[0]?.at === 0 ? stated[0].meter : meter;
  const meterChanges: MeterChange[] = [];
  let inForce = firstMeter;
  for (const s of stated) {
    if (
      s.at === 0 ||
      (s.meter.numerator === inForce.numerator && s.meter.denominator === inForce.denominator)
    )
      continue;
    const last = meterChanges.at(-1);
    if (last && last.at === s.at) meterChanges.pop();
    meterChanges.push(s);
    inForce = s.meter;
  }
  const barline = played.firstBarline === null ? 0 : quartersToStep(played.firstBarline * 4);
  const pickup = barline > 0 && barline < stepsPerBar(firstMeter) ? barline : 0;
  const key = keyOf(parsed.key);
  const keyChanges: KeyChange[] = [];
  let current = key;
  for (const k of played.keys) {
    const read = keyOf(k.key);
    const at = quartersToStep(k.at * 4);
    if (!read || at === 0 || (current && read.tonic === current.tonic && read.mode === current.mode))
      continue;
    keyChanges.push({ at, key: read });
    current = read;
  }
  const plain = makeMelody({
    notes,
    meter: firstMeter,
    pickup,
    meterChanges: meterChanges.filter((c) => c.at > pickup),
    tempo: parsed.tempo ?? DEFAULT_TEMPO,
    key,
    keyChanges,
    length: quartersToStep(played.end * 4),
    ...(parsed.title || tune.title ? { title: parsed.title || tune.title } : {}),
  });
  const tuplets = findTriplets(raw, PPQ, plain);
  return ok(tuplets.length > 0 ? { ...plain, tuplets } : plain);
}

/** Text has no NUL and few other control characters. */
function looksLikeText(text: string): boolean {
  let control = 0;
  const sample = Math.min(text.length, 65_536);
  for (let i = 0; i < sample; i++) {
    const c = text.charCodeAt(i);
    if (c === 0 || c === 0xfffd) return false;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
  }
  return control <= sample / 100;
}

/** The header's L: (in whole notes) and R: fields. */
function headerFields(text: string): { unit: number | null; rhythm: string | null } {
  let unit: number | null = null;
  let rhythm: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    const field = /^([A-Za-z]):\s*(.*)$/.exec(line);
    if (!field) continue;
    if (field[1] === 'L' && unit === null) {
      const m = /^(\d+)\s*\/\s*(\d+)/.exec(field[2]!);
      if (m && Number(m[1]) > 0 && Number(m[2]) > 0) unit = Number(m[1]) / Number(m[2]);
    }
    if (field[1] === 'R' && rhythm === null) rhythm = field[2]!;
    if (field[1] === 'K') break;
  }
  return { unit, rhythm };
}

/**
 * abc2midi swings a hornpipe (R:hornpipe) only in common time (M:4/4 or M:C, not M:C| or 2/4)
 * with a unit length of an eighth: the rhythm of its files, checked against abc2midi 4.84.
 */
function isSwungHornpipe(rhythm: string | null, meter: AbcMeterElement | null, unit: number): boolean {
  if (!/hornpipe/i.test(rhythm ?? '') || Math.abs(unit - 1 / 8) > 1e-9) return false;
  const read = meter?.type === 'cut_time' ? null : meterOf(meter);
  return read !== null && read.numerator === 4 && read.denominator === 4;
}

/** A meter Cantus keeps (denominator 2, 4, 8 or 16), or null for free meter and odd ones. */
function meterOf(el: AbcMeterElement | null): Meter | null {
  if (!el) return null;
  if (el.type === 'common_time') return { numerator: 4, denominator: 4 };
  if (el.type === 'cut_time') return { numerator: 2, denominator: 2 };
  const first = el.value?.[0];
  if (!first) return null;
  const numerator = String(first.num)
    .split('+')
    .reduce((s, n) => s + Number(n), 0);
  const denominator = Number(first.den);
  if (!Number.isInteger(numerator) || numerator < 1 || numerator > 64) return null;
  if (![2, 4, 8, 16].includes(denominator)) return null;
  return { numerator, denominator };
}

const ABCJS_MODES: Readonly<Record<string, Mode>> = {
  '': 'major',
  maj: 'major',
  ion: 'major',
  m: 'minor',
  min: 'minor',
  aeo: 'minor',
  dor: 'dorian',
  mix: 'mixolydian',
  phr: 'phrygian',
  lyd: 'lydian',
  loc: 'locrian',
};

/** A K: field as a Cantus key, or null for K:none and highland pipes. */
function keyOf(el: AbcKeyElement | null): Key | null {
  if (!el || !el.root || !/^[A-G]$/.test(el.root)) return null;
  const mode = ABCJS_MODES[(el.mode ?? '').toLowerCase().slice(0, 3)];
  if (!mode || !MODES.includes(mode)) return null;
  const acc = el.acc === '#' || el.acc === 'b' ? el.acc : '';
  return { tonic: `${el.root}${acc}`, mode };
}
