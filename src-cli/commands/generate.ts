/**
 * `cantus generate [--primer IN.mid] --out OUT.mid [--temperature 1.0] [--bars 8]
 *  [--variations 1] [--seed N] [--model DIR|URL] [--part ID] [--chords "C G Am F"]`: continues a
 * melody with the melody model, as Magenta's melody_rnn_generate does (or over chords with a
 * chord model, as improv_rnn_generate does), and writes primer plus continuation.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { writeMelodyMidi } from '../../src-core/midi/write.ts';
import {
  continuationKey,
  continueMelody,
  MAX_VARIATIONS,
  TEMPERATURE_RANGE,
  KEY_SOURCE_WORDS,
} from '../../src-core/model/generate.ts';
import { keyName, parseKey } from '../../src-core/music/key.ts';
import type { SteerConstraint } from '../../src-core/model/steering.ts';
import { MAX_BEAM } from '../../src-core/model/beam-search.ts';
import {
  DEFAULT_METER,
  makeMelody,
  parseNotes,
  stepsPerBar,
  type Melody,
} from '../../src-core/music/melody.ts';
import { parseChords } from '../../src-core/model/chord-progression.ts';
import type { LoadedCheckpoint } from '../../src-core/model/load-checkpoint.ts';
import { EXIT, failed, UsageError, type CliOutput, type Command } from '../command.ts';
import { readMelodyFile } from '../files.ts';

function numberOption(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
  whole: boolean,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n)))
    throw new UsageError(`--${name} must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}`);
  return n;
}

function pitchOption(text: string, whole: string): number {
  try {
    const [note] = parseNotes(text);
    if (note && /^[A-Ga-g][#b]?-?\d+$/.test(text)) return note.pitch;
  } catch {
    // the message below says what to write
  }
  throw new UsageError(`--constrain ${whole}: "${text}" is not a note such as C4 or F#5`);
}

/**
 * Reads --constrain: "in-key,steps-and-thirds,ends-on-tonic,range=C4-C6,longest=2,repeat=1-2@5".
 * @example parseConstraints('in-key,range=C4-C6') // [{ kind: 'in-key' }, { kind: 'range', low: 60, high: 84 }]
 */
export function parseConstraints(text: string): SteerConstraint[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item): SteerConstraint => {
      if (item === 'in-key' || item === 'steps-and-thirds' || item === 'ends-on-tonic') return { kind: item };
      const range = /^range=([^-]+)-(.+)$/.exec(item);
      if (range) {
        const low = pitchOption(range[1]!, item);
        const high = pitchOption(range[2]!, item);
        if (high < low) throw new UsageError(`--constrain ${item}: the lowest note comes first`);
        return { kind: 'range', low, high };
      }
      const longest = /^longest=(\d+(?:\.\d+)?)$/.exec(item);
      if (longest && Number(longest[1]) > 0) return { kind: 'longest-note', beats: Number(longest[1]) };
      const repeat = /^repeat=(\d+)-(\d+)@(\d+)$/.exec(item);
      if (repeat) {
        const [from, to, at] = [Number(repeat[1]), Number(repeat[2]), Number(repeat[3])];
        if (from >= 1 && to >= from && at > to) return { kind: 'repeat-bars', from, at, bars: to - from + 1 };
      }
      throw new UsageError(
        `--constrain: "${item}" is not a condition; use in-key, steps-and-thirds, ends-on-tonic, range=C4-C6, longest=2 or repeat=1-2@5`,
      );
    });
}

