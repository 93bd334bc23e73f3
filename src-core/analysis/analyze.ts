/**
 * One call for the whole analysis of a melody: key, spelled notes, intervals and their
 * summary, contour, motifs, phrases with their letters, form, repeated bars and the
 * share of restated material. Every finding refers to melody note indices (and bars,
 * 0-based), so the score can light it. Plain readonly data, safe to send between
 * threads or save as JSON. Deterministic: the same melody always gives the same answer.
 *
 * The rules behind each part are documented where they are applied: context.ts (key and
 * spelling), intervals.ts, contour.ts, motifs.ts, phrases.ts, strains.ts, form.ts. This file
 * adds two rules: among motifs of the same kind, those that come back beyond the phrase
 * repeats are listed before those that come back only because their whole phrase is
 * repeated (see AnalysedMotif.withinRepeatedPhrases); and the form summary is written as
 * described at Analysis.formSummary.
 *
 * Melodies longer than ANALYSIS_NOTE_LIMIT (5000) notes are analysed up to that note, and
 * motifs are looked for in the first MOTIF_NOTE_LIMIT (1000) notes; `warnings` says so.
 */
import { meterWords } from '../music/describe.ts';
import type { Melody, Steps } from '../music/melody.ts';
import type { SpelledPitch } from '../score/types.ts';
import { makeContext, type AnalysisKey, type ContextOptions } from './context.ts';
import { describeContour, type Contour, type ContourShape } from './contour.ts';
import {
  findBarRepeats,
  findRestatement,
  labelPhrases,
  type BarRepeat,
  type PhraseRelation,
  type Restatement,
} from './form.ts';
import {
  melodicIntervals,
  summarizeIntervals,
  type IntervalSummary,
  type MelodicInterval,
} from './intervals.ts';
import { findMotifs, motifLabel, MOTIF_NOTE_LIMIT, type Motif, type MotifOptions } from './motifs.ts';
import { findPhraseStructure } from './phrases.ts';
import type { StrainLabel, StrainSpan } from './strains.ts';

export interface AnalyzeOptions extends ContextOptions, MotifOptions {}

/** A melody note as the analysis reads it. */
export interface AnalysedNote {
  readonly index: number;
  /** Written name in the key, e.g. "F#4". */
  readonly name: string;
  readonly spelled: SpelledPitch;
  readonly pitch: number;
  readonly start: Steps;
  readonly end: Steps;
  /** 0-based bar of the onset. */
  readonly bar: number;
}

export interface Phrase {
  readonly index: number;
  /** Note indices, inclusive. */
  readonly firstNote: number;
  readonly lastNote: number;
  /** 0-based bars, inclusive; a pickup lies just before `firstBar`. */
  readonly firstBar: number;
  readonly lastBar: number;
  readonly pickup: boolean;
  /** "A", "A'", "B" ... */
  readonly label: string;
  readonly letter: string;
  readonly relation: PhraseRelation;
  /** The earlier phrase it restates (index), or null. */
  readonly of: number | null;
  readonly similarity: number;
  readonly transposition: number;
  readonly degrees: number;
  /** Notes of this phrase shared with `of`. */
  readonly sharedNotes: readonly number[];
  readonly contour: ContourShape;
  /** The strain it belongs to (index into Analysis.strains). */
  readonly strain: number;
}

/**
 * A strain: one of the large sections a tune is played in (the A and B "parts" of a reel,
 * usually 8 bars, usually each played twice), a run of whole phrases (see strains.ts).
 */
export interface Strain extends StrainSpan, StrainLabel {
  readonly index: number;
  /** The labels of its phrases in lower case, e.g. ["a", "a'"]. */
  readonly phraseLabels: readonly string[];
}

/** A motif, and whether it only comes back because its phrase is repeated. */
export interface AnalysedMotif extends Motif {
  /**
   * True when every later occurrence lies in a phrase that repeats an earlier phrase
   * (exactly, transposed or tonally), at the same place as an earlier occurrence lies in
   * that phrase: the motif returns only as part of a phrase repeat, which the form
   * already shows. Lessons asking "where does this motif come back?" may prefer motifs
   * where this is false.
   */
  readonly withinRepeatedPhrases: boolean;
}

