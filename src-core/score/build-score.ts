/**
 * Melody -> Score: every notation decision made once, as plain data for the renderer.
 *
 * KEY: `options.key`, else the key `readMelodyKey` (music/key-finding.ts) reads: the declared
 * signature in the key its notes are in, else the key found from the notes; the same rule the
 * analysis follows. A key needing more than 7 sharps or flats is respelled (G# major -> Ab major).
 * Where the key changes (music/key-regions.ts, the same regions the analysis uses) notes are
 * spelled and given accidentals in the new key, and a bar where the signature changes carries
 * it (`keyChange`).
 *
 * MEASURES: the melody's bars (music/bars.ts): a pickup, time signature changes, and enough
 * bars for its length and last note, at least one. Each measure's events follow one another
 * without gaps from the measure start, and their durations add up to the bar's length. Time not
 * covered by a note is rest. A pickup is written as the end of a full bar (an eighth upbeat in
 * 6/8 sits on the last eighth's beat); a bar that a change cuts short, as its beginning. A bar
 * whose meter differs from the bar before (the pickup aside) carries it (`meterChange`).
 *
 * BEATS (see rhythm.ts): 2/4, 3/4, 4/4 beat on the quarter (4 steps); 6/8 (and 3/8, 9/8,
 * 12/8) on the dotted quarter (6 steps); 2/2 on the half. Other x/8 meters group eighths
 * in twos with a final three (5/8 = 2+3, 7/8 = 2+2+3). With an even number of equal beats
 * (2/4, 4/4, 6/8, 12/8, 2/2) the half-bar is a line only notes starting on beat 1 cross.
 *
 * SPLITTING NOTES: a note crossing a barline is split there and the pieces tied. Within a
 * bar each note is written, from its start, as the longest value from w, h., h, q., q, 8.,
 * 8, 16 that obeys these rules, and so on until the note ends (every piece tied to the next):
 * - A value starting off the beat ends by the next beat (syncopations show the beat with a
 *   tie: a quarter on the "and" of 1 in 4/4 is two tied eighths). In compound meters a value
 *   starting between eighths also ends by the next eighth.
 * - A value starting on a beat may stay inside that beat, end exactly on a later beat, or be
 *   dotted with its undotted part ending on a beat (q. on beat 1 or 3 of 4/4, or on beat 2
 *   of 3/4; h. on beat 1 of 4/4 or 3/4).
 * - Nothing crosses the half-bar line unless it starts on beat 1. So in 4/4: w and h. only
 *   on beat 1, h on beat 1 or 3, q. on beat 1 or 3; a note from beat 2 lasting three beats
 *   is written q tied to h.
 * - Double-dotted values are never produced.
 * TRIPLETS (music/tuplets.ts): a triplet the notes fit, inside one bar, is written as three
 * eighths (or quarters) marked `tuplet`, whatever grid steps its notes round to.
 *
 * RESTS follow the same rules but are never tied, and in simple meters are never dotted
 * (a dotted-quarter rest in 4/4 is written q 8). A measure with no notes at all holds one
 * whole rest (value 'w', dots 0) whose duration is a full bar in every meter: in 3/4 it
 * lasts 12 steps and in 6/8 12 steps. This is the one case where `duration` is not the
 * length of value plus dots.
 *
 * BEAMS: consecutive eighth and sixteenth notes (dotted or not; rests break a beam) inside
 * the same beat share a beam: four eighths in 4/4 make two beamed pairs; three eighths in
 * 6/8 make one group. A lone note is unbeamed (beam null). Beam ids count from 0 in each
 * measure.
 *
 * ACCIDENTALS: pitches are spelled with spellPitch (music/spelling.ts). A note shows an
 * accidental when its alteration differs from what the key signature, or an earlier
 * accidental in the same measure on the same letter and octave, implies; it then holds to
 * the end of the measure for that letter and octave. A natural ('n') cancels. The tied
 * continuation of a note never shows an accidental, also across a barline; after such a
 * tie the next note on that letter and octave follows the key signature again, and if it
 * differs from the tied note it shows its accidental (a courtesy natural, for example).
 *
 * CLEF: bass when the median pitch of the notes is below G3 (MIDI 55), else treble.
 *
 * Notes are expected sorted and non-overlapping (a valid Melody). An overlapping note is
 * shortened to start where the previous one ends, and notes off the grid are rounded to
 * it, so the result is always a well-formed score.
 */
import { keyFifths } from '../music/key.ts';
import { readMelodyKey } from '../music/key-finding.ts';
import { barGrid, meterName, type Bar, type BarGrid } from '../music/bars.ts';
import { melodyKeyRegions, regionAtBar } from '../music/key-regions.ts';
import type { Key, Melody, Steps } from '../music/melody.ts';
import { signatureAlter, spellPitch } from '../music/spelling.ts';
import { fittingTuplets, tripletSlots } from '../music/tuplets.ts';
import { beatLayout, splitInBar, type BeatLayout } from './rhythm.ts';
import type { Accidental, Measure, Score, ScoreEvent, SpelledPitch } from './types.ts';

