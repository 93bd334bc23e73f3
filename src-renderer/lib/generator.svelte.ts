/**
 * The Generate panel's state: settings (adventure, length, variations, seed), the worker that
 * runs the model, progress, cancelling, and the variations it wrote.
 */
import { MAX_VARIATIONS, TEMPERATURE_RANGE } from '../../src-core/model/generate.ts';
import { builtInModel, DEFAULT_MODEL_ID } from '../../src-core/model/model-id.ts';
import type { SteerConstraint } from '../../src-core/model/steering.ts';
import { stepsPerBar, type Melody } from '../../src-core/music/melody.ts';
import type { FromGenerator, ToGenerator } from './generator-protocol.ts';
import type { BuiltLesson } from '../../src-core/lessons/build-lesson.ts';
import type { Lesson } from '../../src-core/lessons/schema.ts';
import { fail, ok, type Result } from '../../src-core/result.ts';
import { CHORDS_EXAMPLE, isChordModelConfig, parseChords } from '../../src-core/model/chord-progression.ts';

/** Where the app serves a built-in model (under models/). */
export const builtInModelUrl = (id: string): string => `./models/${id}/`;

/** The model Cantus writes with unless told otherwise. */
export const MODEL_URL = builtInModelUrl(DEFAULT_MODEL_ID);

/** "Polish": beam search keeping the likeliest tries, a beat at a time. */
export const POLISH = { branchFactor: 2, stepsPerIteration: 4 } as const;

export type GeneratorPhase = 'idle' | 'loading' | 'generating';

/** The conditions the Generate panel offers. */
export type WindowCondition = 'in-key' | 'steps-and-thirds' | 'ends-on-tonic' | 'two-bar-repeat';

export const CONDITION_WORDS: Readonly<Record<WindowCondition, string>> = {
  'in-key': 'Stay in the key',
  'steps-and-thirds': 'Only steps and thirds',
  'ends-on-tonic': 'End on the home note',
  'two-bar-repeat': 'Bars 1-2 come back halfway',
};

/** The panel's conditions as steering for continuing `primer` by `bars` bars. */
export function steeringOf(
  conditions: readonly WindowCondition[],
  primer: Melody,
  bars: number,
): SteerConstraint[] {
  const total = Math.ceil(primer.length / stepsPerBar(primer.meter)) + bars;
  return conditions.map((c): SteerConstraint =>
    c === 'two-bar-repeat'
      ? { kind: 'repeat-bars', from: 1, at: Math.floor(total / 2) + 1, bars: 2 }
      : { kind: c },
  );
}

const randomSeed = () => Math.floor(Math.random() * 1_000_000);

export class GeneratorState {
  /** "Adventure": the sampling temperature. */
  temperature = $state(1.0);
  bars = $state(4);
  variations = $state(4);
  seed = $state(randomSeed());
  phase = $state<GeneratorPhase>('idle');
  progress = $state(0);
  results = $state.raw<readonly Melody[]>([]);
  /** The primer the shown results continue, and its name (the open melody may have changed since). */
  resultsFrom = $state.raw<{ readonly primer: Melody; readonly name: string } | null>(null);
  #pendingFrom: { readonly primer: Melody; readonly name: string } | null = null;
  error = $state<string | null>(null);
  /** The model that writes: a built-in one (its id), or a folder the user chose (id null). */
  modelId = $state<string | null>(DEFAULT_MODEL_ID);
  modelUrl = $state(MODEL_URL);
  modelName = $state(builtInModel(DEFAULT_MODEL_ID)?.name ?? DEFAULT_MODEL_ID);
  /** Conditions every variation meets, steered while the model writes. */
  conditions = $state<readonly WindowCondition[]>([]);
  /** Try several continuations and keep the likeliest (beam search). */
  polish = $state(false);
  /** The model writes over chords (a chord_pitches_improv folder): it needs `chords`. */
  takesChords = $state(false);
  /** The chords to write over, one a bar, as the user typed them. */
  chords = $state(CHORDS_EXAMPLE);

  #worker: Worker | null = null;
  #next = 1;
  #current = 0;
  // Pending "how surprising" requests by id; bookkeeping, not state the window shows.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #scoring = new Map<
    number,
    {
      resolve: (p: readonly (number | null)[]) => void;
      reject: (e: Error) => void;
      onProgress: ((share: number) => void) | undefined;
    }
  >();

  // Pending lesson builds by id, likewise.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #lessons = new Map<number, (result: Result<BuiltLesson>) => void>();

