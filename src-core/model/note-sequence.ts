/**
 * The one place that converts between Cantus melodies and Magenta's NoteSequence.
 *
 * @magenta/music is not imported here: the interfaces below copy the few fields Cantus
 * uses from magenta's protobuf interfaces (INoteSequence and friends), with the same
 * optional-or-null shape, so a real magenta sequence can be passed in and the sequences
 * made here can be handed to magenta's models.
 */
import {
  DEFAULT_METER,
  DEFAULT_TEMPO,
  DEFAULT_VELOCITY,
  STEPS_PER_QUARTER,
  makeMelody,
  secondsPerStep,
  type Bpm,
  type Key,
  type Melody,
  type Meter,
} from '../music/melody.ts';
import { keyFromPitchClass, tonicPitchClass } from '../music/key.ts';
import { clampVelocity, quantizeNote, quartersToStep, reduceToMonophony } from '../midi/monophony.ts';
import type { Mode, Note } from '../music/melody.ts';

/** The fields of magenta's `NoteSequence.INote` Cantus reads or writes. */
export interface NoteSequenceNote {
  pitch?: number | null;
  velocity?: number | null;
  startTime?: number | null;
  endTime?: number | null;
  quantizedStartStep?: number | null;
  quantizedEndStep?: number | null;
  program?: number | null;
  isDrum?: boolean | null;
}

/** The fields of magenta's `INoteSequence` Cantus reads or writes. */
export interface NoteSequence {
  notes?: NoteSequenceNote[] | null;
  quantizationInfo?: { stepsPerQuarter?: number | null } | null;
  totalQuantizedSteps?: number | null;
  totalTime?: number | null;
  tempos?: { time?: number | null; qpm?: number | null }[] | null;
  timeSignatures?: { time?: number | null; numerator?: number | null; denominator?: number | null }[] | null;
  /** `key` is a pitch class 0-11 (magenta's Key enum), `mode` 0 major, 1 minor (other modes are ignored). */
  keySignatures?: { time?: number | null; key?: number | null; mode?: number | null }[] | null;
  sequenceMetadata?: { title?: string | null } | null;
}

/** A quantized sequence as `melodyToNoteSequence` makes it: every field filled in. */
export interface QuantizedNoteSequence extends NoteSequence {
  notes: Required<NoteSequenceNote>[];
  quantizationInfo: { stepsPerQuarter: number };
  totalQuantizedSteps: number;
  totalTime: number;
  tempos: { time: number; qpm: number }[];
  timeSignatures: { time: number; numerator: number; denominator: number }[];
  keySignatures: { time: number; key: number; mode: number }[];
}

/** What to use when a sequence does not say (magenta's model output carries no key or title). */
export interface MelodyDefaults {
  readonly meter?: Meter;
  readonly tempo?: Bpm;
  /** Used when the sequence has no key signature; also lends its spelling to a matching one (Gb, not F#). */
  readonly key?: Key | null;
  readonly title?: string;
}

/** A quantized NoteSequence (4 steps per quarter) holding the melody, on program 0. */
export function melodyToNoteSequence(melody: Melody): QuantizedNoteSequence {
  const seconds = secondsPerStep(melody.tempo);
  const pc = melody.key ? tonicPitchClass(melody.key) : null;
  return {
    notes: melody.notes.map((n) => ({
      pitch: n.pitch,
      velocity: n.velocity,
      startTime: n.start * seconds,
      endTime: n.end * seconds,
      quantizedStartStep: n.start,
      quantizedEndStep: n.end,
      program: 0,
      isDrum: false,
    })),
    quantizationInfo: { stepsPerQuarter: STEPS_PER_QUARTER },
    totalQuantizedSteps: melody.length,
    totalTime: melody.length * seconds,
    tempos: [{ time: 0, qpm: melody.tempo }],
    timeSignatures: [{ time: 0, numerator: melody.meter.numerator, denominator: melody.meter.denominator }],
    keySignatures:
      melody.key && pc !== null
        ? [{ time: 0, key: pc, mode: NOTE_SEQUENCE_MODES.indexOf(melody.key.mode) }]
        : [],
    ...(melody.title !== undefined ? { sequenceMetadata: { title: melody.title } } : {}),
  };
}

/**
 * NoteSequence's KeySignature.Mode numbers (magenta's music.proto): MAJOR 0, MINOR 1,
 * NOT_SPECIFIED 2 (read as nothing), MIXOLYDIAN 3, DORIAN 4, PHRYGIAN 5, LYDIAN 6, LOCRIAN 7.
 */
