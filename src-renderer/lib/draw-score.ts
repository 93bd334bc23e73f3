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

/** The most sharps or flats of any signature the score uses. */
function widestSignature(score: Score): number {
  return score.measures.reduce(
    (m, measure) => Math.max(m, Math.abs(measure.keyChange?.fifths ?? 0)),
    Math.abs(score.keySignature.fifths),
  );
}

/** Room for the clef and the widest signature the score uses, so every system starts alike. */
function staveStartWidth(widest: number, first: boolean): number {
  return 42 + widest * 11 + (first ? 32 : 0);
}

/** Groups measures into systems greedily; returns measure indices per system. */
export function packSystems(score: Score, width: number): number[][] {
  const available = Math.max(200, width - 2 * MARGIN_X);
  // Once for the score: a 1,000-bar one has hundreds of systems to start.
  const widest = widestSignature(score);
  const systems: number[][] = [];
  let current: number[] = [];
  let used = 0;
  score.measures.forEach((m, i) => {
    const start = current.length === 0 ? staveStartWidth(widest, i === 0) : 0;
    const need = measureMinWidth(m) + start;
    if (current.length > 0 && used + need > available) {
      systems.push(current);
      current = [];
      used = 0;
      const restart = staveStartWidth(widest, false);
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

/** What a melody note's accessible name is made of, gathered from its written pieces. */
interface NoteFacts {
  readonly pitch: SpelledPitch;
  steps: number;
  readonly bar: number;
  /** Its first written piece: the measure, and the event in it. */
  readonly measure: number;
  readonly event: number;
}

/** "F♯5, dotted quarter note, bar 2". */
function describeNote(facts: NoteFacts): string {
  return `${displayPitch(facts.pitch)}, ${durationName(facts.steps)}, bar ${facts.bar}`;
}

/**
 * A score drawn a system (row) at a time, so a long melody costs only the rows in view: the
 * layout (which bars go on which row, and where each row lies) is worked out for the whole
 * score at once, which is cheap; `drawRow` draws one row into the shared SVG, with its notes'
 * hit boxes, and the ties that reach into it from the row before. `snapshot` gives what has
 * been drawn so far.
 */
export class ScoreDrawing {
  /** Score units (see DrawnScore). */
  readonly width: number;
  readonly height: number;
  readonly scale: number;
  /** Measure indices on each row. */
  readonly rows: readonly (readonly number[])[];
  readonly measureSystem: readonly number[];
  readonly systems: readonly SystemBox[];
  readonly #score: Score;
  readonly #options: DrawOptions;
  readonly #ctx: ReturnType<Renderer['getContext']>;
  readonly #hitLayer: SVGGElement;
  readonly #band: number;
  readonly #systemHeight: number;
  readonly #widest: number;
  readonly #drawnRows = new Set<number>();
  readonly #notes = new Map<number, NoteBox[]>();
  readonly #facts = new Map<number, NoteFacts>();
  /** The last written note of each drawn row, for a tie that runs on into the next row. */
  readonly #rowEnds = new Map<number, { event: ScoreEvent; note: StaveNote }>();
  readonly #rowStarts = new Map<number, { event: ScoreEvent; note: StaveNote }>();

  constructor(container: HTMLElement, score: Score, pixels: number, options: DrawOptions) {
    container.replaceChildren();
    this.#score = score;
    this.#options = options;
    this.scale = options.scale ?? 1;
    this.width = pixels / this.scale; // laid out in score units
    this.rows = packSystems(score, this.width);
    this.#widest = widestSignature(score);
    this.#band = options.labels === false ? 0 : LABEL_BAND;
    this.#systemHeight = SYSTEM_HEIGHT - LABEL_BAND + this.#band;
    this.height = TOP + this.rows.length * this.#systemHeight + 10;
    const measureSystem: number[] = [];
    this.rows.forEach((indices, row) => indices.forEach((m) => (measureSystem[m] = row)));
    this.measureSystem = measureSystem;
    // Every row's stave lies alike below its top: ask VexFlow once, not once a row.
    const stave = new Stave(0, 0, 100);
    const [staffTop, staffBottom] = [stave.getYForLine(0), stave.getYForLine(4)];
    this.systems = this.rows.map((_, row) => ({
      top: this.#rowY(row) - this.#band,
      staffTop: this.#rowY(row) + staffTop,
      staffBottom: this.#rowY(row) + staffBottom,
    }));
    // One pass over the events (names are put into words only as their rows are drawn).
    score.measures.forEach((m, i) =>
      m.events.forEach((e, j) => {
        if (e.noteIndex === null || !e.pitch) return;
        const seen = this.#facts.get(e.noteIndex);
        if (seen) seen.steps += e.duration;
        else
          this.#facts.set(e.noteIndex, {
            pitch: e.pitch,
            steps: e.duration,
            bar: m.number,
            measure: i,
            event: j,
          });
      }),
    );

    const renderer = new Renderer(container as HTMLDivElement, Renderer.Backends.SVG);
    renderer.resize(pixels, this.height * this.scale);
    this.#ctx = renderer.getContext();
    this.#ctx.scale(this.scale, this.scale);
    const svg = container.querySelector('svg');
    if (!svg) throw new Error('VexFlow did not create an SVG element');
    svg.setAttribute('role', 'none');
    this.#hitLayer = document.createElementNS(SVG_NS, 'g');
    this.#hitLayer.setAttribute('class', 'hit-layer');
    svg.insertBefore(this.#hitLayer, svg.firstChild);
  }

  #rowY(row: number): number {
    return TOP + row * this.#systemHeight + this.#band;
  }

  /** The row (0-based) a row's top lies at, in pixels from the top of the drawing. */
  rowTopPixels(row: number): number {
    return (this.systems[row]?.top ?? 0) * this.scale;
  }

  /** The row that holds melody note `index`'s first written piece, or null. */
  rowOfNote(index: number): number | null {
    const facts = this.#facts.get(index);
    return facts === undefined ? null : (this.measureSystem[facts.measure] ?? null);
  }

  /** True when event `event` of measure `measure` is the first written piece of its melody note. */
  #isFirstPiece(noteIndex: number | null, measure: number, event: number): boolean {
    const facts = noteIndex === null ? undefined : this.#facts.get(noteIndex);
    return facts !== undefined && facts.measure === measure && facts.event === event;
  }

  isDrawn(row: number): boolean {
    return this.#drawnRows.has(row);
  }

  /** Draws every row not yet drawn. */
  drawAll(): void {
    for (let row = 0; row < this.rows.length; row++) this.drawRow(row);
  }

  /** Draws `row` (once); false when it was drawn already or does not exist. */
  drawRow(row: number): boolean {
    const indices = this.rows[row];
    if (!indices || this.#drawnRows.has(row)) return false;
    this.#drawnRows.add(row);
    const score = this.#score;
    const ctx = this.#ctx;
    const y = this.#rowY(row);
    const available = this.width - 2 * MARGIN_X;
    const mins = indices.map((i) => measureMinWidth(score.measures[i]!));
    const start = staveStartWidth(this.#widest, indices[0] === 0);
    const isLastRow = row === this.rows.length - 1;
    // Stretch to the full width, except a short last row, which keeps its natural widths.
    const natural = mins.reduce((a, b) => a + b, 0) + start;
    const stretch = isLastRow && natural < available * 0.6 ? 1.25 : (available - start) / (natural - start);
    const timeSignature = (m: Meter): string => `${m.numerator}/${m.denominator}`;
    const drawn: { event: ScoreEvent; note: StaveNote; first: boolean }[] = [];
    let x = MARGIN_X;
    indices.forEach((measureIndex, k) => {
      const measure = score.measures[measureIndex]!;
      const w = mins[k]! * stretch + (k === 0 ? start : 0);
      const stave = new Stave(x, y, w);
      if (k === 0) {
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
      if (measure.tempoChange !== undefined)
        stave.setTempo({ duration: 'q', bpm: Math.round(measure.tempoChange) }, this.#band > 0 ? 0 : -6);
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
      measure.events.forEach((event, j) =>
        drawn.push({
          event,
          note: notes[j]!,
          first: this.#isFirstPiece(event.noteIndex, measureIndex, j),
        }),
      );
      x += w;
    });

    // Ties: each written note tied to the next written note, in this row, or into the next row
    // (its first half now, its second with that row), or from the row before into this one.
    const tie = (first: StaveNote | null, last: StaveNote | null): void => {
      new StaveTie({
        ...(first ? { firstNote: first } : {}),
        ...(last ? { lastNote: last } : {}),
        firstIndexes: [0],
        lastIndexes: [0],
      })
        .setContext(ctx)
        .draw();
    };
    drawn.forEach(({ event, note }, i) => {
      if (!event.tieToNext) return;
      const next = drawn[i + 1];
      if (next) tie(note, next.note);
      else if (row < this.rows.length - 1) {
        tie(note, null);
        const after = this.#rowStarts.get(row + 1);
        if (after) tie(null, after.note);
      }
    });
    const head = drawn[0];
    if (head) this.#rowStarts.set(row, head);
    const tail = drawn[drawn.length - 1];
    if (tail) this.#rowEnds.set(row, tail);
    const before = this.#rowEnds.get(row - 1);
    if (head && before?.event.tieToNext && before.event.noteIndex === head.event.noteIndex)
      tie(null, head.note);

    // Tag notes and add a hit box per written note so clicks land easily. The first written
    // piece of each melody note is its accessible "option" (the score is a listbox of notes).
    for (const { event, note, first } of drawn) {
      if (event.kind !== 'note' || event.noteIndex === null) continue;
      const el = note.getSVGElement();
      el?.setAttribute('data-note-index', String(event.noteIndex));
      el?.classList.add('score-note');
      const box = note.getBoundingBox();
      const stave = note.getStave()!;
      const top = Math.min(box.getY(), stave.getYForLine(0)) - 4;
      const bottom = Math.max(box.getY() + box.getH(), stave.getYForLine(4)) + 4;
      const placed: NoteBox = { x: box.getX() - 4, y: top, width: box.getW() + 8, height: bottom - top, row };
      const pieces = this.#notes.get(event.noteIndex) ?? [];
      if (first) pieces.unshift(placed);
      else pieces.push(placed);
      this.#notes.set(event.noteIndex, pieces);
      const rect = document.createElementNS(SVG_NS, 'rect');
      rect.setAttribute('x', String(placed.x));
      rect.setAttribute('y', String(placed.y));
      rect.setAttribute('width', String(placed.width));
      rect.setAttribute('height', String(placed.height));
      rect.setAttribute('rx', '4');
      rect.setAttribute('class', 'note-hit');
      rect.setAttribute('data-note-index', String(event.noteIndex));
      if (first) {
        rect.setAttribute('id', `${this.#options.idPrefix}-note-${event.noteIndex}`);
        rect.setAttribute('role', 'option');
        rect.setAttribute('aria-selected', 'false');
        const facts = this.#facts.get(event.noteIndex);
        rect.setAttribute('aria-label', facts ? describeNote(facts) : 'note');
      }
      this.#hitLayer.appendChild(rect);
    }
    return true;
  }

  /** What is drawn so far, for the marks over the score. */
  snapshot(): DrawnScore {
    return {
      width: this.width,
      height: this.height,
      scale: this.scale,
      systems: this.systems,
      measureSystem: this.measureSystem,
      notes: new Map(this.#notes),
    };
  }
}

/** Draws the whole of `score` into `container` (emptied first) at `width` pixels. */
export function drawScore(
  container: HTMLElement,
  score: Score,
  width: number,
  options: DrawOptions,
): DrawnScore {
  const drawing = new ScoreDrawing(container, score, width, options);
  drawing.drawAll();
  return drawing.snapshot();
}

/** Sets a CSS class on every drawn piece of the given melody notes, clearing it elsewhere. */
export function markNotes(container: HTMLElement, className: string, indices: ReadonlySet<number>): void {
  for (const el of container.querySelectorAll(`.${className}`)) el.classList.remove(className);
  for (const index of indices) {
    for (const el of container.querySelectorAll(`[data-note-index="${index}"]`)) el.classList.add(className);
  }
}