  /**
   * For each note, how expected it is to the model (0-1); null for the first note. The worker
   * scores a step at a time: `onProgress` hears the share done, and aborting `signal` stops it
   * (the promise then rejects).
   */
  score(
    melody: Melody,
    options: { onProgress?: (share: number) => void; signal?: AbortSignal } = {},
  ): Promise<readonly (number | null)[]> {
    const id = this.#next++;
    const { onProgress, signal } = options;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new Error('Scoring was cancelled.'));
      this.#scoring.set(id, { resolve, reject, onProgress });
      signal?.addEventListener('abort', () => {
        if (!this.#scoring.delete(id)) return;
        this.#worker?.postMessage({ type: 'cancel', id } satisfies ToGenerator);
        reject(new Error('Scoring was cancelled.'));
      });
      this.#post({
        type: 'score',
        id,
        // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off string, not state
        modelUrl: new URL(this.modelUrl, document.baseURI).href,
        melody,
      });
    });
  }

  /**
   * Sends a request to the worker. The window's melodies are raw state (plain data), which the
   * structured clone copies as they are; `$state.snapshot` would first walk every number of a
   * long melody through `structuredClone` one at a time (about 70 ms for 1,600 notes on the
   * window's thread), so it is kept for a value the clone refuses (a deep-state proxy).
   */
  #post(message: ToGenerator): void {
    const worker = this.#ensureWorker();
    try {
      worker.postMessage(message);
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'DataCloneError')) throw err;
      worker.postMessage($state.snapshot(message) as ToGenerator);
    }
  }

  /** Builds a run of a lesson in the worker: its melody, analysis and questions. */
  buildLesson(
    lesson: Lesson,
    files: Readonly<Record<string, Uint8Array>>,
    path: string,
    seed: number,
  ): Promise<Result<BuiltLesson>> {
    const id = this.#next++;
    return new Promise((resolve) => {
      this.#lessons.set(id, resolve);
      this.#post({
        type: 'lesson',
        id,
        // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off string, not state
        modelUrl: new URL(this.modelUrl, document.baseURI).href,
        lesson,
        files,
        path,
        seed,
      });
    });
  }

  /** Continues `primer` (called `name` in the window) with the current settings. */
  generate(primer: Melody, name = ''): void {
    this.cancel();
    const chords = this.takesChords ? parseChords(this.chords) : null;
    if (chords && !chords.ok) {
      this.error = chords.error.message;
      return;
    }
    this.#pendingFrom = { primer, name };
    const id = this.#next++;
    this.#current = id;
    this.phase = 'loading';
    this.progress = 0;
    this.error = null;
    const request: ToGenerator = {
      type: 'generate',
      id,
      // Absolute, because the worker resolves relative URLs against its own script.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off string, not state
      modelUrl: new URL(this.modelUrl, document.baseURI).href,
      primer,
      steps: this.bars * stepsPerBar(primer.meter),
      temperature: Math.min(TEMPERATURE_RANGE.max, Math.max(TEMPERATURE_RANGE.min, this.temperature)),
      variations: Math.min(MAX_VARIATIONS, Math.max(1, Math.round(this.variations))),
      seed: Math.max(0, Math.round(this.seed)),
      // A chord model runs in magenta.js, which neither steers nor polishes.
      steer: chords ? [] : steeringOf(this.conditions, primer, this.bars),
      beam:
        this.polish && !chords
          ? { size: Math.min(MAX_VARIATIONS, Math.max(4, Math.round(this.variations))), ...POLISH }
          : null,
      chords: chords ? chords.value : null,
    };
    this.#post(request);
  }

  cancel(): void {
    if (this.phase === 'idle') return;
    this.#worker?.postMessage({ type: 'cancel', id: this.#current } satisfies ToGenerator);
    this.#current = 0;
    this.phase = 'idle';
    this.progress = 0;
  }

  /** Writes with a built-in model from now on. */
  useBuiltIn(id: string): void {
    this.#use(id, builtInModelUrl(id), builtInModel(id)?.name ?? id);
  }

  /** Writes with a model folder the user chose from now on (over chords, if its config says so). */
  useModel(model: { url: string; name: string }): void {
    this.#use(null, model.url, model.name);
    void this.#readTakesChords(model.url);
  }

  async #readTakesChords(url: string): Promise<void> {
    try {
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off address, not state
      const response = await fetch(new URL('config.json', new URL(url, document.baseURI)));
      const config: unknown = await response.json();
      if (this.modelUrl === url) this.takesChords = isChordModelConfig(config);
    } catch {
      // Main checked the folder; if its config cannot be read now, the worker will say why.
    }
  }

  #use(id: string | null, url: string, name: string): void {
    this.cancel();
    this.modelId = id;
    this.modelUrl = url;
    this.modelName = name;
    this.takesChords = false;
    this.results = [];
    this.resultsFrom = null;
    this.error = null;
  }

  newSeed(): void {
    this.seed = randomSeed();
  }

  dispose(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- Vite's worker URL, not state
    const worker = new Worker(new URL('../workers/generate-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<FromGenerator>) => this.#receive(event.data);
    worker.onerror = () => {
      this.#worker = null;
      for (const s of this.#scoring.values()) s.reject(new Error('The melody model stopped unexpectedly.'));
      this.#scoring.clear();
      for (const resolve of this.#lessons.values())
        resolve(fail('generate/failed', 'The melody model stopped unexpectedly. Try the lesson again.'));
      this.#lessons.clear();
      this.phase = 'idle';
      this.error = 'The melody model stopped unexpectedly. Press Generate to try again.';
    };
    this.#worker = worker;
    return worker;
  }

  #receive(message: FromGenerator): void {
    const lesson = this.#lessons.get(message.id);
    if (lesson) {
      if (message.type === 'lesson') lesson(ok(message.built));
      else if (message.type === 'error') lesson(fail(message.code, message.message));
      else return;
      this.#lessons.delete(message.id);
      return;
    }
    const scoring = this.#scoring.get(message.id);
    if (scoring) {
      if (message.type === 'progress') return scoring.onProgress?.(message.done / message.total);
      if (message.type === 'scored') scoring.resolve(message.probabilities);
      else if (message.type === 'error') scoring.reject(new Error(message.message));
      else return;
      this.#scoring.delete(message.id);
      return;
    }
    if (message.id !== this.#current) return; // a reply to a cancelled request
    switch (message.type) {
      case 'loaded':
        this.phase = 'generating';
        return;
      case 'progress':
        this.progress = message.done / message.total;
        return;
      case 'result':
        this.results = message.melodies;
        this.resultsFrom = this.#pendingFrom;
        this.phase = 'idle';
        this.progress = 1;
        return;
      case 'error':
        this.phase = 'idle';
        this.error = message.code === 'generate/cancelled' ? null : message.message;
        return;
      case 'scored':
      case 'lesson':
        return;
    }
  }
}
