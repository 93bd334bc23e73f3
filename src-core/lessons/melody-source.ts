/**
 * Turns a lesson's `melody` source into a melody: notes written in pack.json, a MIDI file
 * from the pack, or a melody continued by a model and kept only when it meets the lesson's
 * constraints. Pure: it reads nothing but the pack's file map and the model port it is given.
 *
 * Generating is deterministic: the same source and the same model give the same melody.
 * A source without a seed uses `context.seed` (or 0), so a caller that wants a fresh melody
 * each time passes a fresh seed there.
 */
import { analyzeMelody } from '../analysis/analyze.ts';
import { extractMelody, readMidi } from '../midi/index.ts';
import { continueMelody, type StepModel } from '../model/generate.ts';
import type { SteerConstraint } from '../model/steering.ts';
import {
  formatNotes,
  makeMelody,
  parseNotes,
  stepsPerBar,
  type Bpm,
  type Melody,
  type Meter,
} from '../music/melody.ts';
import { fail, ok, type Result } from '../result.ts';
import { meetsConstraints } from './constraints.ts';
import { normalizePackPath, printable, type PackFiles } from './pack-files.ts';
import {
  CONSTRAINT_WORDS,
  type ConstraintName,
  type FixedSource,
  type GenerateSource,
  type MelodySource,
} from './schema.ts';

/** Meter and tempo used when neither the source nor the caller gives one. */
export const SOURCE_DEFAULT_METER: Meter = { numerator: 4, denominator: 4 };
export const SOURCE_DEFAULT_TEMPO: Bpm = 100;

/** How many seeds a `generate` source tries before giving up on its constraints. */
export const GENERATE_TRIES = 20;
export interface MelodySourceContext {
  /** The pack's files, keyed by normalised path. */
  readonly files: PackFiles;
  /** The file the source is written in, for messages, e.g. "pack.json". */
  readonly file: string;
  /** The JSON path of the source, for messages, e.g. "lessons[0].melody". */
  readonly path: string;
  /** The model a `generate` source continues with; null when none is loaded. */
  readonly model: StepModel | null;
  /** Meter and tempo when the source gives none (else 4/4 and 100 BPM). */
  readonly meter?: Meter;
  readonly tempo?: Bpm;
  /** Seed for a `generate` source that gives none (else 0). */
  readonly seed?: number;
}

export interface ResolvedMelody {
  readonly melody: Melody;
  /** For `generate`: how many seeds were tried before one gave a melody that fit. */
  readonly tries?: number;
}

/** "pack.json, lessons[0].melody.notes" (or just the file when there is no path). */
function where(file: string, path: string): string {
  return path === '' ? file : `${file}, ${path}`;
}