export interface Analysis {
  readonly key: AnalysisKey;
  readonly meter: Melody['meter'];
  /**
   * The melody's bars (music/bars.ts), to its length or its last note's end. Every bar in an
   * analysis (a note's, a phrase's, a key region's) is an index into them, from 0.
   */
  readonly bars: number;
  /** The number a score prints on bar 0: 0 when the melody opens with a pickup, else 1. */
  readonly firstBarNumber: number;
  /** The time signatures in words: "6/8 with an eighth note pickup; 4/4 from bar 5". */
  readonly meterWords: string;
  readonly notes: readonly AnalysedNote[];
  /** Interval i goes from note i to note i + 1. */
  readonly intervals: readonly MelodicInterval[];
  readonly summary: IntervalSummary;
  readonly contour: Contour;
  readonly motifs: readonly AnalysedMotif[];
  readonly phrases: readonly Phrase[];
  /** Phrase labels run together, e.g. "AA'BA"; "" for an empty melody. */
  readonly form: string;
  /** The strains, in order; every phrase belongs to one. Empty for an empty melody. */
  readonly strains: readonly Strain[];
  /** Strain letters run together, e.g. "AABB"; "" for an empty melody. */
  readonly strainForm: string;
  /**
   * The form at both levels, for people: the strain form, then each strain letter with its
   * phrases in lower case, e.g. "AABB; A = a a', B = b b'". When the strains of one letter
   * have different phrases (first and second endings), each version is given, the first
   * heard first: "A = a a' or a a''". "" for an empty melody.
   */
  readonly formSummary: string;
  /**
   * Steps from each barline of the melody's grid to the barline the phrases and strains are
   * counted from: 0 unless the file starts with an upbeat it does not pad with rests, so
   * that its barlines are heard later than the file's (see strains.ts).
   */
  readonly barOffset: Steps;
  readonly barRepeats: readonly BarRepeat[];
  readonly restatement: Restatement;
  /** What was simplified: only part of a very long melody analysed. Usually empty. */
  readonly warnings: readonly string[];
}

/**
 * Longest melody analysed, in notes; a longer one is analysed up to this note (with a
 * warning). Far above any classroom melody; it keeps the pairwise comparisons of bars
 * and phrases, and the memory of the motif search, bounded for any file Cantus opens.
 */
export const ANALYSIS_NOTE_LIMIT = 5000;

/**
 * Analyses a melody. Options: `key` to read it in a given key (else its own, else the
 * estimate); motif options (`maxMotifs`, `maxBars`, `inversions`, `rhythm`).
 * @example
 * const a = analyzeMelody(makeMelody({ notes: parseNotes('C4 D4 E4 C4 C4 D4 E4 C4') }));
 * a.motifs[0].occurrences.map((o) => o.start) // => [0, 4]
 */