/** OUT.mid for one variation; OUT-1.mid, OUT-2.mid, ... for several. */
export function variationPath(out: string, index: number, count: number): string {
  if (count === 1) return out;
  const dot = out.toLowerCase().endsWith('.mid')
    ? out.length - 4
    : out.toLowerCase().endsWith('.midi')
      ? out.length - 5
      : out.length;
  return `${out.slice(0, dot)}-${index + 1}${out.slice(dot) || '.mid'}`;
}

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Continue a melody with the melody model and write it as MIDI',
  help: [
    'Usage: cantus generate [--primer IN.mid] --out OUT.mid [options]',
    '',
    'Continues the melody in IN.mid (or, without --primer, a middle C) and writes the primer',
    'followed by the new bars. Several variations are written as OUT-1.mid, OUT-2.mid, ...',
    `  --temperature T   ${TEMPERATURE_RANGE.min}-${TEMPERATURE_RANGE.max}, default 1.0: lower plays safe, higher takes chances`,
    '  --bars N          bars to add, default 8',
    `  --variations N    1-${MAX_VARIATIONS}, default 1`,
    '  --seed N          the same seed and settings give the same melodies (default: random)',
    '  --model DIR|URL   a MelodyRNN checkpoint folder or URL (default: the model Cantus ships)',
    '  --part ID         which part of IN.mid is the primer (see `cantus info`)',
    '  --constrain LIST  conditions every continuation meets, steered while it is written, comma-separated:',
    '                    in-key, steps-and-thirds, ends-on-tonic, range=C4-C6, longest=2 (beats),',
    '                    repeat=1-2@5 (bars 1-2 come back at bar 5)',
    '  --beam-size N --branch-factor N --steps-per-iteration N',
    '                    beam search as melody_rnn has it: keep the N likeliest tries, each branching',
    '                    into N tries of the next N steps (default 1 1 1: plain sampling)',
    '  --key KEY         continue in this key, e.g. "A minor" (default: the key signature in IN.mid,',
    '                    read as major or relative minor by its notes, else the key of its notes)',
    "  --chords LIST     for a chord model (such as Magenta's chord_pitches_improv) only, and needed",
    '                    by one: the chords to write over, one a bar, e.g. "C G Am F" (started again',
    '                    when the bars outnumber them). A chord model samples with magenta.js, which',
    '                    takes no seed: the same seed may give different melodies.',
  ].join('\n'),
  async run(args, out) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: false,
      strict: true,
      options: {
        primer: { type: 'string' },
        out: { type: 'string' },
        temperature: { type: 'string' },
        bars: { type: 'string' },
        variations: { type: 'string' },
        seed: { type: 'string' },
        model: { type: 'string' },
        part: { type: 'string' },
        key: { type: 'string' },
        constrain: { type: 'string' },
        'beam-size': { type: 'string' },
        'branch-factor': { type: 'string' },
        'steps-per-iteration': { type: 'string' },
        chords: { type: 'string' },
      },
    });
    void positionals;
    if (!values.out) throw new UsageError('give the file to write with --out OUT.mid');
    const temperature =
      numberOption(values.temperature, 'temperature', TEMPERATURE_RANGE.min, TEMPERATURE_RANGE.max, false) ??
      1;
    const bars = numberOption(values.bars, 'bars', 1, 64, true) ?? 8;
    const variations = numberOption(values.variations, 'variations', 1, MAX_VARIATIONS, true) ?? 1;
    const seed =
      numberOption(values.seed, 'seed', 0, 2 ** 32 - 1, true) ?? Math.floor(Math.random() * 2 ** 31);

    const key = values.key === undefined ? null : parseKey(values.key);
    if (values.key !== undefined && !key)
      throw new UsageError(`--key takes a key such as "D", "F# minor" or "Bb major", not "${values.key}"`);

    const steer = values.constrain === undefined ? [] : parseConstraints(values.constrain);
    const beamSize = numberOption(values['beam-size'], 'beam-size', 1, MAX_BEAM, true) ?? 1;
    const branchFactor = numberOption(values['branch-factor'], 'branch-factor', 1, MAX_BEAM, true) ?? 1;
    const stepsPerIteration =
      numberOption(values['steps-per-iteration'], 'steps-per-iteration', 1, 4096, true) ?? 1;
    const beam =
      beamSize > 1 || branchFactor > 1 ? { size: beamSize, branchFactor, stepsPerIteration } : undefined;

    let primer: Melody = makeMelody({ notes: [], meter: DEFAULT_METER });
    if (values.primer) {
      const melody = await readMelodyFile(values.primer, values.part);
      if (!melody.ok) return failed(out, melody.error.message);
      primer = melody.value;
    }
    // The engine (tfjs) loads only here, so that `cantus --help` and the other commands start fast.
    const { DEFAULT_MODEL_DIR, stepModelOf } = await import('../../src-engine/node-model.ts');
    const { readCheckpoint } = await import('../../src-engine/read-checkpoint.ts');
    const where = values.model ?? DEFAULT_MODEL_DIR;
    const checkpoint = await readCheckpoint(where);
    if (!checkpoint.ok) return failed(out, checkpoint.error.message);
    const steps = bars * stepsPerBar(primer.meter);
    if (checkpoint.value.chords) {
      const unused = [
        values.key !== undefined && '--key',
        steer.length > 0 && '--constrain',
        beam && 'beam search',
      ].filter(Boolean);
      if (unused.length > 0)
        throw new UsageError(
          `${unused.join(', ')} work with Cantus's own melody models, not with a chord model, which writes in the key of its chords`,
        );
      return writeOverChords(where, checkpoint.value, values.chords, primer, {
        out,
        file: values.out,
        steps,
        bars,
        temperature,
        variations,
      });
    }
    if (values.chords !== undefined)
      throw new UsageError(
        `--chords is for chord models (such as Magenta's chord_pitches_improv); the model at ${where} writes melodies without chords, so leave --chords out`,
      );
    const model = await stepModelOf(checkpoint.value, where);
    if (!model.ok) return failed(out, model.error.message);
    try {
      const result = await continueMelody(model.value, primer, {
        steps,
        temperature,
        variations,
        seed,
        key,
        steer,
        ...(beam ? { beam } : {}),
      });
      if (!result.ok) return failed(out, result.error.message);
      if (primer.notes.length > 0) {
        const used = continuationKey(primer, key);
        out.stdout(`Continuing in ${keyName(used.key)} (${KEY_SOURCE_WORDS[used.source]})\n`);
      }
      return await writeVariations(out, values.out, result.value, `${bars} new bars, seed ${seed}`);
    } finally {
      model.value.dispose();
    }
  },
};

