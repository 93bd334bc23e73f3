/**
 * The Lessons panel's state, for a student: who is working, the packs there are, the lesson
 * being worked on (built in the generation worker: melody, analysis, questions), the answer
 * in progress, its grade, and progress kept by main. Grading is the pure core's
 * (src-core/lessons/grade.ts); this file only keeps track and talks to the host.
 */
import type { HostApi } from '../../src-core/ipc/contract.ts';
import { buildLesson, type BuiltLesson } from '../../src-core/lessons/build-lesson.ts';
import {
  gradeAnswer,
  intervalNameHelp,
  readIntervalName,
  type Answer,
  type Grade,
} from '../../src-core/lessons/grade.ts';
import {
  summarizeAttempts,
  type ClassSummary,
  type LessonSummary,
  type Profile,
} from '../../src-core/lessons/progress.ts';
import type { PosedQuestion } from '../../src-core/lessons/questions.ts';
import type { Lesson, LessonPack } from '../../src-core/lessons/schema.ts';
import { validatePack } from '../../src-core/lessons/validate.ts';
import type { Melody } from '../../src-core/music/melody.ts';
import type { GeneratorState } from './generator.svelte.ts';
import { barOfNote } from './lesson-marks.ts';
import { lessonProblemWords } from './teacher-words.ts';

/** A pack ready to use: its checked content and its files (MIDI the lessons read). */
export interface PackView {
  readonly ref: string;
  readonly origin: 'built-in' | 'imported' | 'draft';
  readonly pack: LessonPack;
  readonly files: Readonly<Record<string, Uint8Array>>;
}

/**
 * Turns pack files into a pack, or a message; never throws on a bad pack. Packs from main have
 * been checked there in full (their MIDI files read in a worker), so the window does not read
 * those again; the editor's draft (origin 'draft') is checked in full here.
 */
export function toPackView(
  ref: string,
  origin: PackView['origin'],
  files: Readonly<Record<string, Uint8Array>>,
): { view: PackView } | { problem: string } {
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a throwaway map for the validator
  const checked = validatePack(new Map(Object.entries(files)), ref, { readMidi: origin === 'draft' });
  if (!checked.pack)
    return {
      problem: checked.problems.map((p) => p.message).join('\n'),
    };
  return { view: { ref, origin, pack: checked.pack, files } };
}

const PROFILE_KEY = 'cantus.profile';
const randomSeed = () => Math.floor(Math.random() * 2 ** 31);
/** Seeds a student's lesson is tried with before it is said not to start. */
const LESSON_SEEDS = 3;
/** How long a student waits for a fresh melody before the one the pack kept is used. */
export const FRESH_MELODY_MS = 4000;
const newRunId = () => `run-${Date.now().toString(36)}-${Math.floor(Math.random() * 2 ** 31).toString(36)}`;

export type LessonPhase = 'idle' | 'building' | 'ready' | 'failed';

export class LessonsState {
  packs = $state.raw<readonly PackView[]>([]);
  /** Stored packs that could not be read, with why. */
  packProblems = $state.raw<readonly { name: string; message: string }[]>([]);
  profiles = $state.raw<readonly Profile[]>([]);
  profileId = $state<string | null>(null);
  summaries = $state.raw<readonly LessonSummary[]>([]);
  /** The lesson being worked on. */
  current = $state.raw<{ view: PackView; index: number; preview: boolean } | null>(null);
  phase = $state<LessonPhase>('idle');
  run = $state.raw<BuiltLesson | null>(null);
  error = $state<string | null>(null);
  /** For a teacher's preview: what the pack's check says was too tight. */
  errorDetail = $state<string | null>(null);
  questionIndex = $state(0);
  chosenNotes = $state.raw<readonly number[]>([]);
  chosenBars = $state.raw<readonly number[]>([]);
  typed = $state('');
  hintShown = $state(false);
  grade = $state.raw<Grade | null>(null);
  /** The first grade of each question in this run (what the lesson's score is made of). */
  firstGrades = $state.raw<readonly (Grade | null)[]>([]);
  /** What to type when typed text was not an interval name (the question stays open). */
  typingHelp = $state<string | null>(null);
  /** Something went wrong saving progress (the answer was still graded). */
  saveProblem = $state<string | null>(null);
  /** Answers sent to main to keep and not yet acknowledged. */
  saving = $state(0);
  /** A class summary made from teachers' CSV exports, when one was asked for. */
  classSummary = $state.raw<ClassSummary | null>(null);
  /** The outcome of the last export or summary, in words. */
  progressMessage = $state<{ kind: 'info' | 'error'; text: string } | null>(null);

