/**
 * Draws a Score (plain data from src-core/score) with VexFlow. The only file that knows
 * VexFlow. Measures wrap into systems that fit the given width; every written note carries
 * `data-note-index` (its melody note) and a transparent hit box so it can be clicked and lit.
 */
import {
  Accidental,
  Beam,
  Dot,
  Formatter,
  Renderer,
  Stave,
  StaveNote,
  StaveTie,
  Tuplet,
  Voice,
} from 'vexflow/bravura';
import { keysOfSignature } from '../../src-core/music/key.ts';
import { displayPitch, durationName } from '../../src-core/music/describe.ts';
import type { Meter } from '../../src-core/music/melody.ts';
import type { KeySignature, Measure, Score, ScoreEvent, SpelledPitch } from '../../src-core/score/types.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';
const MARGIN_X = 12;
const TOP = 8;
/** Room above each stave for analysis labels and phrase brackets. */
const LABEL_BAND = 22;
const SYSTEM_HEIGHT = 150;

/** Where one written piece of a melody note was drawn (SVG pixels). */
export interface NoteBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The system (row) it is on. */
  readonly row: number;
}

export interface SystemBox {
  /** Top of the label band above the stave. */
  readonly top: number;
  readonly staffTop: number;
  readonly staffBottom: number;
}

export interface DrawnScore {
  /** Size in score units (every box below is in them); on screen each unit is `scale` pixels. */
  readonly width: number;
  readonly height: number;
  readonly scale: number;
  readonly systems: readonly SystemBox[];
  /** Which system each measure landed on. */
  readonly measureSystem: readonly number[];
  /** The drawn pieces of each melody note, in order (a tied note has several). */
  readonly notes: ReadonlyMap<number, readonly NoteBox[]>;
}

let fontsReady: Promise<unknown> | null = null;

/** VexFlow's Bravura font is embedded as a data: URL; it must be loaded before the first draw. */
export function loadScoreFonts(): Promise<unknown> {
  fontsReady ??= Promise.all([document.fonts.load('30px Bravura'), document.fonts.load('12px Academico')]);
  return fontsReady;
}

/** A rough width a measure needs, from its contents, for packing measures into systems. */
function measureMinWidth(measure: Measure): number {
  let w = 28 + (measure.keyChange ? 16 + Math.abs(measure.keyChange.fifths) * 11 : 0);
  if (measure.meterChange) w += 28;
  for (const e of measure.events) {
    w += { w: 44, h: 38, q: 32, '8': 27, '16': 23 }[e.value];
    if (e.accidental) w += 12;
    if (e.dots) w += 8 * e.dots;
  }
  return w;
}

function staveStartWidth(score: Score, first: boolean): number {
  // Room for the widest signature the score uses, so every system starts alike.
  const widest = score.measures.reduce(
    (m, measure) => Math.max(m, Math.abs(measure.keyChange?.fifths ?? 0)),
    Math.abs(score.keySignature.fifths),
  );
  return 42 + widest * 11 + (first ? 32 : 0);
}

/** Groups measures into systems greedily; returns measure indices per system. */
export function packSystems(score: Score, width: number): number[][] {
  const available = Math.max(200, width - 2 * MARGIN_X);
  const systems: number[][] = [];
  let current: number[] = [];
  let used = 0;
  score.measures.forEach((m, i) => {
    const start = current.length === 0 ? staveStartWidth(score, i === 0) : 0;
    const need = measureMinWidth(m) + start;
    if (current.length > 0 && used + need > available) {
      systems.push(current);
      current = [];
      used = 0;
      const restart = staveStartWidth(score, false);
      current.push(i);
      used = measureMinWidth(m) + restart;
      return;
    }
    current.push(i);
    used += need;
  });
  if (current.length) systems.push(current);
  return systems;
}

/** VexFlow's name for a signature: the key itself, or for a church mode its signature's major key. */
function keyName(signature: KeySignature): string {
  const { key, fifths } = signature;
  if (key.mode === 'minor') return `${key.tonic}m`;
  return key.mode === 'major' ? key.tonic : keysOfSignature(fifths)[0]!.tonic;
}

/** The signature in force at a measure: the last change at or before it, else the score's. */
function signatureAt(score: Score, measureIndex: number): KeySignature {
  for (let i = measureIndex; i > 0; i--) {
    const change = score.measures[i]!.keyChange;
    if (change) return change;
  }
  return score.keySignature;
}

function vexKey(e: ScoreEvent, clef: Score['clef']): string {
  if (e.kind === 'rest' || !e.pitch) return clef === 'treble' ? 'b/4' : 'd/3';
  const acc = e.pitch.alter > 0 ? '#'.repeat(e.pitch.alter) : 'b'.repeat(-e.pitch.alter);
  return `${e.pitch.letter.toLowerCase()}${acc}/${e.pitch.octave}`;
}