const NOTE_SEQUENCE_MODES: readonly (Mode | undefined)[] = [
  'major',
  'minor',
  undefined,
  'mixolydian',
  'dorian',
  'phrygian',
  'lydian',
  'locrian',
];

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * A monophonic melody from a NoteSequence, quantized or not. Quantized sequences (with
 * `stepsPerQuarter`) keep their steps, rescaled to 4 per quarter if needed; unquantized ones
 * are converted from seconds with their first tempo. Drum notes are left out, and the rest
 * are reduced to one line by the same rule MIDI import uses (`reduceToMonophony`).
 */
export function noteSequenceToMelody(ns: NoteSequence, defaults: MelodyDefaults = {}): Melody {
  const tempoEntry = [...(ns.tempos ?? [])]
    .filter((t) => isNumber(t.qpm) && t.qpm > 0)
    .sort((a, b) => (a.time ?? 0) - (b.time ?? 0))[0];
  const qpm = tempoEntry?.qpm ?? defaults.tempo ?? DEFAULT_TEMPO;
  const tempo = tempoEntry ? Math.round(qpm * 100) / 100 : qpm;

  const meterEntry = [...(ns.timeSignatures ?? [])]
    .filter(
      (t) =>
        isNumber(t.numerator) &&
        t.numerator >= 1 &&
        isNumber(t.denominator) &&
        [2, 4, 8, 16].includes(t.denominator),
    )
    .sort((a, b) => (a.time ?? 0) - (b.time ?? 0))[0];
  const meter: Meter = meterEntry
    ? { numerator: meterEntry.numerator!, denominator: meterEntry.denominator! }
    : (defaults.meter ?? DEFAULT_METER);

  const keyEntry = [...(ns.keySignatures ?? [])]
    .filter(
      (k) => isNumber(k.key) && k.key >= 0 && k.key <= 11 && NOTE_SEQUENCE_MODES[k.mode ?? 0] !== undefined,
    )
    .sort((a, b) => (a.time ?? 0) - (b.time ?? 0))[0];
  let key: Key | null = defaults.key ?? null;
  if (keyEntry) {
    const mode = NOTE_SEQUENCE_MODES[keyEntry.mode ?? 0]!;
    const fromDefaults =
      defaults.key && defaults.key.mode === mode && tonicPitchClass(defaults.key) === keyEntry.key;
    key = fromDefaults ? defaults.key! : keyFromPitchClass(keyEntry.key!, mode);
  }

  const spq = ns.quantizationInfo?.stepsPerQuarter;
  const notes = (ns.notes ?? []).filter(
    (n) => !n.isDrum && isNumber(n.pitch) && Number.isInteger(n.pitch) && n.pitch >= 0 && n.pitch <= 127,
  );
  const quantized =
    isNumber(spq) &&
    spq > 0 &&
    notes.every((n) => isNumber(n.quantizedStartStep) && isNumber(n.quantizedEndStep));
  /** Quarter notes from a note's steps or seconds. */
  const quarters = (steps: number | null | undefined, seconds: number | null | undefined): number =>
    quantized ? (steps ?? 0) / spq! : ((seconds ?? 0) * qpm) / 60;

  const onGrid: Note[] = [];
  for (const n of notes) {
    const startQuarters = quarters(n.quantizedStartStep, n.startTime);
    const endQuarters = quarters(n.quantizedEndStep, n.endTime);
    if (!isNumber(startQuarters) || !isNumber(endQuarters) || startQuarters < 0) continue;
    onGrid.push(
      quantizeNote({
        pitch: n.pitch!,
        startQuarters,
        endQuarters,
        velocity: clampVelocity(n.velocity, DEFAULT_VELOCITY),
      }),
    );
  }
  const total = quantized
    ? isNumber(ns.totalQuantizedSteps)
      ? quartersToStep(ns.totalQuantizedSteps / spq!)
      : 0
    : isNumber(ns.totalTime)
      ? quartersToStep((ns.totalTime * qpm) / 60)
      : 0;

  const title = ns.sequenceMetadata?.title ?? defaults.title;
  return makeMelody({
    notes: reduceToMonophony(onGrid),
    meter,
    tempo,
    key,
    length: Math.max(0, total),
    ...(title !== undefined && title !== null ? { title } : {}),
  });
}