  readonly #host: HostApi;
  readonly #generator: GeneratorState;
  /** The model that wrote the current lesson's melody; null when the pack gave it. */
  #writtenBy: string | null = null;
  /** This start of the lesson: its answers are scored together as one run. */
  #runId = newRunId();
  readonly #show: (melody: Melody, name: string) => void;
  #building = 0;

  constructor(host: HostApi, generator: GeneratorState, show: (melody: Melody, name: string) => void) {
    this.#host = host;
    this.#generator = generator;
    this.#show = show;
  }

  get profile(): Profile | null {
    return this.profiles.find((p) => p.id === this.profileId) ?? null;
  }

  get question(): PosedQuestion | null {
    return this.run?.questions[this.questionIndex] ?? null;
  }

  get lesson(): Lesson | null {
    return this.current ? (this.current.view.pack.lessons[this.current.index] ?? null) : null;
  }

  /** This student's record on a lesson, if any. */
  summaryOf(packId: string, lessonId: string): LessonSummary | null {
    return this.summaries.find((s) => s.packId === packId && s.lessonId === lessonId) ?? null;
  }

  async refresh(): Promise<void> {
    const [packs, profiles] = await Promise.all([
      this.#host['lessons:packs'](),
      this.#host['progress:profiles'](),
    ]);
    if (packs.ok) {
      const views: PackView[] = [];
      const problems = [...packs.value.problems];
      for (const entry of packs.value.packs) {
        const made = toPackView(entry.ref, entry.origin, entry.files);
        if ('view' in made) views.push(made.view);
        else problems.push({ name: entry.ref, message: made.problem });
      }
      this.packs = views;
      this.packProblems = problems;
    } else this.packProblems = [{ name: 'Lesson packs', message: packs.error.message }];
    if (profiles.ok) {
      this.profiles = profiles.value;
      const remembered = globalThis.localStorage?.getItem(PROFILE_KEY) ?? null;
      if (this.profileId === null && profiles.value.some((p) => p.id === remembered))
        this.profileId = remembered;
    }
    await this.#loadSummaries();
  }

  async addProfile(name: string): Promise<string | null> {
    const added = await this.#host['progress:add-profile']({ name });
    if (!added.ok) return added.error.message;
    this.profiles = [...this.profiles, added.value];
    await this.chooseProfile(added.value.id);
    return null;
  }

  async chooseProfile(id: string | null): Promise<void> {
    this.profileId = id;
    if (id) globalThis.localStorage?.setItem(PROFILE_KEY, id);
    else globalThis.localStorage?.removeItem(PROFILE_KEY);
    await this.#loadSummaries();
  }

