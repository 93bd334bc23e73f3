/**
 * Builds one run of a lesson: its melody (written in the pack, or freshly generated under the
 * lesson's constraints), the analysis, and every question posed on that melody. Questions
 * are posed from the analysis with a seeded random choice, so the same lesson, model and
 * seed give the same exercise, and a new seed gives a new one.
 *
 * A question that does not fit the melody (no motif to find, no repeated bar) is set aside
 * with its reason. A generated lesson tries a few fresh melodies before it settles for one
 * that leaves questions out; a lesson where no question fits at all fails with a message.
 */
import { analyzeMelody, type Analysis } from '../analysis/analyze.ts';
import type { StepModel } from '../model/generate.ts';
import { createRng } from '../model/rng.ts';
import type { Melody } from '../music/melody.ts';
import { fail, ok, type Result } from '../result.ts';
import type { PackFiles } from './pack-files.ts';
import { keptMelody, resolveMelodySource, type MelodySourceContext } from './melody-source.ts';
import { poseQuestion, type PosedQuestion } from './questions.ts';
import type { Lesson } from './schema.ts';

/** Fresh melodies a generated lesson tries before it settles for one some questions skip. */
export const LESSON_TRIES = 5;

/** Seeds apart the two variations of a "which repeats more" question are drawn. */
const SECOND_VARIATION_OFFSET = 7919;

export interface LessonContext {
  readonly files: PackFiles;
  /** The file the lesson is written in, for messages (normally "pack.json"). */
  readonly file: string;
  /** The JSON path of the lesson, for messages, e.g. "lessons[2]". */
  readonly path: string;
  readonly model: StepModel | null;
  /** A fresh seed gives a fresh exercise; the lesson's own seed, when it has one, wins for the melody. */
  readonly seed: number;
  /**
   * Build from the melodies the pack kept for a generated lesson (`kept`) instead of writing
   * fresh ones: for when no fresh melody fits in time. Needs no model.
   */
  readonly useKept?: boolean;
}

export interface SkippedQuestion {
  readonly id: string;
  readonly reason: string;
}

export interface BuiltLesson {
  readonly melody: Melody;
  readonly analysis: Analysis;
  /** The other variation, when a question compares two; else null. */
  readonly second: Melody | null;
  readonly questions: readonly PosedQuestion[];
  readonly skipped: readonly SkippedQuestion[];
  /** The seed this run was built from. */
  readonly seed: number;
}

/** A number from a question id, so each question draws its own choices from the seed. */
function idHash(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}

async function buildOnce(lesson: Lesson, context: LessonContext, seed: number): Promise<Result<BuiltLesson>> {
  const sourceContext: MelodySourceContext = {
    files: context.files,
    file: context.file,
    path: `${context.path}.melody`,
    model: context.model,
    seed,
  };
  const compares = lesson.questions.some((q) => q.kind === 'which-repeats-more');
  const source = lesson.melody;
  if (context.useKept && source.source === 'generate') {
    const kept = keptMelody(source, sourceContext);
    const second = compares ? keptMelody(source, sourceContext, 'second') : null;
    if (kept === null || (compares && second === null))
      return fail(
        'lessons/nothing-kept',
        `${context.file}, ${context.path}.melody.kept: the pack keeps no melody for this lesson; check the pack in Cantus's editor to keep one.`,
        `${context.path}.melody.kept`,
      );
    return poseAll(lesson, kept, second, seed);
  }
  const first = await resolveMelodySource(source, sourceContext);
  if (!first.ok) return first;
  let second: Melody | null = null;
  if (compares && source.source === 'generate') {
    // A lesson's own seed fixes its melody; the second variation must still differ from it.
    const other = await resolveMelodySource(
      { ...source, seed: ((source.seed ?? seed) + SECOND_VARIATION_OFFSET) >>> 0 },
      sourceContext,
    );
    if (!other.ok) return other;
    second = other.value.melody;
  }
  return poseAll(lesson, first.value.melody, second, seed);
}

/** Poses the lesson's questions on its melody (and the one a comparison needs). */
function poseAll(lesson: Lesson, melody: Melody, second: Melody | null, seed: number): Result<BuiltLesson> {
  const analysis = analyzeMelody(melody);
  const secondAnalysis = second ? analyzeMelody(second) : null;
  const questions: PosedQuestion[] = [];
  const skipped: SkippedQuestion[] = [];
  for (const spec of lesson.questions) {
    const draw = createRng((seed ^ idHash(spec.id)) >>> 0);
    const posed = poseQuestion(
      spec,
      { analysis, ...(secondAnalysis ? { variations: [analysis, secondAnalysis] as const } : {}) },
      () => draw.next(),
    );
    if (posed.ok) questions.push(posed.value);
    else
      skipped.push({
        id: spec.id,
        reason:
          spec.kind === 'which-repeats-more' && lesson.melody.source === 'fixed'
            ? 'Comparing two variations needs a melody the model generates.'
            : posed.error.message,
      });
  }
  return ok({ melody, analysis, second, questions, skipped, seed });
}

/** Builds a run of `lesson`; fails when its melody cannot be had or no question fits it. */
export async function buildLesson(lesson: Lesson, context: LessonContext): Promise<Result<BuiltLesson>> {
  const tries = lesson.melody.source === 'generate' && lesson.melody.seed === undefined ? LESSON_TRIES : 1;
  let best: BuiltLesson | null = null;
  for (let attempt = 0; attempt < tries; attempt++) {
    const built = await buildOnce(lesson, context, (context.seed + attempt * 104_729) >>> 0);
    // A later try that fails (constraints unmet) does not throw away an earlier usable run.
    if (!built.ok) {
      if (best !== null && best.questions.length > 0) break;
      return built;
    }
    if (built.value.skipped.length === 0) return built;
    if (best === null || built.value.questions.length > best.questions.length) best = built.value;
  }
  if (best === null || best.questions.length === 0) {
    const why = best?.skipped[0]?.reason ?? '';
    return fail(
      'lessons/no-question-fits',
      `${context.file}, ${context.path}: none of the lesson's questions fits its melody${why ? ` (${why.replace(/\.$/, '')})` : ''}. Choose other questions or another melody.`,
      `${context.path}.questions`,
    );
  }
  return ok(best);
}