export interface BuildScoreOptions {
  /** Write the score in this key instead of the one readMelodyKey (music/key-finding.ts) reads. */
  readonly key?: Key;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Draft extends Mutable<ScoreEvent> {
  /** True for a tied piece that is not the first piece of its melody note. */
  continuation: boolean;
}

/**
 * Lays out a melody as a score: measures, rests, ties, beams, key signature, accidentals.
 * @example buildScore(makeMelody({ notes: parseNotes("C4/16") })).measures[0].events[0].value // => 'w'
 */
export function buildScore(melody: Melody, options: BuildScoreOptions = {}): Score {
  const reading = readMelodyKey(melody, options.key);
  const key = reading.key;
  const fifths = keyFifths(key);
  const regions = melodyKeyRegions(melody, reading);
  const lastEnd = melody.notes.reduce((m, n) => Math.max(m, Math.round(n.end)), 0);
  const grid = barGrid(melody, lastEnd);
  const layouts = new Map<string, BeatLayout>();
  const bars: DraftBar[] = grid.bars.map((bar) => {
    const name = meterName(bar.meter);
    const layout = layouts.get(name) ?? beatLayout(bar.meter);
    layouts.set(name, layout);
    return { ...bar, layout, events: [] };
  });
  const end = bars.at(-1)!.start + bars.at(-1)!.length;

  // Triplets the notes fit and that lie inside one bar are written as triplets.
  const triplets = new Map(
    fittingTuplets(melody)
      .filter((f) => grid.barAt(f.tuplet.start) === grid.barAt(f.tuplet.start + f.tuplet.span - 1))
      .map((f) => [f.notes[0], f]),
  );
  let cursor: Steps = 0;
  let through = -1; // the last note a triplet has written
  melody.notes.forEach((note, index) => {
    if (index <= through) return;
    const triplet = triplets.get(index);
    if (triplet && note.start >= cursor) {
      const slots = tripletSlots(triplet.tuplet);
      if (slots[0] > cursor) addRest(bars, grid, cursor, slots[0]);
      const bar = bars[grid.barAt(slots[0])]!;
      const value = triplet.tuplet.span === 4 ? '8' : 'q';
      triplet.notes.forEach((i, k) => {
        const region = regionAtBar(regions, grid.barAt(slots[k]!))?.key ?? key;
        bar.events.push({
          ...blank(slots[k]!, slots[k + 1]! - slots[k]!, value, 0),
          kind: 'note',
          noteIndex: i,
          pitch: spellPitch(melody.notes[i]!.pitch, region),
          tuplet: slots[0],
        });
      });
      cursor = slots[3];
      through = triplet.notes[2];
      return;
    }
    const start = Math.max(cursor, Math.round(note.start));
    const noteEnd = Math.round(note.end);
    if (noteEnd <= start) return;
    if (start > cursor) addRest(bars, grid, cursor, start);
    const region = regionAtBar(regions, grid.barAt(start))?.key ?? key;
    addNote(bars, grid, start, noteEnd, index, spellPitch(note.pitch, region));
    cursor = noteEnd;
  });
  if (cursor < end) addRest(bars, grid, cursor, end);

  // A tempo change is marked on the bar it falls in (the last of several in one bar).
  const tempoIn = new Map((melody.tempoChanges ?? []).map((c) => [grid.barAt(c.at), c.bpm] as const));
  let previous = fifths;
  const measures: Measure[] = bars.map((bar, index) => {
    const region = regionAtBar(regions, index)?.key ?? key;
    const here = keyFifths(region);
    setBeams(bar);
    setAccidentals(bar.events, here, bar.start);
    // A new signature is drawn only when it differs (G major to E minor keeps one sharp).
    const changes = index > 0 && here !== previous;
    previous = here;
    const before = bars[index - 1];
    const meterChanges =
      before !== undefined && !before.pickup && meterName(before.meter) !== meterName(bar.meter);
    return {
      index,
      number: bar.number,
      start: bar.start,
      length: bar.length,
      meter: bar.meter,
      ...(bar.pickup ? { pickup: true } : {}),
      events: bar.events.map(toEvent),
      ...(changes ? { keyChange: { key: region, fifths: here } } : {}),
      ...(meterChanges ? { meterChange: bar.meter } : {}),
      ...(tempoIn.has(index) ? { tempoChange: tempoIn.get(index)! } : {}),
    };
  });

  return {
    meter: melody.meter,
    keySignature: { key, fifths },
    clef: chooseClef(melody.notes.map((n) => n.pitch)),
    measures,
    noteCount: melody.notes.length,
  };
}

/** A bar being filled: where it lies, its beats, and its written events so far. */
interface DraftBar extends Bar {
  readonly layout: BeatLayout;
  readonly events: Draft[];
}

/**
 * Calls `piece` for each stretch of [start, end) inside one bar, with the stretch's offsets
 * within a full bar of that bar's meter (a pickup lies at the end of its bar).
 */
function eachBar(
  bars: readonly DraftBar[],
  grid: BarGrid,
  start: Steps,
  end: Steps,
  piece: (bar: DraftBar, from: Steps, to: Steps, whole: boolean) => void,
): void {
  for (let at = start; at < end;) {
    const bar = bars[grid.barAt(at)]!;
    const barEnd = bar.start + bar.length;
    const segmentEnd = Math.min(end, barEnd);
    const whole = at === bar.start && segmentEnd === barEnd && bar.length === bar.layout.stepsPerBar;
    piece(bar, at - bar.start + bar.offset, segmentEnd - bar.start + bar.offset, whole);
    at = segmentEnd;
  }
}

/** A rest from `start` (a note once its kind, index and pitch are set), unbeamed and untied. */
function blank(start: Steps, duration: Steps, value: ScoreEvent['value'], dots: ScoreEvent['dots']): Draft {
  return {
    kind: 'rest',
    start,
    duration,
    value,
    dots,
    noteIndex: null,
    pitch: null,
    accidental: null,
    tieToNext: false,
    beam: null,
    continuation: false,
  };
}

function addNote(
  bars: readonly DraftBar[],
  grid: BarGrid,
  start: Steps,
  end: Steps,
  noteIndex: number,
  pitch: SpelledPitch,
): void {
  let last: Draft | undefined;
  eachBar(bars, grid, start, end, (bar, from, to) => {
    for (const piece of splitInBar(bar.layout, from, to, 'note')) {
      last = {
        ...blank(bar.start - bar.offset + piece.offset, piece.steps, piece.value, piece.dots),
        kind: 'note',
        noteIndex,
        pitch,
        tieToNext: true,
        continuation: last !== undefined,
      };
      bar.events.push(last);
    }
  });
  if (last) last.tieToNext = false;
}

function addRest(bars: readonly DraftBar[], grid: BarGrid, start: Steps, end: Steps): void {
  eachBar(bars, grid, start, end, (bar, from, to, whole) => {
    const rest = (
      offset: Steps,
      duration: Steps,
      value: ScoreEvent['value'],
      dots: ScoreEvent['dots'],
    ): Draft => blank(bar.start - bar.offset + offset, duration, value, dots);
    if (whole) {
      // A whole empty measure: one whole rest, whatever the meter.
      bar.events.push(rest(0, bar.length, 'w', 0));
    } else {
      for (const piece of splitInBar(bar.layout, from, to, 'rest')) {
        bar.events.push(rest(piece.offset, piece.steps, piece.value, piece.dots));
      }
    }
  });
}

/** Beams runs of two or more eighth/sixteenth notes that lie inside one beat. */
function setBeams(bar: DraftBar): void {
  const { events, layout } = bar;
  let nextId = 0;
  let group: Draft[] = [];
  let groupBeat = -1;
  const close = (): void => {
    if (group.length >= 2) {
      const id = nextId++;
      for (const e of group) e.beam = id;
    }
    group = [];
  };
  for (const e of events) {
    const offset = e.start - bar.start + bar.offset;
    const beat = layout.beatStartAt[offset]!;
    const beamable =
      e.kind === 'note' &&
      (e.value === '8' || e.value === '16') &&
      offset + e.duration <= layout.beatEndAt[offset]!;
    if (!beamable) {
      close();
      continue;
    }
    if (beat !== groupBeat) close();
    groupBeat = beat;
    group.push(e);
  }
  close();
}

/** Decides the printed accidental of each note in one measure (rules in the header). */
function setAccidentals(events: Draft[], fifths: number, barStart: Steps): void {
  const inForce = new Map<string, number>();
  const tiedIn = new Map<string, number>();
  for (const e of events) {
    const p = e.pitch;
    if (e.kind !== 'note' || !p) continue;
    const slot = `${p.letter}${p.octave}`;
    if (e.continuation) {
      // A tie carries the sound, not the accidental, into a new measure.
      if (e.start === barStart) tiedIn.set(slot, p.alter);
      continue;
    }
    const expected = inForce.get(slot) ?? signatureAlter(fifths, p.letter);
    const courtesy = tiedIn.has(slot) && tiedIn.get(slot) !== p.alter;
    tiedIn.delete(slot);
    if (p.alter !== expected || courtesy) {
      e.accidental = accidentalFor(p.alter);
      inForce.set(slot, p.alter);
    }
  }
}

function accidentalFor(alter: number): Accidental {
  switch (alter) {
    case 0:
      return 'n';
    case 1:
      return '#';
    case -1:
      return 'b';
    case 2:
      return '##';
    case -2:
      return 'bb';
    default:
      throw new Error(`No accidental for an alteration of ${alter}`);
  }
}

function chooseClef(pitches: readonly number[]): 'treble' | 'bass' {
  if (pitches.length === 0) return 'treble';
  const sorted = [...pitches].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return median < 55 ? 'bass' : 'treble';
}

function toEvent(d: Draft): ScoreEvent {
  return {
    kind: d.kind,
    start: d.start,
    duration: d.duration,
    value: d.value,
    dots: d.dots,
    noteIndex: d.noteIndex,
    pitch: d.pitch,
    accidental: d.accidental,
    tieToNext: d.tieToNext,
    beam: d.beam,
    ...(d.tuplet !== undefined ? { tuplet: d.tuplet } : {}),
  };
}