/** Writes OUT.mid (or OUT-1.mid, ...) for each melody, saying so with `about` in each line. */
async function writeVariations(
  out: CliOutput,
  file: string,
  melodies: readonly Melody[],
  about: string,
): Promise<number> {
  for (const [i, melody] of melodies.entries()) {
    const path = variationPath(file, i, melodies.length);
    try {
      await writeFile(path, writeMelodyMidi(melody));
    } catch {
      return failed(out, `cannot write ${path}: check the folder exists and can be written to`);
    }
    out.stdout(`Wrote ${path} (${melody.notes.length} notes, ${about})\n`);
  }
  return EXIT.ok;
}

/** A chord model: continues `primer` over the chords given with --chords, through magenta.js. */
async function writeOverChords(
  where: string,
  checkpoint: LoadedCheckpoint,
  chordsText: string | undefined,
  primer: Melody,
  o: {
    out: CliOutput;
    file: string;
    steps: number;
    bars: number;
    temperature: number;
    variations: number;
  },
): Promise<number> {
  if (chordsText === undefined)
    throw new UsageError(
      `the model at ${where} writes melodies over chords: give them with --chords, one a bar, e.g. --chords "C G Am F"`,
    );
  const chords = parseChords(chordsText);
  if (!chords.ok) throw new UsageError(`--chords: ${chords.error.message}`);
  const { loadChordModel } = await import('../../src-engine/magenta-chords-node.ts');
  const model = await loadChordModel(where, checkpoint);
  if (!model.ok) return failed(o.out, model.error.message);
  try {
    const result = await model.value.continue(primer, {
      steps: o.steps,
      temperature: o.temperature,
      variations: o.variations,
      chords: chords.value,
    });
    if (!result.ok) return failed(o.out, result.error.message);
    o.out.stdout(
      `Writing over ${chords.value.join(' ')}, one chord a bar (a chord model takes no seed: run it again for other melodies)\n`,
    );
    return await writeVariations(o.out, o.file, result.value, `${o.bars} new bars`);
  } finally {
    model.value.dispose();
  }
}
