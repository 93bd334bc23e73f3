/**
 * The teacher's pack editor: a draft pack (pack.json as plain data, plus the MIDI files it
 * uses), kept by main after every change so nothing is lost, with undo, candidate melodies
 * generated under the lesson's constraints, validation by the pure core, preview, export and
 * import. The draft may be invalid while it is being written; validation says what to fix.
 */
import type { HostApi } from '../../src-core/ipc/contract.ts';
import { PACK_JSON } from '../../src-core/lessons/pack-files.ts';
import {
  CONSTRAINT_NAMES,
  PACK_FORMAT_VERSION,
  type ConstraintName,
  type GenerateSource,
  type QuestionKind,
} from '../../src-core/lessons/schema.ts';
import { validatePack } from '../../src-core/lessons/validate.ts';
import { DEFAULT_MODEL_ID } from '../../src-core/model/model-id.ts';
import { formatNotes, type Melody } from '../../src-core/music/melody.ts';
import type { GeneratorState } from './generator.svelte.ts';
import { toPackView, type PackView } from './lessons.svelte.ts';
import { buildLesson, type BuiltLesson } from '../../src-core/lessons/build-lesson.ts';
import { keptText } from '../../src-core/lessons/melody-source.ts';
import type { Result } from '../../src-core/result.ts';
import { teacherWords } from './teacher-words.ts';

/** A lesson as the editor holds it: pack.json's shape, not yet checked. */
export interface DraftLesson {
  id: string;
  title: string;
  introduction: string;
  melody: Record<string, unknown>;
  questions: {
    id: string;
    kind: QuestionKind;
    answer?: 'choices' | 'typed';
    hint?: string;
    sizes?: number[];
  }[];
}

export interface DraftPack {
  formatVersion: number;
  id: string;
  title: string;
  author: string;
  version: string;
  language: string;
  lessons: DraftLesson[];
}

/** Settings for generating candidate melodies, per lesson while the editor is open. */
export interface CandidateSettings {
  primer: string;
  temperature: number;
  bars: number;
  constraints: ConstraintName[];
}

export const CANDIDATES = 4;
/** Seeds Check tries a lesson that writes its melody with before it says the lesson cannot be built. */
export const PROVE_TRIES = 3;
const randomSeed = () => Math.floor(Math.random() * 2 ** 31);
/** Most questions of one kind the editor adds to a lesson. */
export const MAX_PER_KIND = 5;

/** Question kinds in a teacher's words. */
export const KIND_NAMES: Readonly<Record<QuestionKind, string>> = {
  'interval-name': 'Name the interval between two marked notes',
  'interval-by-ear': 'Name an interval by ear (score hidden)',
  'step-skip-leap': 'Step, skip or leap',
  contour: 'The shape of the melody',
  'find-motif': 'Find every place a motif comes back',
  'repeated-bars': 'Which bars repeat an earlier bar',
  'form-letters': 'The form in letters (AABA)',
  sequence: 'Spot the sequence and how far it moves',
  'which-repeats-more': 'Of two variations, which repeats itself more',
  'major-or-minor': 'Is the tune major or minor (by ear and eye)',
  'home-note': 'Which note is home (where the tune comes to rest)',
};
const UNDO_LIMIT = 100;
/** Keystrokes in one field closer together than this are one undo step. */
const TYPING_PAUSE_MS = 1500;
/** How long after a change the draft is kept. */
const SAVE_DELAY_MS = 250;

/** "My first pack!" -> "my-first-pack". */
export function slug(text: string, fallback: string): string {
  const s = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return /^[a-z0-9]/.test(s) ? s : fallback;
}

export function newLesson(n: number): DraftLesson {
  return {
    id: `lesson-${n}`,
    title: `Lesson ${n}`,
    introduction: '',
    melody: {
      source: 'generate',
      model: DEFAULT_MODEL_ID,
      primer: 'C4 E4 G4 E4',
      temperature: 1,
      bars: 8,
      constraints: [],
    },
    questions: [{ id: 'q-interval-name', kind: 'interval-name', answer: 'choices' }],
  };
}