function makeNote(e: ScoreEvent, score: Score, wholeBarRest: boolean): StaveNote {
  const note = new StaveNote({
    keys: [vexKey(e, score.clef)],
    duration: e.value,
    dots: wholeBarRest ? 0 : e.dots,
    type: e.kind === 'rest' ? 'r' : undefined,
    clef: score.clef,
    autoStem: true,
    alignCenter: wholeBarRest,
  });
  if (e.accidental) note.addModifier(new Accidental(e.accidental), 0);
  if (e.dots && !wholeBarRest) Dot.buildAndAttach([note], { all: true });
  return note;
}

/**
 * Draws `score` into `container` (emptied first) at `width` pixels.
 * Returns the drawn size; note elements are tagged for highlight and clicks.
 */
export interface DrawOptions {
  /** Prefix for element ids, unique on the page (several scores may be shown). */
  readonly idPrefix: string;
  /** Pixels per score unit: below 1 for a compact score that shows more bars in its width. */
  readonly scale?: number;
  /** False for a score that never carries analysis labels: no band is kept above each stave. */
  readonly labels?: boolean;
}

/** "F♯5, dotted quarter note, bar 2" for each melody note, from its written pieces. */
function describeNotes(score: Score): Map<number, string> {
  const found = new Map<number, { pitch: SpelledPitch; steps: number; bar: number }>();
  for (const m of score.measures) {
    for (const e of m.events) {
      if (e.noteIndex === null || !e.pitch) continue;
      const seen = found.get(e.noteIndex);
      if (seen) seen.steps += e.duration;
      else found.set(e.noteIndex, { pitch: e.pitch, steps: e.duration, bar: m.number });
    }
  }
  return new Map(
    [...found].map(([i, d]) => [i, `${displayPitch(d.pitch)}, ${durationName(d.steps)}, bar ${d.bar}`]),
  );
}

