/**
 * MODEL_CARD.md of a shipped melody model, written from the facts of its training run (log,
 * checkpoint state, baseline, dataset statistics). Every number in the card comes from those
 * facts; the builder invents nothing and says plainly when training had not finished.
 */
import type { Baseline, EvalRecord, LstmShape, TrainConfig } from './checkpoint-format.ts';
import { MODEL_PITCH_RANGE } from './melody-events.ts';
import type { EncodingKind } from './event-encoding.ts';

export interface DatasetFacts {
  readonly corpus: string;
  readonly files: number;
  readonly unreadable: number;
  readonly melodiesFound: number;
  readonly tooShort: number;
  readonly tooFewPitchClasses: number;
  readonly truncated: number;
  readonly foldedNotes: number;
  readonly tunes: { readonly train: number; readonly eval: number };
  readonly melodies: { readonly train: number; readonly eval: number };
  readonly events: { readonly train: number; readonly eval: number };
  readonly evalDuplicatesOfTrain: number;
  readonly fingerprint: string;
}

export interface ModelCardFacts {
  readonly modelId: string;
  readonly runId: string;
  /** ISO time of the export. */
  readonly exportedAt: string;
  readonly config: TrainConfig;
  readonly shape: LstmShape;
  readonly parameterCount: number;
  /** The run's progress when exported. */
  readonly progress: { readonly step: number; readonly wallSeconds: number };
  /** The exported checkpoint's eval figures (the best eval so far). */
  readonly exported: EvalRecord;
  /** Eval lines of the log, oldest first. */
  readonly evalHistory: readonly EvalRecord[];
  /** Mean seconds per training step over the logged steps, if any were logged. */
  readonly secondsPerStep: number | null;
  /** The machine the export ran on (training ran on the same one), e.g. "2 CPU cores (...)". */
  readonly machine: string;
  readonly baseline: Baseline;
  readonly dataset: DatasetFacts;
  /** The corpus README's provenance section, as Markdown. */
  readonly provenance: string;
  /** Shell commands that reproduce the model from a fresh checkout. */
  readonly reproduce: readonly string[];
  readonly files: readonly { readonly name: string; readonly bytes: number; readonly sha256: string }[];
  /**
   * The exported files loaded by magenta.js MusicRNN (basic models) or by Cantus's own engine
   * (lookback models, which magenta.js cannot run), checked against the training code.
   */
  readonly check: {
    readonly maxAbsDifference: number;
    readonly steps: number;
    readonly primerSteps: number;
    readonly runner: 'MusicRNN' | 'Cantus engine';
  } | null;
  /** Generated continuations measured beside the real ones (scripts/train/structure.ts), when run. */
  readonly structure?: string | null;
  /** The encoding of the run a warm start began from, when there was one. */
  readonly warmStartEncoding?: EncodingKind;
}

const fmt = (x: number, digits = 4): string => x.toFixed(digits);
const int = (x: number): string => x.toLocaleString('en-US');
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** "3 h 05 min" style durations. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

/** At most `n` entries spread evenly over `items`, always keeping the first and last. */
function sample<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  const picked = new Set<number>();
  for (let k = 0; k < n; k++) picked.add(Math.round((k * (items.length - 1)) / (n - 1)));
  return [...picked].sort((a, b) => a - b).map((i) => items[i]!);
}