  async #loadSummaries(): Promise<void> {
    const id = this.profileId;
    if (!id) {
      this.summaries = [];
      return;
    }
    const attempts = await this.#host['progress:attempts']({ profileId: id });
    if (attempts.ok && id === this.profileId) this.summaries = summarizeAttempts(attempts.value);
  }

  /** Saves progress as CSV: the chosen student's, or everyone's on this computer. */
  async exportProgress(everyone: boolean): Promise<void> {
    const saved = await this.#host['progress:export-csv']({ profileId: everyone ? null : this.profileId });
    if (!saved.ok) this.progressMessage = { kind: 'error', text: saved.error.message };
    else if (saved.value) this.progressMessage = { kind: 'info', text: `Saved “${saved.value.name}”.` };
  }

  /** Reads several CSV exports (from each classroom computer) into one class summary. */
  async summarizeClass(): Promise<void> {
    const summary = await this.#host['progress:class-summary']();
    if (!summary.ok) this.progressMessage = { kind: 'error', text: summary.error.message };
    else if (summary.value) {
      this.classSummary = summary.value;
      this.progressMessage = null;
    }
  }

  /** A lesson's title, from whichever pack has it (ids in exports may name packs not here). */
  lessonTitle(packId: string, lessonId: string): string {
    const view = this.packs.find((p) => p.pack.id === packId);
    return view?.pack.lessons.find((l) => l.id === lessonId)?.title ?? `${packId} / ${lessonId}`;
  }

  /** Starts (or restarts with a fresh melody) a lesson; `preview` keeps no progress. */
  async start(view: PackView, index: number, preview = false): Promise<void> {
    const lesson = view.pack.lessons[index];
    if (!lesson) return;
    const token = ++this.#building;
    this.current = { view, index, preview };
    this.phase = 'building';
    this.run = null;
    this.error = null;
    this.errorDetail = null;
    this.#resetAnswer();
    const writer = this.#generator.modelId ?? this.#generator.modelName;
    const source = lesson.melody;
    const canKeep = !preview && source.source === 'generate' && source.kept !== undefined;
    // A melody that misses the lesson's conditions is written again with new seeds before a
    // student is told; a teacher's preview shows the first failure, with what was too tight.
    // Where the pack keeps a melody, a student waits at most FRESH_MELODY_MS for a fresh one.
    const fresh = (async () => {
      let made = await this.#generator.buildLesson(lesson, view.files, `lessons[${index}]`, randomSeed());
      for (let again = 1; !preview && !made.ok && again < LESSON_SEEDS; again++) {
        if (token !== this.#building) break;
        made = await this.#generator.buildLesson(lesson, view.files, `lessons[${index}]`, randomSeed());
      }
      return made;
    })();
    let built = canKeep
      ? await Promise.race([
          fresh,
          new Promise<null>((done) => setTimeout(() => done(null), FRESH_MELODY_MS)),
        ])
      : await fresh;
    if (token !== this.#building) return;
    if (canKeep && (built === null || !built.ok)) {
      // The melody the pack kept when it was checked: every student still gets the lesson.
      const kept = await buildLesson(lesson, {
        // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a throwaway map for the builder
        files: new Map(Object.entries(view.files)),
        file: 'pack.json',
        path: `lessons[${index}]`,
        model: null,
        seed: randomSeed(),
        useKept: true,
      });
      if (kept.ok) built = kept;
      else if (built === null) built = await fresh;
      if (token !== this.#building) return;
    }
    if (built === null) return;
    // Progress records which model wrote a generated melody.
    this.#writtenBy = source.source === 'generate' ? writer : null;
    if (!built.ok) {
      this.phase = 'failed';
      const words = lessonProblemWords(built.error.message, preview);
      this.error = words.text;
      this.errorDetail = words.detail;
      return;
    }
    this.run = built.value;
    this.#runId = newRunId();
    this.questionIndex = 0;
    this.firstGrades = built.value.questions.map(() => null);
    this.phase = 'ready';
    this.#show(built.value.melody, `${lesson.title} (lesson)`);
  }

  /** Leaves the lesson for the list. */
  close(): void {
    this.#building++;
    this.current = null;
    this.run = null;
    this.phase = 'idle';
    this.error = null;
    this.#resetAnswer();
  }

  #resetAnswer(): void {
    this.chosenNotes = [];
    this.chosenBars = [];
    this.typed = '';
    this.hintShown = false;
    this.typingHelp = null;
    this.grade = null;
    this.saveProblem = null;
  }

  /** What the question wants clicked on the score, if anything. */
  get clicks(): 'notes' | 'bars' | null {
    const q = this.question;
    if (!q || this.grade) return null;
    if (q.expected.type === 'occurrences') return 'notes';
    if (q.expected.type === 'bars') return 'bars';
    return null;
  }

  /** A click on note `index` of the lesson's melody. Returns false when the lesson does not use it. */
  clickNote(index: number): boolean {
    const run = this.run;
    if (!run || !this.clicks) return false;
    if (this.clicks === 'notes') this.chosenNotes = toggle(this.chosenNotes, index);
    else {
      // Any note of a bar chooses the bar (students click several); the bar buttons take one back.
      const bar = barOfNote(run.melody, index);
      if (bar >= 0 && !this.chosenBars.includes(bar)) this.chosenBars = toggle(this.chosenBars, bar);
    }
    return true;
  }

  toggleBar(bar: number): void {
    if (bar >= 0 && !this.grade) this.chosenBars = toggle(this.chosenBars, bar);
  }

  clearChoice(): void {
    this.chosenNotes = [];
    this.chosenBars = [];
    this.typed = '';
  }

  /** The answer as it stands, for the Check button. */
  get pending(): Answer | null {
    const q = this.question;
    if (!q) return null;
    if (q.expected.type === 'occurrences') return { type: 'notes', notes: this.chosenNotes };
    if (q.expected.type === 'bars') return { type: 'bars', bars: this.chosenBars };
    return this.typed.trim() ? { type: 'text', value: this.typed } : null;
  }

  /** Grades an answer and keeps it in the student's progress. */
  async answer(answer: Answer): Promise<void> {
    const q = this.question;
    const current = this.current;
    if (!q || !current || this.grade) return;
    if (answer.type === 'text') this.typed = answer.value;
    // Typed text that is no interval name is not an answer yet: say what to type, keep the question.
    if (q.expected.type === 'interval' && answer.type === 'text' && readIntervalName(answer.value) === null) {
      this.typingHelp = intervalNameHelp(answer.value);
      return;
    }
    this.typingHelp = null;
    const grade = gradeAnswer(q, answer);
    this.grade = grade;
    const index = this.questionIndex;
    // Progress keeps first answers only: a retry after the answer was shown proves little.
    const first = this.firstGrades[index] === null;
    if (first) this.firstGrades = this.firstGrades.map((g, i) => (i === index ? grade : g));
    if (!first || current.preview || !this.profileId) return;
    const lesson = this.lesson!;
    this.saving++;
    const record = this.#host['progress:record']({
      profileId: this.profileId,
      packId: current.view.pack.id,
      lessonId: lesson.id,
      questionKind: q.kind,
      score: grade.score,
      correct: grade.correct,
      runId: this.#runId,
      ...(this.#writtenBy ? { model: this.#writtenBy } : {}),
    });
    const saved = await record.finally(() => this.saving--);
    if (!saved.ok)
      this.saveProblem = `Your answer was marked, but it could not be saved: ${saved.error.message}`;
    else await this.#loadSummaries();
  }

  /** Tries the same question again. */
  retry(): void {
    this.#resetAnswer();
  }

  next(): void {
    if (!this.run) return;
    this.#resetAnswer();
    this.questionIndex = Math.min(this.run.questions.length, this.questionIndex + 1);
  }

  /** True once every question has been answered (the summary shows). */
  get finished(): boolean {
    return this.run !== null && this.questionIndex >= this.run.questions.length;
  }

  /** Mean of the first answers' scores, 0-1. */
  get lessonScore(): number {
    const done = this.firstGrades.filter((g): g is Grade => g !== null);
    return done.length === 0 ? 0 : done.reduce((s, g) => s + g.score, 0) / done.length;
  }
}

function toggle(list: readonly number[], value: number): number[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value].sort((a, b) => a - b);
}