/** A fixed melody source holding `melody`'s notes, so every student gets that melody. */
export function fixedSource(melody: Melody): Record<string, unknown> {
  return {
    source: 'fixed',
    notes: formatNotes(melody.notes),
    meter: { numerator: melody.meter.numerator, denominator: melody.meter.denominator },
    ...(melody.key && /^[A-G](#|b)?$/.test(melody.key.tonic)
      ? { key: { tonic: melody.key.tonic, mode: melody.key.mode } }
      : {}),
    tempo: Math.round(Math.min(400, Math.max(20, melody.tempo))),
  };
}

export class PackEditorState {
  draft = $state<DraftPack | null>(null);
  /** MIDI files the draft uses, by path. */
  files = $state.raw<Readonly<Record<string, Uint8Array>>>({});
  selected = $state(0);
  loaded = $state(false);
  saveState = $state<'saved' | 'saving' | 'failed'>('saved');
  message = $state<{ kind: 'info' | 'error'; text: string } | null>(null);
  problems = $state.raw<readonly string[]>([]);
  candidates = $state.raw<readonly Melody[]>([]);
  candidatePhase = $state<'idle' | 'working'>('idle');
  candidateProgress = $state(0);
  settings = $state<CandidateSettings>({ primer: 'C4 E4 G4 E4', temperature: 1, bars: 8, constraints: [] });
  #undo: string[] = [];
  #redo: string[] = [];
  canRedo = $state(false);
  #lastField: string | null = null;
  #lastAt = 0;
  canUndo = $state(false);
  #saveTimer: ReturnType<typeof setTimeout> | null = null;
  #candidateRun = 0;
  #checkRun = 0;
  /** True while Check is building the lessons. */
  checking = $state(false);
  readonly #host: HostApi;
  readonly #generator: GeneratorState;

  constructor(host: HostApi, generator: GeneratorState) {
    this.#host = host;
    this.#generator = generator;
  }

  get lesson(): DraftLesson | null {
    return this.draft?.lessons[this.selected] ?? null;
  }

  /** Loads the kept draft the first time the editor opens. */
  async open(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    const kept = await this.#host['lessons:draft-load']();
    if (!kept.ok) {
      this.message = {
        kind: 'error',
        text: `The pack you were working on could not be read: ${kept.error.message}`,
      };
      return;
    }
    if (kept.value) this.#load(kept.value);
  }

  #load(files: Readonly<Record<string, Uint8Array>>): boolean {
    const json = files[PACK_JSON];
    try {
      const parsed = JSON.parse(new TextDecoder().decode(json)) as DraftPack;
      if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.lessons)) throw new Error();
      const rest = Object.fromEntries(Object.entries(files).filter(([path]) => path !== PACK_JSON));
      this.draft = parsed;
      this.files = rest;
      this.selected = 0;
      return true;
    } catch {
      this.message = {
        kind: 'error',
        text: 'The pack you were working on could not be read; start a new one.',
      };
      return false;
    }
  }

  /** Records the draft before a change, so Undo can bring it back. */
  #remember(): void {
    if (!this.draft) return;
    this.#undo.push(this.#snapshot());
    if (this.#undo.length > UNDO_LIMIT) this.#undo.shift();
    this.canUndo = true;
    this.#redo = [];
    this.canRedo = false;
  }

  #snapshot(): string {
    return JSON.stringify({ draft: this.draft, selected: this.selected });
  }

  #restore(saved: string): void {
    const { draft, selected } = JSON.parse(saved) as { draft: DraftPack; selected: number };
    this.draft = draft;
    this.selected = Math.min(selected, draft.lessons.length - 1);
    this.#scheduleSave();
  }

  /**
   * Applies a change to the draft and keeps it. Typing in one field (`field` names it) makes
   * one undo step, not one a keystroke.
   */
  change(edit: (draft: DraftPack) => void, field?: string): void {
    if (!this.draft) return;
    const now = Date.now();
    const typing = field !== undefined && field === this.#lastField && now - this.#lastAt < TYPING_PAUSE_MS;
    if (!typing) this.#remember();
    this.#lastField = field ?? null;
    this.#lastAt = now;
    edit(this.draft);
    this.problems = [];
    this.#scheduleSave();
  }

  undo(): void {
    this.#lastField = null;
    this.message = null;
    this.problems = [];
    const last = this.#undo.pop();
    this.canUndo = this.#undo.length > 0;
    if (!last) return;
    if (this.draft) this.#redo.push(this.#snapshot());
    this.canRedo = this.#redo.length > 0;
    this.#restore(last);
  }

  /** Takes back the last Undo. */
  redo(): void {
    this.#lastField = null;
    const next = this.#redo.pop();
    this.canRedo = this.#redo.length > 0;
    if (!next) return;
    if (this.draft) this.#undo.push(this.#snapshot());
    this.canUndo = true;
    this.#restore(next);
  }

  newPack(author = ''): void {
    if (this.draft) this.#remember();
    this.draft = {
      formatVersion: PACK_FORMAT_VERSION,
      id: `my-pack-${Math.floor(Math.random() * 1e6)}`,
      title: 'My lesson pack',
      author: author || 'A teacher',
      version: '1.0.0',
      language: 'en',
      lessons: [newLesson(1)],
    };
    this.files = {};
    this.selected = 0;
    this.candidates = [];
    this.problems = [];
    this.message = null;
    this.#scheduleSave();
  }

  /** Starts a new draft from a pack there is (to change a colleague's pack, say). */
  editCopy(view: PackView): void {
    if (this.draft) this.#remember();
    const rest = Object.fromEntries(Object.entries(view.files).filter(([path]) => path !== PACK_JSON));
    this.draft = JSON.parse(JSON.stringify(view.pack)) as DraftPack;
    // A copy of a pack that comes with Cantus needs an id of its own (progress is kept by id).
    if (view.origin === 'built-in') this.draft.id = `${view.pack.id}-copy`.slice(0, 64);
    this.files = rest;
    this.selected = 0;
    this.candidates = [];
    this.problems = [];
    this.message = { kind: 'info', text: `Editing a copy of “${view.pack.title}”.` };
    this.#scheduleSave();
  }

  addLesson(): void {
    this.change((d) => {
      let n = d.lessons.length + 1;
      while (d.lessons.some((l) => l.id === `lesson-${n}`)) n++;
      d.lessons.push(newLesson(n));
    });
    this.selected = this.draft!.lessons.length - 1;
    this.candidates = [];
  }

  removeLesson(index: number): void {
    if (!this.draft || this.draft.lessons.length <= 1) return;
    const title = this.draft.lessons[index]?.title ?? '';
    this.change((d) => d.lessons.splice(index, 1));
    this.selected = Math.min(this.selected, this.draft.lessons.length - 1);
    this.message = { kind: 'info', text: `Removed “${title}”. Undo brings it back.` };
  }

  moveLesson(index: number, by: -1 | 1): void {
    const to = index + by;
    if (!this.draft || to < 0 || to >= this.draft.lessons.length) return;
    this.change((d) => {
      const [moved] = d.lessons.splice(index, 1);
      d.lessons.splice(to, 0, moved!);
    });
    this.selected = to;
  }

  select(index: number): void {
    this.selected = index;
    this.candidates = [];
    this.#candidateRun++;
    this.candidatePhase = 'idle';
  }

  /**
   * How many questions of `kind` the lesson asks (0 to 5); each is posed on a different place
   * in the melody where it can be. A new one copies the settings of the first of its kind.
   */
  setQuestionCount(kind: QuestionKind, count: number): void {
    const want = Math.max(0, Math.min(MAX_PER_KIND, Math.round(count)));
    this.change((d) => {
      const lesson = d.lessons[this.selected];
      if (!lesson) return;
      const mine = lesson.questions.filter((q) => q.kind === kind);
      if (mine.length > want) {
        const drop = mine.slice(want);
        lesson.questions = lesson.questions.filter((q) => !drop.includes(q));
        return;
      }
      const taken = lesson.questions.map((q) => q.id);
      const model = mine[0];
      for (let n = mine.length; n < want; n++) {
        let k = n + 1;
        let id = k === 1 ? `q-${kind}` : `q-${kind}-${k}`;
        while (taken.includes(id)) id = `q-${kind}-${++k}`;
        taken.push(id);
        lesson.questions.push({
          ...(model ? { ...model, hint: undefined } : {}),
          id,
          kind,
          ...(!model && (kind === 'interval-name' || kind === 'interval-by-ear')
            ? { answer: 'choices' as const }
            : {}),
        });
        const added = lesson.questions.at(-1)!;
        if (added.hint === undefined) delete added.hint;
      }
    }, `count-${kind}`);
  }

  toggleQuestion(kind: QuestionKind): void {
    this.change((d) => {
      const lesson = d.lessons[this.selected];
      if (!lesson) return;
      const at = lesson.questions.findIndex((q) => q.kind === kind);
      if (at >= 0) lesson.questions.splice(at, 1);
      else
        lesson.questions.push({
          id: `q-${kind}`,
          kind,
          ...(kind === 'interval-name' || kind === 'interval-by-ear' ? { answer: 'choices' as const } : {}),
        });
    });
  }

  /** Uses `melody` as the lesson's melody, written into the pack. */
  useMelody(melody: Melody): void {
    this.change((d) => {
      const lesson = d.lessons[this.selected];
      if (lesson) lesson.melody = fixedSource(melody);
    });
    this.message = {
      kind: 'info',
      text: 'The lesson now uses this melody; every student gets the same one.',
    };
  }

  /** Makes the lesson write a fresh melody for each student, with these settings. */
  useGenerated(): void {
    const s = this.settings;
    this.change((d) => {
      const lesson = d.lessons[this.selected];
      if (lesson) lesson.melody = this.#generateSource(s);
    });
    this.message = {
      kind: 'info',
      text: 'Each student now gets a fresh melody written with these settings.',
    };
  }

  #generateSource(s: CandidateSettings): Omit<GenerateSource, 'seed'> {
    return {
      source: 'generate',
      model: DEFAULT_MODEL_ID,
      primer: s.primer.trim(),
      temperature: s.temperature,
      bars: s.bars,
      constraints: CONSTRAINT_NAMES.filter((c) => s.constraints.includes(c)),
    };
  }

  /** Writes candidate melodies that meet the constraints and fit the lesson's questions. */
  async generateCandidates(): Promise<void> {
    const lesson = this.lesson;
    if (!lesson) return;
    const run = ++this.#candidateRun;
    this.candidatePhase = 'working';
    this.candidateProgress = 0;
    this.candidates = [];
    this.message = null;
    const trial = {
      ...(JSON.parse(JSON.stringify(lesson)) as DraftLesson),
      melody: this.#generateSource(this.settings),
    };
    const checked = validatePack(
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a throwaway map for the validator
      new Map([[PACK_JSON, new TextEncoder().encode(JSON.stringify({ ...this.draft, lessons: [trial] }))]]),
      'the lesson',
    );
    if (!checked.pack) {
      this.candidatePhase = 'idle';
      this.message = {
        kind: 'error',
        text: `Fix this first: ${checked.problems.map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`).join('; ')}`,
      };
      return;
    }
    const found: Melody[] = [];
    const base = Math.floor(Math.random() * 1e9);
    for (let k = 0; k < CANDIDATES; k++) {
      const built = await this.#generator.buildLesson(
        checked.pack.lessons[0]!,
        {},
        'lessons[0]',
        base + k * 7907,
      );
      if (run !== this.#candidateRun) return;
      if (!built.ok) {
        this.message = {
          kind: 'error',
          text: teacherWords(built.error.message),
        };
        break;
      }
      found.push(built.value.melody);
      this.candidates = [...found];
      this.candidateProgress = (k + 1) / CANDIDATES;
    }
    this.candidatePhase = 'idle';
  }

  cancelCandidates(): void {
    this.#candidateRun++;
    this.candidatePhase = 'idle';
  }

  /** The draft as pack files. */
  packFiles(): Record<string, Uint8Array> {
    return {
      ...this.files,
      [PACK_JSON]: new TextEncoder().encode(`${JSON.stringify(this.draft, null, 2)}\n`),
    };
  }

  /**
   * Checks the draft as a colleague's Cantus will, then builds every lesson: one with a
   * written-in melody, to say which questions its melody cannot carry (students would never
   * see them); one that writes its melody, to prove the model can write one that meets its
   * conditions, which the pack then keeps (`kept`) for a student whose fresh melody does not
   * come in time (`prove` false skips those, for a quick preview). Returns the pack when it
   * can be shared.
   */
  async check(prove = true): Promise<PackView | null> {
    const view = this.validate();
    if (!view) return null;
    const run = ++this.#checkRun;
    const notes: string[] = [];
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- gathered here, then written in one change
    const kept = new Map<number, ReturnType<typeof keptText>>();
    const lessons = view.pack.lessons;
    this.checking = true;
    try {
      for (const [index, lesson] of lessons.entries()) {
        const path = `lessons[${index}]`;
        let built: Result<BuiltLesson>;
        if (lesson.melody.source === 'generate') {
          if (!prove) continue;
          this.message = {
            kind: 'info',
            text: `Writing a melody for “${lesson.title}” (lesson ${index + 1} of ${lessons.length})…`,
          };
          built = await this.#generator.buildLesson(lesson, view.files, path, randomSeed());
          for (let again = 1; !built.ok && again < PROVE_TRIES; again++) {
            if (run !== this.#checkRun) return null;
            built = await this.#generator.buildLesson(lesson, view.files, path, randomSeed());
          }
          if (run !== this.#checkRun) return null;
          if (built.ok) kept.set(index, keptText(built.value.melody, built.value.second));
        } else {
          built = await buildLesson(lesson, {
            // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a throwaway map for the builder
            files: new Map(Object.entries(view.files)),
            file: PACK_JSON,
            path,
            model: null,
            seed: 1,
          });
        }
        if (!built.ok) {
          const why = teacherWords(built.error.message);
          notes.push(
            lesson.melody.source === 'generate'
              ? `“${lesson.title}”: in ${PROVE_TRIES} tries Cantus could not write a melody that fits. ${why}`
              : `“${lesson.title}”: ${why}`,
          );
        } else
          for (const skipped of built.value.skipped) {
            const kind = lesson.questions.find((q) => q.id === skipped.id)?.kind;
            notes.push(
              `“${lesson.title}”: students will not get “${kind ? KIND_NAMES[kind] : skipped.id}”. ${skipped.reason}`,
            );
          }
      }
    } finally {
      if (run === this.#checkRun) this.checking = false;
    }
    // The melodies written are kept with the pack, in one undoable change.
    if (kept.size > 0)
      this.change((d) => {
        for (const [index, text] of kept) {
          const melody = d.lessons[index]?.melody as Record<string, unknown> | undefined;
          if (melody?.['source'] === 'generate') melody['kept'] = text;
        }
      });
    // The pack as it now stands (with what it keeps); validating clears the problem list, so first.
    const checked = kept.size > 0 ? (this.validate() ?? view) : view;
    this.problems = notes;
    this.message =
      notes.length === 0
        ? {
            kind: 'info',
            text:
              kept.size > 0
                ? 'The pack is ready to share. Cantus wrote a melody for each lesson that writes its own, and the pack keeps it for a student whose fresh melody is slow to come.'
                : 'The pack is ready to share.',
          }
        : { kind: 'info', text: 'The pack can be shared, but look at these first:' };
    return checked;
  }

  /** Stops a check that is writing melodies. */
  cancelCheck(): void {
    this.#checkRun++;
    this.checking = false;
    this.message = null;
  }

  /** Checks the draft as Cantus will check it when a colleague imports it. */
  validate(): PackView | null {
    if (!this.draft) return null;
    const made = toPackView(`draft/${this.draft.id}`, 'draft', this.packFiles());
    if ('view' in made) {
      this.problems = [];
      return made.view;
    }
    this.problems = made.problem.split('\n');
    this.message = null;
    return null;
  }

  async export(): Promise<void> {
    if (!this.validate() || !this.draft) {
      this.message = { kind: 'error', text: 'The pack has problems (listed below); fix them, then export.' };
      return;
    }
    // A lesson that writes its melody is proved, and keeps one, before the pack leaves.
    const unproved = this.draft.lessons.some((l) => {
      const melody = l.melody as Record<string, unknown>;
      return melody['source'] === 'generate' && melody['kept'] === undefined;
    });
    if (unproved && !(await this.check())) return;
    const saved = await this.#host['lessons:export']({
      suggestedName: `${slug(this.draft.title, this.draft.id)}.zip`,
      files: this.packFiles(),
    });
    if (!saved.ok) this.message = { kind: 'error', text: saved.error.message };
    else if (saved.value)
      this.message = {
        kind: 'info',
        text: `Saved “${saved.value.name}”. Share that one file with colleagues.`,
      };
  }

  /** Imports a colleague's pack; returns true when one was added. */
  async importPack(): Promise<boolean> {
    const imported = await this.#host['lessons:import']();
    if (!imported.ok) {
      this.message = { kind: 'error', text: imported.error.message };
      return false;
    }
    if (!imported.value) return false;
    const made = toPackView(imported.value.ref, imported.value.origin, imported.value.files);
    this.message = {
      kind: 'info',
      text:
        'view' in made
          ? `Imported “${made.view.pack.title}”: its lessons are in the Lessons list.`
          : 'The pack was imported.',
    };
    return true;
  }

  #scheduleSave(): void {
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    this.saveState = 'saving';
    this.#saveTimer = setTimeout(() => void this.flush(), SAVE_DELAY_MS);
  }

  /** Keeps the draft now (also called before the window closes). */
  async flush(): Promise<void> {
    const pending = this.#saveTimer !== null;
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    this.#saveTimer = null;
    if (!this.draft || (!pending && this.saveState === 'saved')) return;
    const saved = await this.#host['lessons:draft-save']({ files: this.packFiles() });
    this.saveState = saved.ok ? 'saved' : 'failed';
    if (!saved.ok)
      this.message = { kind: 'error', text: `The pack could not be kept: ${saved.error.message}` };
  }
}