export function drawScore(
  container: HTMLElement,
  score: Score,
  width: number,
  options: DrawOptions,
): DrawnScore {
  container.replaceChildren();
  const scale = options.scale ?? 1;
  const pixels = width;
  width = pixels / scale; // laid out in score units
  const systems = packSystems(score, width);
  const band = options.labels === false ? 0 : LABEL_BAND;
  const systemHeight = SYSTEM_HEIGHT - LABEL_BAND + band;
  const height = TOP + systems.length * systemHeight + 10;
  const renderer = new Renderer(container as HTMLDivElement, Renderer.Backends.SVG);
  renderer.resize(pixels, height * scale);
  const ctx = renderer.getContext();
  ctx.scale(scale, scale);
  const svg = container.querySelector('svg');
  if (!svg) throw new Error('VexFlow did not create an SVG element');
  svg.setAttribute('role', 'none');
  const hitLayer = document.createElementNS(SVG_NS, 'g');
  hitLayer.setAttribute('class', 'hit-layer');

  const measureSystem: number[] = [];
  const systemBoxes: SystemBox[] = [];
  const noteBoxes = new Map<number, NoteBox[]>();
  const drawn: { event: ScoreEvent; note: StaveNote }[] = [];
  const timeSignature = (m: Meter): string => `${m.numerator}/${m.denominator}`;

  systems.forEach((indices, row) => {
    const y = TOP + row * systemHeight + band;
    const available = width - 2 * MARGIN_X;
    const mins = indices.map((i) => measureMinWidth(score.measures[i]!));
    const start = staveStartWidth(score, indices[0] === 0);
    const isLastRow = row === systems.length - 1;
    // Stretch to the full width, except a short last row, which keeps its natural widths.
    const natural = mins.reduce((a, b) => a + b, 0) + start;
    const scale = isLastRow && natural < available * 0.6 ? 1.25 : (available - start) / (natural - start);
    let x = MARGIN_X;
    indices.forEach((measureIndex, k) => {
      measureSystem[measureIndex] = row;
      const measure = score.measures[measureIndex]!;
      const w = mins[k]! * scale + (k === 0 ? start : 0);
      const stave = new Stave(x, y, w);
      if (k === 0) {
        systemBoxes.push({
          top: y - band,
          staffTop: stave.getYForLine(0),
          staffBottom: stave.getYForLine(4),
        });
        stave.addClef(score.clef);
        stave.addKeySignature(keyName(signatureAt(score, measureIndex)));
        // Every system after the first says which bar it starts with, so a long score keeps your place.
        if (measureIndex > 0) stave.setMeasure(measure.number);
      } else if (measure.keyChange) {
        stave.addKeySignature(keyName(measure.keyChange), keyName(signatureAt(score, measureIndex - 1)));
      }
      if (measureIndex === 0) stave.addTimeSignature(timeSignature(score.meter));
      else if (measure.meterChange) stave.addTimeSignature(timeSignature(measure.meterChange));
      if (measureIndex === score.measures.length - 1) stave.setEndBarType(3 /* BarlineType.END */);
      stave.setContext(ctx).draw();

      const wholeBarRest =
        measure.events.length === 1 && measure.events[0]!.kind === 'rest' && measure.events[0]!.value === 'w';
      const notes = measure.events.map((e) => makeNote(e, score, wholeBarRest));
      // Triplets are marked before formatting: VexFlow counts their notes at two thirds.
      const tupletGroups = new Map<number, { notes: StaveNote[]; beamed: boolean }>();
      measure.events.forEach((e, j) => {
        if (e.tuplet === undefined) return;
        const group = tupletGroups.get(e.tuplet) ?? { notes: [], beamed: true };
        group.notes.push(notes[j]!);
        group.beamed &&= e.beam !== null;
        tupletGroups.set(e.tuplet, group);
      });
      // A beamed triplet shows its 3 without a bracket, as engravers do.
      const tuplets = [...tupletGroups.values()].map(
        (g) => new Tuplet(g.notes, { numNotes: 3, notesOccupied: 2, bracketed: !g.beamed }),
      );
      const voice = new Voice({ numBeats: measure.meter.numerator, beatValue: measure.meter.denominator });
      voice.setMode(Voice.Mode.SOFT);
      voice.addTickables(notes);
      const beamGroups = new Map<number, StaveNote[]>();
      measure.events.forEach((e, j) => {
        if (e.beam === null) return;
        const group = beamGroups.get(e.beam) ?? [];
        group.push(notes[j]!);
        beamGroups.set(e.beam, group);
      });
      const beams = [...beamGroups.values()].filter((g) => g.length > 1).map((g) => new Beam(g));
      new Formatter().joinVoices([voice]).formatToStave([voice], stave);
      voice.draw(ctx, stave);
      for (const beam of beams) beam.setContext(ctx).draw();
      for (const tuplet of tuplets) tuplet.setContext(ctx).draw();
      measure.events.forEach((event, j) => drawn.push({ event, note: notes[j]! }));
      x += w;
    });
  });

  // Ties: each written note tied to the next written note (possibly across a barline or system).
  for (let i = 0; i < drawn.length; i++) {
    const { event, note } = drawn[i]!;
    if (!event.tieToNext) continue;
    const next = drawn[i + 1];
    if (!next) continue;
    const a = measureSystem[measureOf(score, event.start)];
    const b = measureSystem[measureOf(score, next.event.start)];
    if (a === b) {
      new StaveTie({ firstNote: note, lastNote: next.note, firstIndexes: [0], lastIndexes: [0] })
        .setContext(ctx)
        .draw();
    } else {
      new StaveTie({ firstNote: note, firstIndexes: [0], lastIndexes: [0] }).setContext(ctx).draw();
      new StaveTie({ lastNote: next.note, firstIndexes: [0], lastIndexes: [0] }).setContext(ctx).draw();
    }
  }

  // Tag notes and add a hit box per written note so clicks land easily. The first written
  // piece of each melody note is its accessible "option" (the score is a listbox of notes).
  const labelled = new Set<number>();
  const descriptions = describeNotes(score);
  for (const { event, note } of drawn) {
    if (event.kind !== 'note' || event.noteIndex === null) continue;
    const el = note.getSVGElement();
    el?.setAttribute('data-note-index', String(event.noteIndex));
    el?.classList.add('score-note');
    const box = note.getBoundingBox();
    const stave = note.getStave()!;
    const top = Math.min(box.getY(), stave.getYForLine(0)) - 4;
    const bottom = Math.max(box.getY() + box.getH(), stave.getYForLine(4)) + 4;
    const placed: NoteBox = {
      x: box.getX() - 4,
      y: top,
      width: box.getW() + 8,
      height: bottom - top,
      row: measureSystem[measureOf(score, event.start)] ?? 0,
    };
    noteBoxes.set(event.noteIndex, [...(noteBoxes.get(event.noteIndex) ?? []), placed]);
    const rect = document.createElementNS(SVG_NS, 'rect');
    rect.setAttribute('x', String(placed.x));
    rect.setAttribute('y', String(placed.y));
    rect.setAttribute('width', String(placed.width));
    rect.setAttribute('height', String(placed.height));
    rect.setAttribute('rx', '4');
    rect.setAttribute('class', 'note-hit');
    rect.setAttribute('data-note-index', String(event.noteIndex));
    if (!labelled.has(event.noteIndex)) {
      labelled.add(event.noteIndex);
      rect.setAttribute('id', `${options.idPrefix}-note-${event.noteIndex}`);
      rect.setAttribute('role', 'option');
      rect.setAttribute('aria-label', descriptions.get(event.noteIndex) ?? 'note');
    }
    hitLayer.appendChild(rect);
  }
  svg.insertBefore(hitLayer, svg.firstChild);

  return { width, height, scale, systems: systemBoxes, measureSystem, notes: noteBoxes };
}

function measureOf(score: Score, step: number): number {
  let lo = 0;
  let hi = score.measures.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (score.measures[mid]!.start <= step) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Sets a CSS class on every drawn piece of the given melody notes, clearing it elsewhere. */
export function markNotes(container: HTMLElement, className: string, indices: ReadonlySet<number>): void {
  for (const el of container.querySelectorAll(`.${className}`)) el.classList.remove(className);
  for (const index of indices) {
    for (const el of container.querySelectorAll(`[data-note-index="${index}"]`)) el.classList.add(className);
  }
}