export function buildModelCard(f: ModelCardFacts): string {
  const c = f.config;
  const { minPitch: lo, maxPitch: hi } = MODEL_PITCH_RANGE;
  const finished = f.progress.step >= c.steps;
  const beats = f.exported.natsPerStep < f.baseline.eval.natsPerStep;
  const lookback = c.encoding !== 'basic';
  const phrase = c.encoding === 'phrase-lookback';
  const lines: string[] = [];
  const add = (...xs: string[]): void => {
    lines.push(...xs);
  };
  add(
    `# ${f.modelId}: a melody LSTM trained on folk tunes`,
    '',
    ...(phrase
      ? [
          "A MelodyRNN in the manner of Magenta's `lookback_rnn`, reaching further back: besides the last event it reads the events",
          'one, two, four and eight bars back, where it is in the bar and which bar of an eight-bar strain it is in, and it can answer',
          '"repeat what came a bar / two bars / four bars / eight bars ago", so it brings phrases and strains back the way folk',
          "tunes do. Trained by Cantus's own pipeline (`scripts/train`), stored in magenta.js's checkpoint layout (`config.json` with",
          '`"encoding": "phrase-lookback"`, `weights_manifest.json`, weight shards); Cantus\'s own engine runs it, magenta.js',
          '`MusicRNN` cannot.',
        ]
      : lookback
        ? [
            "A MelodyRNN in the manner of Magenta's `lookback_rnn`: besides the last event it reads the events one and two bars back",
            'and where it is in the bar, and it can answer "repeat what came a bar ago / two bars ago", so it writes repeats and',
            "sequences the way folk tunes do. Trained by Cantus's own pipeline (`scripts/train`), stored in magenta.js's checkpoint",
            'layout (`config.json` with `"encoding": "lookback"`, `weights_manifest.json`, weight shards); Cantus\'s own engine runs it,',
            'magenta.js `MusicRNN` cannot (it has no lookback encoding).',
          ]
        : [
            `A MelodyRNN in the layout of Magenta's \`basic_rnn\`, trained by Cantus's own pipeline`,
            `(\`scripts/train\`) and loadable by magenta.js \`MusicRNN\` (\`config.json\`, \`weights_manifest.json\`, weight shards).`,
          ]),
    '',
    '## Status',
    '',
    finished
      ? `Training finished: ${int(f.progress.step)} of ${int(c.steps)} steps, ${formatDuration(f.progress.wallSeconds)} of training wall time.`
      : `**Training had not finished when this model was exported**: the run \`${f.runId}\` was at step ${int(f.progress.step)} of ${int(c.steps)} ` +
          `(${formatDuration(f.progress.wallSeconds)} of training wall time so far). The figures below are those of the exported checkpoint; ` +
          'export again when the run has gone further.',
    '',
    `Exported ${f.exportedAt} from run \`${f.runId}\`, checkpoint of step ${int(f.exported.step)} (the best eval loss so far), ` +
      `reached after ${formatDuration(f.exported.wallSeconds)} of training.`,
    '',
    '## Results on the eval split',
    '',
    `Cross-entropy in nats per 16th-note step, over ${int(f.exported.steps)} predicted steps of ${int(f.dataset.melodies.eval)} held-out melodies`,
    "(every event but each melody's first, predicted from the events before it; the LSTM from a zero state, as MusicRNN runs it)" +
      (lookback
        ? '. Scored per event, so it compares directly with a basic model: the probability of an event sums its own class and the repeat classes that give it.'
        : '.'),
    '',
    '| model | eval loss (nats/step) | eval accuracy (top-1) |',
    '|---|---|---|',
    `| this model (step ${int(f.exported.step)}) | ${fmt(f.exported.natsPerStep)} | ${pct(f.exported.accuracy)} |`,
    `| order-${f.baseline.order} Markov chain, ${f.baseline.smoothing} | ${fmt(f.baseline.eval.natsPerStep)} | ${pct(f.baseline.eval.accuracy)} |`,
    '',
    beats
      ? `The model beats the Markov baseline by ${fmt(f.baseline.eval.natsPerStep - f.exported.natsPerStep)} nats per step.`
      : `**The model does not beat the Markov baseline yet** (worse by ${fmt(f.exported.natsPerStep - f.baseline.eval.natsPerStep)} nats per step); it is not fit to ship.`,
    '',
    `The baseline was fitted on the same ${int(f.baseline.train.steps)} training steps and scored on the same ${int(f.baseline.eval.steps)} eval steps.`,
    '',
  );
  if (f.evalHistory.length > 0) {
    add(
      'Eval loss as training went on (from `log.jsonl`):',
      '',
      '| step | wall time | eval loss | eval accuracy |',
      '|---|---|---|---|',
    );
    for (const e of sample(f.evalHistory, 12)) {
      add(
        `| ${int(e.step)} | ${formatDuration(e.wallSeconds)} | ${fmt(e.natsPerStep)} | ${pct(e.accuracy)} |`,
      );
    }
    add('');
  }
  if (f.structure) add('## Structure of what it writes', '', f.structure.trim(), '');
  if (f.check) {
    const runner =
      f.check.runner === 'MusicRNN'
        ? 'magenta.js `MusicRNN` (@magenta/music 1.23.1, tfjs 4.22 wasm backend)'
        : "Cantus's own engine (`src-engine/lstm-step-model.ts`, tfjs 4.22 wasm backend), as the app and the command line load it";
    add(
      f.check.runner === 'MusicRNN' ? '## Checked with magenta.js' : "## Checked with Cantus's engine",
      '',
      `The exported files were loaded with ${runner}. Given a ${f.check.primerSteps}-step primer from the eval split, ` +
        `its next-${lookback ? 'class' : 'event'} probabilities over ${f.check.steps} continued steps matched the training code's forward pass to within ${f.check.maxAbsDifference.toExponential(1)} (largest absolute difference).`,
      '',
    );
  }
  add(
    '## Architecture',
    '',
    phrase
      ? `- Input, ${f.shape.inputDepth} wide: one-hot of the previous event; one-hot of the event one, two, four and eight bars before the next step; a 5-bit counter (+1/-1) of the next step's place in its bar and a 3-bit counter of its bar within an eight-bar strain; flags for "the previous event repeats the one one / two / four / eight bars before it" (the bar follows the tune's meter; \`src-core/model/event-encoding.ts\`).`
      : lookback
        ? `- Input, ${f.shape.inputDepth} wide: one-hot of the previous event; one-hot of the event one bar and two bars before the next step; a 5-bit counter (+1/-1) of the next step's place in its bar; flags for "the previous event repeats the one a bar / two bars before it" (the bar follows the tune's meter; \`src-core/model/event-encoding.ts\`).`
        : `- Input: one-hot of the previous event, ${f.shape.inputDepth} wide (magenta.js \`MelodyConverter\`, MIDI ${lo}-${hi}).`,
    `- ${f.shape.units.length} LSTM layers of ${new Set(f.shape.units).size === 1 ? f.shape.units[0] : f.shape.units.join(', ')} units (TensorFlow \`BasicLSTMCell\`: gates i, j, f, o; forget bias 1.0 added at run time).`,
    phrase
      ? `- Dense layer to ${f.shape.classes} classes with softmax: 0 no event, 1 note-off, 2-${f.shape.classes - 5} note onsets of MIDI ${lo}-${hi}, ${f.shape.classes - 4} "repeat the event of one bar ago", ${f.shape.classes - 3} "of two bars ago", ${f.shape.classes - 2} "of four bars ago", ${f.shape.classes - 1} "of eight bars ago".`
      : lookback
        ? `- Dense layer to ${f.shape.classes} classes with softmax: 0 no event, 1 note-off, 2-${f.shape.classes - 3} note onsets of MIDI ${lo}-${hi}, ${f.shape.classes - 2} "repeat the event of one bar ago", ${f.shape.classes - 1} "of two bars ago".`
        : `- Dense layer to ${f.shape.classes} classes with softmax: 0 no event, 1 note-off, 2-${f.shape.classes - 1} note onsets of MIDI ${lo}-${hi}.`,
    `- ${int(f.parameterCount)} parameters.`,
    '',
    '## Training',
    '',
    `- Truncated back-propagation through time over windows of ${c.seq} steps, ${c.batch} streams per batch, each stream carrying its LSTM state from one window to the next within a melody (reset at each new melody).`,
    `- Adam (beta1 0.9, beta2 0.999, epsilon 1e-8), learning rate ${c.lr} falling along a half cosine to ${c.lr * c.lrFloor} at step ${int(c.steps)}; gradients clipped to global norm ${c.clip}.`,
    c.warmStart
      ? `- Dropout ${c.dropout} on each LSTM layer's output (training only); seed ${c.seed}. Warm start: the weights began as those of run \`${c.warmStart.runId}\` at step ${int(c.warmStart.step)}${f.warmStartEncoding ? ` (a ${f.warmStartEncoding} model)` : ''}, the new input rows at zero and the new repeat classes with zero weights and a zero bias (\`scripts/train/warm-start.ts\`), so at step 0 it predicts almost exactly what that model predicts${c.warmStart.freezeSteps ? `; for the first ${int(c.warmStart.freezeSteps)} steps only those new weights learned, at ten times the learning rate` : ''}.`
      : `- Dropout ${c.dropout} on each LSTM layer's output (training only); Glorot-uniform initial kernels, zero biases; seed ${c.seed}.`,
    `- Written directly in tfjs ops with a hand-written backward pass, on the tfjs 4.22 WebAssembly backend in Node (one thread)` +
      (f.secondsPerStep !== null
        ? `, ${f.secondsPerStep.toFixed(2)} s per step on average on ${f.machine}.`
        : '.'),
    `- Eval on the whole eval split every ${c.evalEvery} steps; the checkpoint with the lowest eval loss is the one exported.`,
    '',
    '## Data',
    '',
    `Corpus: \`${f.dataset.corpus}\` (${int(f.dataset.files)} MIDI files, ${f.dataset.unreadable} unreadable${c.maxTunes ? `; only the first ${c.maxTunes} files by path were used` : ''}).`,
    '',
    f.provenance.trim(),
    '',
    '### Preprocessing',
    '',
    "- Each file's melody part read at 4 steps per quarter note; of notes starting together only the highest is kept.",
    "- Melodies cut as Magenta's MelodyExtractor does: split where a whole bar of silence separates two notes, start at the bar line before the first note, " +
      'drop melodies shorter than 7 bars or with fewer than 5 distinct pitch classes, truncate to 512 steps.',
    `  Found ${int(f.dataset.melodiesFound)}: ${f.dataset.tooShort} too short, ${f.dataset.tooFewPitchClasses} with too few pitch classes, ${int(f.dataset.truncated)} truncated.`,
    `- Each melody transposed to C major or A minor by its estimated key (Krumhansl-Schmuckler), centred in MIDI ${lo}-${hi} by octaves; ${int(f.dataset.foldedNotes)} notes still outside were folded in by octaves.`,
    '- Encoded as basic_rnn events: one per step, note-off only where a note ends with no new note starting.',
    ...(lookback
      ? [
          ...(phrase
            ? [
                '- Repeat targets: an event that equals the one eight bars back (inside the melody) is taught as "repeat eight bars", else one that equals the one four bars back as "repeat four bars"; else as Magenta\'s lookback_rnn teaches: "repeat two bars", else "repeat one bar", else the event itself.',
              ]
            : [
                '- Lookback targets, as Magenta\'s lookback_rnn teaches them: an event that equals the one two bars back is taught as "repeat two bars", else one that equals the one a bar back as "repeat one bar", else as itself.',
              ]),
        ]
      : []),
    '',
    '### Split',
    '',
    'Tune by tune, fixed for ever: a file is in eval when the 32-bit FNV-1a hash of its path relative to the corpus root is divisible by 10.',
    '',
    '| | tunes | melodies | events (steps) |',
    '|---|---|---|---|',
    `| train | ${int(f.dataset.tunes.train)} | ${int(f.dataset.melodies.train)} | ${int(f.dataset.events.train)} |`,
    `| eval | ${int(f.dataset.tunes.eval)} | ${int(f.dataset.melodies.eval)} | ${int(f.dataset.events.eval)} |`,
    '',
    `${f.dataset.evalDuplicatesOfTrain} eval melodies also occur note for note in train (the collections share some tunes); they were left in. ` +
      `Data fingerprint (sha256 of the split's sources and events): \`${f.dataset.fingerprint.slice(0, 16)}\`.`,
    '',
    '## Reproduce',
    '',
    'From the repository root, with the corpus at `../shared/datasets/folk-pd`:',
    '',
    '```sh',
    ...f.reproduce,
    '```',
    '',
    'Training is deterministic for a given seed and data on the wasm backend, including across interruptions (`--resume` continues exactly).',
    '',
    '## Files',
    '',
    '| file | bytes | sha256 |',
    '|---|---|---|',
    ...f.files.map((x) => `| \`${x.name}\` | ${int(x.bytes)} | \`${x.sha256.slice(0, 16)}…\` |`),
    '',
    '## Limitations',
    '',
    '- Trained only on Irish, Scottish and English folk dance tunes and airs from three 18th-19th century collections: expect that idiom, in C major or A minor, within C3-B5.',
    lookback
      ? '- The model knows the bar (from the meter it is given) but no key or harmony; it continues the events it is given.'
      : '- The model knows no meter, key or harmony; it continues the events it is given.',
    '',
  );
  return lines.join('\n');
}