export function analyzeMelody(whole: Melody, options: AnalyzeOptions = {}): Analysis {
  const warnings: string[] = [];
  let melody = whole;
  if (whole.notes.length > ANALYSIS_NOTE_LIMIT) {
    const notes = whole.notes.slice(0, ANALYSIS_NOTE_LIMIT);
    melody = { ...whole, notes, length: notes[notes.length - 1]!.end };
    warnings.push(
      `The melody has ${whole.notes.length} notes; only the first ${ANALYSIS_NOTE_LIMIT} were analysed.`,
    );
  }
  if (melody.notes.length > MOTIF_NOTE_LIMIT) {
    warnings.push(`Motifs were looked for in the first ${MOTIF_NOTE_LIMIT} notes only.`);
  }
  const ctx = makeContext(melody, options);
  if ((melody.meterChanges ?? []).some((c) => c.at > (melody.pickup ?? 0))) {
    // Phrases are cut on bars of one length (phrases.ts); say where that reading may be off.
    warnings.push(
      `This melody changes time signature (${meterWords(ctx.bars)}); its phrases and form are read in bars of ${melody.meter.numerator}/${melody.meter.denominator}, so after a change they may be cut in the wrong places.`,
    );
  }
  const intervals = melodicIntervals(ctx);
  const summary = summarizeIntervals(ctx, intervals);
  const contour = describeContour(ctx.pitches, ctx.starts, ctx.ends);
  const maxMotifs = options.maxMotifs ?? 8;
  // Twice as many as wanted, so motifs that recur beyond the phrase repeats can go first.
  const found = findMotifs(ctx, { ...options, maxMotifs: 2 * maxMotifs });
  const structure = findPhraseStructure(ctx);
  const spans = structure.phrases;
  const labels = labelPhrases(ctx, spans, structure.barOffset);
  const strainOf = (phrase: number): number =>
    structure.strains.findIndex((s) => s.firstPhrase <= phrase && phrase <= s.lastPhrase);
  // Phrases are cut on a grid of equal bars (phrases.ts); their bars are given as the melody's.
  const lineBar = (bar: number): number => ctx.bars.barAt(structure.barOffset + bar * ctx.barSteps);
  const onMelodyBars = <T extends { readonly firstBar: number; readonly lastBar: number }>(span: T): T => ({
    ...span,
    firstBar: lineBar(span.firstBar),
    lastBar: lineBar(span.lastBar),
  });
  const phrases: Phrase[] = spans.map((span, index) => {
    const l = labels[index]!;
    return {
      index,
      ...onMelodyBars(span),
      label: l.label,
      letter: l.letter,
      relation: l.relation,
      of: l.of,
      similarity: l.similarity,
      transposition: l.transposition,
      degrees: l.degrees,
      sharedNotes: l.sharedNotes,
      contour: describeContour(ctx.pitches, ctx.starts, ctx.ends, span.firstNote, span.lastNote).shape,
      strain: strainOf(index),
    };
  });
  const strains: Strain[] = structure.strains.map((span, index) => {
    const l = structure.strainLabels[index]!;
    return {
      index,
      ...l,
      ...onMelodyBars(span),
      phraseLabels: labels.slice(span.firstPhrase, span.lastPhrase + 1).map((p) => p.label.toLowerCase()),
    };
  });
  const motifs = rankMotifs(found, phrases, maxMotifs);
  return {
    key: ctx.key,
    meter: melody.meter,
    bars: ctx.bars.bars.length,
    firstBarNumber: ctx.bars.bars[0]!.number,
    meterWords: meterWords(ctx.bars),
    notes: melody.notes.map((n, index) => ({
      index,
      name: ctx.names[index]!,
      spelled: ctx.spelled[index]!,
      pitch: n.pitch,
      start: n.start,
      end: n.end,
      bar: ctx.bars.barAt(n.start),
    })),
    intervals,
    summary,
    contour,
    motifs,
    phrases,
    form: labels.map((l) => l.label).join(''),
    strains,
    strainForm: strains.map((s) => s.letter).join(''),
    formSummary: summarizeForm(strains),
    barOffset: structure.barOffset,
    barRepeats: findBarRepeats(ctx),
    restatement: findRestatement(ctx, spans, labels, motifs),
    warnings,
  };
}

/** See Analysis.formSummary. */
function summarizeForm(strains: readonly Strain[]): string {
  if (strains.length === 0) return '';
  const versions = new Map<string, string[]>();
  for (const s of strains) {
    const words = s.phraseLabels.join(' ');
    const list = versions.get(s.letter);
    if (!list) versions.set(s.letter, [words]);
    else if (!list.includes(words)) list.push(words);
  }
  const parts = [...versions].map(([letter, list]) => `${letter} = ${list.join(' or ')}`);
  return `${strains.map((s) => s.letter).join('')}; ${parts.join(', ')}`;
}

/**
 * The motifs to report: melodic before rhythmic (as findMotifs orders them), and within
 * each kind those that come back beyond the phrase repeats before those that come back
 * only inside them, each group by coverage; the first `max`, labelled again x, y, z ...
 */
function rankMotifs(found: readonly Motif[], phrases: readonly Phrase[], max: number): AnalysedMotif[] {
  const flagged = found.map((m, order) => ({
    motif: { ...m, withinRepeatedPhrases: isWithinRepeatedPhrases(m, phrases) },
    order,
  }));
  flagged.sort(
    (a, b) =>
      (a.motif.kind === b.motif.kind ? 0 : a.motif.kind === 'melodic' ? -1 : 1) ||
      Number(a.motif.withinRepeatedPhrases) - Number(b.motif.withinRepeatedPhrases) ||
      a.order - b.order,
  );
  return flagged.slice(0, max).map(({ motif }, i) => ({ ...motif, label: motifLabel(i) }));
}

/** See AnalysedMotif.withinRepeatedPhrases. */
function isWithinRepeatedPhrases(motif: Motif, phrases: readonly Phrase[]): boolean {
  const starts = new Set<number>();
  for (const [i, o] of motif.occurrences.entries()) {
    if (i > 0) {
      const last = o.start + motif.length - 1;
      const p = phrases.find((q) => q.firstNote <= o.start && last <= q.lastNote);
      if (!p || p.of === null || p.relation === 'new' || p.relation === 'varied') return false;
      const source = phrases[p.of]!;
      if (!starts.has(source.firstNote + (o.start - p.firstNote))) return false;
    }
    starts.add(o.start);
  }
  return motif.occurrences.length > 1;
}
