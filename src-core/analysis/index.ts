/** Melody analysis: key, intervals, contour, motifs, phrases and form. */
export { analyzeMelody, ANALYSIS_NOTE_LIMIT } from './analyze.ts';
export type { Analysis, AnalysedMotif, AnalysedNote, AnalyzeOptions, Phrase, Strain } from './analyze.ts';
export type { StrainRelation } from './strains.ts';
export { makeContext, resolveKey, beatSteps, staffPosition } from './context.ts';
export type { AnalysisContext, AnalysisKey, ContextOptions, KeySource } from './context.ts';
export {
  intervalBetween,
  melodicIntervals,
  motionOf,
  nameInterval,
  summarizeIntervals,
} from './intervals.ts';
export type {
  Consonance,
  IntervalCount,
  IntervalDirection,
  IntervalMotion,
  IntervalName,
  IntervalQuality,
  IntervalSummary,
  MelodicInterval,
} from './intervals.ts';
export { contourShape, contourThreshold, describeContour, parsonsCode, turningPoints } from './contour.ts';
export type { Contour, ContourShape } from './contour.ts';
export { findMotifs, motifLabel, MOTIF_NOTE_LIMIT } from './motifs.ts';
export type { Motif, MotifInput, MotifOccurrence, MotifOptions, MotifRelation } from './motifs.ts';
export { findPhrases, findPhraseStructure } from './phrases.ts';
export type { PhraseSpan } from './phrases.ts';
export { findBarRepeats, findRestatement, labelPhrases } from './form.ts';
export type { BarRelation, BarRepeat, PhraseLabel, PhraseRelation, Restatement } from './form.ts';