function field(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/** Resolves a melody source to a melody, or a problem naming the file and field. */
export async function resolveMelodySource(
  source: MelodySource,
  context: MelodySourceContext,
): Promise<Result<ResolvedMelody>> {
  return source.source === 'fixed' ? resolveFixed(source, context) : resolveGenerated(source, context);
}

function resolveFixed(source: FixedSource, context: MelodySourceContext): Result<ResolvedMelody> {
  const meter = source.meter ?? context.meter ?? SOURCE_DEFAULT_METER;
  const tempo = source.tempo ?? context.tempo ?? SOURCE_DEFAULT_TEMPO;
  if (source.notes !== undefined) {
    const at = field(context.path, 'notes');
    const notes = readNotes(source.notes, context.file, at);
    if (!notes.ok) return notes;
    return ok({ melody: makeMelody({ notes: notes.value, meter, tempo, key: source.key ?? null }) });
  }
  const at = field(context.path, 'midi');
  const raw = source.midi ?? '';
  const normal = normalizePackPath(raw);
  if (!normal.ok)
    return fail(
      'lessons/bad-path',
      `${where(context.file, at)}: the MIDI path ${normal.error.message}; refused.`,
      at,
    );
  const bytes = context.files.get(normal.value);
  if (bytes === undefined)
    return fail(
      'lessons/missing-file',
      `${where(context.file, at)}: the pack has no file "${printable(normal.value)}". Add the MIDI file to the pack or correct the path.`,
      at,
    );
  const name = printable(normal.value);
  const parsed = readMidi(bytes);
  if (!parsed.ok)
    return fail(parsed.error.code, `${name} (${where(context.file, at)}): ${parsed.error.message}`, at);
  const extracted = extractMelody(parsed.value, source.part);
  if (!extracted.ok)
    return fail(extracted.error.code, `${name} (${where(context.file, at)}): ${extracted.error.message}`, at);
  // The pack may override what the file says about meter, tempo and key.
  const melody: Melody = {
    ...extracted.value,
    ...(source.meter ? { meter: source.meter } : {}),
    ...(source.tempo !== undefined ? { tempo: source.tempo } : {}),
    ...(source.key ? { key: source.key } : {}),
  };
  return ok({ melody });
}

/**
 * The melody a `generate` source kept when its pack was checked (`which`: "second" for the one a
 * "which tune repeats more" question compares), as the model wrote it: the source's meter, key
 * and length. Null when the pack kept none, or its text cannot be read.
 */
export function keptMelody(
  source: GenerateSource,
  context: Pick<MelodySourceContext, 'meter' | 'tempo'>,
  which: 'notes' | 'second' = 'notes',
): Melody | null {
  const text = source.kept?.[which];
  if (text === undefined) return null;
  let notes: ReturnType<typeof parseNotes>;
  try {
    notes = parseNotes(text);
  } catch {
    return null;
  }
  const meter = source.meter ?? context.meter ?? SOURCE_DEFAULT_METER;
  return makeMelody({
    notes,
    meter,
    tempo: context.tempo ?? SOURCE_DEFAULT_TEMPO,
    key: source.key ?? null,
    length: source.bars * stepsPerBar(meter),
  });
}

/** What a pack keeps of a melody (and the one it is compared with) for `GenerateSource.kept`. */
export function keptText(melody: Melody, second: Melody | null): { notes: string; second?: string } {
  return { notes: formatNotes(melody.notes), ...(second ? { second: formatNotes(second.notes) } : {}) };
}

function readNotes(text: string, file: string, at: string): Result<ReturnType<typeof parseNotes>> {
  try {
    return ok(parseNotes(text));
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'the notes could not be read';
    const lowered = reason.charAt(0).toLowerCase() + reason.slice(1);
    return fail(
      'lessons/bad-notes',
      `${where(file, at)}: ${printable(lowered)}. Write notes like "C4 D4/2 r/2 E4/8".`,
      at,
    );
  }
}

async function resolveGenerated(
  source: GenerateSource,
  context: MelodySourceContext,
): Promise<Result<ResolvedMelody>> {
  const model = context.model;
  if (model === null)
    return fail(
      'lessons/no-model',
      `${where(context.file, context.path)}: this lesson generates its melody with the model "${source.model}", but no model is loaded. Install or load the model, or give the lesson a fixed melody.`,
      context.path,
    );
  const meter = source.meter ?? context.meter ?? SOURCE_DEFAULT_METER;
  const tempo = context.tempo ?? SOURCE_DEFAULT_TEMPO;
  const primerAt = field(context.path, 'primer');
  const primerNotes = readNotes(source.primer, context.file, primerAt);
  if (!primerNotes.ok) return primerNotes;
  const primer = makeMelody({ notes: primerNotes.value, meter, tempo, key: source.key ?? null });
  // `bars` is the whole melody's length; a primer as long or longer still gets one new bar.
  const bar = stepsPerBar(meter);
  const steps = Math.max(bar, source.bars * bar - primer.length);
  const constraints: readonly ConstraintName[] = source.constraints;
  const seed = source.seed ?? context.seed ?? 0;

  if (constraints.includes('two-bar-repeat') && source.bars < 4)
    return fail(
      'lessons/constraints-unmet',
      `${where(context.file, field(context.path, 'bars'))}: a melody of ${source.bars} bar${source.bars === 1 ? '' : 's'} has no room for "${CONSTRAINT_WORDS['two-bar-repeat']}" (two bars and their repeat). Make it at least 4 bars long, or leave that constraint out.`,
      field(context.path, 'bars'),
    );
  // The model is steered while it samples (src-core/model/steering.ts), so a melody normally
  // meets the constraints at the first try; the check after it stays, and a melody that slips
  // through (the analysis may read another key than the one the model was steered to) is
  // written again from the next seed.
  const repeatAt = constraints.includes('two-bar-repeat') ? repeatBar(source.bars, primer.length, bar) : null;
  if (constraints.includes('two-bar-repeat') && repeatAt === null)
    return fail(
      'lessons/constraints-unmet',
      `${where(context.file, field(context.path, 'primer'))}: the opening notes run past bar ${Math.floor(source.bars / 2) + 1}, where the first two bars would come back; shorten the opening or leave "${CONSTRAINT_WORDS['two-bar-repeat']}" out.`,
      field(context.path, 'primer'),
    );
  // A melody for a classroom stays on the treble staff and its first two ledger lines (A3-C6),
  // widened to take in the opening notes wherever they lie, and has no sixteenth rests and no
  // rest opening its last bar.
  const low = Math.min(CLASSROOM_RANGE.low, ...primer.notes.map((n) => n.pitch));
  const high = Math.max(CLASSROOM_RANGE.high, ...primer.notes.map((n) => n.pitch));
  const steer: SteerConstraint[] = [
    ...steeringFor(constraints, repeatAt),
    { kind: 'range', low, high },
    { kind: 'classroom-rests' },
  ];
  let closest: readonly ConstraintName[] | null = null;
  let written = 0;
  for (let attempt = 0; attempt < GENERATE_TRIES; attempt++) {
    const generated = await continueMelody(model, primer, {
      steps,
      temperature: source.temperature,
      seed: (seed + attempt) >>> 0,
      variations: 1,
      steer,
      key: source.key ?? null,
    });
    // Conditions that corner this try (the sampled notes left no way on) count as a miss.
    if (!generated.ok && generated.error.code === 'generate/constraints-conflict') continue;
    if (!generated.ok)
      return fail(
        generated.error.code,
        `${where(context.file, context.path)}: ${generated.error.message}`,
        context.path,
      );
    written += generated.value.length;
    for (const candidate of generated.value) {
      const melody: Melody = { ...candidate, key: source.key ?? candidate.key };
      const check = meetsConstraints(melody, analyzeMelody(melody), constraints);
      if (check.ok) return ok({ melody, tries: attempt + 1 });
      if (closest === null || check.failed.length < closest.length) closest = check.failed;
    }
  }
  const unmet = (closest ?? constraints).map((c) => `"${CONSTRAINT_WORDS[c]}" (${c})`).join(', ');
  return fail(
    'lessons/constraints-unmet',
    `${where(context.file, field(context.path, 'constraints'))}: after ${GENERATE_TRIES} tries (${written} melodies) none met ${unmet}. Loosen the constraints, change the opening notes (primer), or raise the Adventure (temperature).`,
    field(context.path, 'constraints'),
  );
}

/**
 * Where a melody of `bars` bars sings its first two bars again when a lesson asks for a
 * two-bar repeat: at the start of its second half (bar 5 of 8), or straight after them in a
 * tune of fewer than 8 bars. Null when the tune is too short or the primer runs past that bar.
 * The model is steered to sing them again there (`steeringFor`) and writes everything around them.
 * @example repeatBar(8, 8, 16) // => 4
 */
export function repeatBar(bars: number, primerSteps: number, bar: number): number | null {
  if (bars < 4) return null;
  const at = bars >= 8 ? Math.floor(bars / 2) : 2;
  return primerSteps <= at * bar ? at : null;
}

/** Where a generated lesson melody stays: the treble staff and two ledger lines each side. */
export const CLASSROOM_RANGE = { low: 57, high: 84 } as const;

/** The lesson constraints as conditions the model is steered by while it samples. */
export function steeringFor(
  constraints: readonly ConstraintName[],
  repeatAt: number | null,
): SteerConstraint[] {
  return constraints.flatMap((c): SteerConstraint[] => {
    switch (c) {
      case 'two-bar-repeat':
        return repeatAt === null ? [] : [{ kind: 'repeat-bars', from: 1, at: repeatAt + 1, bars: 2 }];
      case 'steps-and-thirds-only':
        return [{ kind: 'steps-and-thirds' }];
      case 'ends-on-tonic':
        return [{ kind: 'ends-on-tonic' }];
    }
  });
}
