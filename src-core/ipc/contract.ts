/**
 * The host API: every call the renderer can make to the main process, with zod schemas
 * for its argument and its result. Main validates each incoming call against `args`;
 * the renderer's types are derived from here and never written twice.
 * Every result is a Result (src-core/result.ts): expected failures come back as values.
 */
import { z } from 'zod';
import type { EventChannel, InvokeChannel } from './channels.ts';
import { PACK_LIMITS } from '../lessons/pack-files.ts';
import { MODES } from '../music/melody.ts';
import { attemptSchema, profileSchema } from '../lessons/progress.ts';

/** Raw file bytes. Crosses Electron IPC as a Uint8Array (structured clone). */
export const bytesSchema = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected bytes');

export const problemSchema = z.object({
  code: z.string(),
  message: z.string(),
  path: z.string().optional(),
});

/** A Result<T> as it crosses the border (see src-core/result.ts). */
function resultOf<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value, warnings: z.array(z.string()).readonly().optional() }),
    z.object({ ok: z.literal(false), error: problemSchema }),
  ]);
}

/** A MIDI file the user chose, with its bytes (at most MAX_MIDI_BYTES). */
export const openedFileSchema = z.object({
  name: z.string(),
  path: z.string(),
  bytes: bytesSchema,
});

export const recentFileSchema = z.object({ name: z.string(), path: z.string() });

const noArgs = z.tuple([]);

/** A melody as it crosses the border; bounds keep a bad page from flooding a device. */
/**
 * The longest melody that crosses the border, in 16th-note steps: 65,536 bars of 4/4, over 36
 * hours at 120 bpm. Far beyond any tune; it keeps step arithmetic (bars, ticks) small and exact.
 */
export const MAX_MELODY_STEPS = 16 * 65_536;

/** A time signature; the denominator a power of two (a bar of 4/3 would be 21.33 steps). */
const meterSchema = z.object({
  numerator: z.number().int().min(1).max(32),
  denominator: z
    .number()
    .int()
    .refine((d) => [1, 2, 4, 8, 16, 32].includes(d), 'must be 1, 2, 4, 8, 16 or 32'),
});

export const melodySchema = z.object({
  notes: z
    .array(
      z.object({
        pitch: z.number().int().min(0).max(127),
        start: z
          .number()
          .int()
          .min(0)
          .max(MAX_MELODY_STEPS - 1),
        end: z.number().int().min(1).max(MAX_MELODY_STEPS),
        velocity: z.number().int().min(1).max(127),
      }),
    )
    .max(100_000)
    .readonly()
    .refine((notes) => notes.every((n, i) => n.end > n.start && (i === 0 || n.start >= notes[i - 1]!.end)), {
      message: 'notes must be in order and must not overlap',
    }),
  meter: meterSchema,
  tempo: z.number().min(10).max(400),
  key: z.object({ tonic: z.string().regex(/^[A-G](#|b)?$/), mode: z.enum(MODES) }).nullable(),
  length: z.number().int().min(0).max(MAX_MELODY_STEPS),
  title: z.string().max(500).optional(),
  /** Later tempos (music/tempo.ts): a device plays them in proportion to the tempo chosen. */
  tempoChanges: z
    .array(
      z.object({
        at: z
          .number()
          .int()
          .min(0)
          .max(MAX_MELODY_STEPS - 1),
        bpm: z.number().min(1).max(1000),
      }),
    )
    .max(10_000)
    .readonly()
    .optional(),
  /** Spans played as triplets (music/tuplets.ts); checked against the notes before use. */
  tuplets: z
    .array(
      z.object({
        start: z
          .number()
          .int()
          .min(0)
          .max(MAX_MELODY_STEPS - 1),
        span: z.union([z.literal(4), z.literal(8)]),
      }),
    )
    .max(100_000)
    .readonly()
    .optional(),
});

export const midiPortsSchema = z.object({
  inputs: z.array(z.string()).readonly(),
  outputs: z.array(z.string()).readonly(),
});

/**
 * A lesson pack's files by path inside the pack (pack.json and the MIDI files it uses), as
 * the window and main exchange them. Main checks them again with validatePack wherever it
 * stores or writes a pack; the window validates them before it shows a lesson.
 */
export const packFilesSchema = z
  .record(z.string().min(1).max(255), bytesSchema)
  .refine((files) => Object.keys(files).length <= PACK_LIMITS.maxEntries, 'too many files')
  .refine(
    (files) => Object.values(files).reduce((sum, b) => sum + b.byteLength, 0) <= PACK_LIMITS.maxTotalBytes,
    'too large',
  );

/** A pack Cantus can offer: built in (lessons/), or imported by the teacher. */
export const packEntrySchema = z.object({
  /** "built-in/<id>" or "imported/<id>". */
  ref: z.string().min(1).max(200),
  origin: z.enum(['built-in', 'imported']),
  files: packFilesSchema,
});

const profileIdSchema = z.string().min(1).max(100);

export const classSummarySchema = z.object({
  students: z.array(
    z.object({
      student: z.string(),
      packId: z.string(),
      lessonId: z.string(),
      attempts: z.number(),
      meanScore: z.number(),
      mastered: z.boolean(),
      runs: z.number(),
      lastRun: z.number(),
      bestRun: z.number(),
    }),
  ),
  lessons: z.array(
    z.object({
      packId: z.string(),
      lessonId: z.string(),
      students: z.number(),
      meanScore: z.number(),
      meanLastRun: z.number(),
      struggled: z.array(z.string()).readonly(),
    }),
  ),
});

export const contract = {
  'app:info': {
    args: noArgs,
    result: resultOf(
      z.object({ version: z.string(), platform: z.string(), shell: z.enum(['electron', 'web']) }),
    ),
  },
  /** Shows the open dialog and reads the chosen file; `null` when the user cancels. */
  'file:open-midi': {
    args: noArgs,
    result: resultOf(openedFileSchema.nullable()),
  },
  /** Reads a file the user already chose (recent list, "open with", a menu). */
  'file:read-midi': {
    args: z.tuple([z.object({ path: z.string().min(1).max(4096) })]),
    result: resultOf(openedFileSchema),
  },
  /** Shows the save dialog and writes the bytes; `null` when the user cancels. */
  'file:save-midi': {
    args: z.tuple([
      z.object({
        suggestedName: z.string().min(1).max(255),
        bytes: bytesSchema.refine((b) => b.byteLength <= 16 * 1024 * 1024, 'too large'),
      }),
    ]),
    result: resultOf(z.object({ path: z.string(), name: z.string() }).nullable()),
  },
  /** Recently opened and saved files, newest first. */
  'library:recent': {
    args: noArgs,
    result: resultOf(z.array(recentFileSchema)),
  },
  /**
   * The window has opened the file at `path` (read through file:open-midi or file:read-midi):
   * it joins the recent list. A file that could not be opened never does.
   */
  'library:opened': {
    args: z.tuple([z.object({ path: z.string().min(1).max(4096) })]),
    result: resultOf(z.null()),
  },
  /** MIDI inputs and outputs there are now. */
  'midi:ports': {
    args: noArgs,
    result: resultOf(midiPortsSchema),
  },
  /** Opens an output by name (closing the previous one); `virtual` makes a port others can listen to. */
  'midi:open-output': {
    args: z.tuple([z.object({ name: z.string().min(1).max(200), virtual: z.boolean().optional() })]),
    result: resultOf(z.null()),
  },
  /** Plays on the open output; resolves when the melody ends or is stopped. */
  'midi:play': {
    args: z.tuple([
      z.object({
        melody: melodySchema,
        channel: z.number().int().min(0).max(15),
        program: z.number().int().min(0).max(127).nullable(),
        tempo: z.number().min(10).max(400),
      }),
    ]),
    result: resultOf(z.object({ finished: z.boolean() })),
  },
  'midi:stop': { args: noArgs, result: resultOf(z.null()) },
  /** All notes off on every channel of the open output. */
  'midi:panic': { args: noArgs, result: resultOf(z.null()) },
  'midi:set-tempo': { args: z.tuple([z.number().min(10).max(400)]), result: resultOf(z.null()) },
  /** Listens to a MIDI input (a keyboard); its notes arrive as `midi:input` events. */
  'midi:open-input': {
    args: z.tuple([z.object({ name: z.string().min(1).max(200) })]),
    result: resultOf(z.null()),
  },
  'midi:close-input': { args: noArgs, result: resultOf(z.null()) },
  /** Call and response: answer each phrase played on the open input. */
  'midi:answer-mode': {
    args: z.tuple([
      z.union([
        z.object({ on: z.literal(false) }),
        z.object({
          on: z.literal(true),
          tempo: z.number().min(10).max(400),
          meter: meterSchema,
          maxBars: z.number().int().min(1).max(8),
          temperature: z.number().min(0.1).max(2),
          onDevice: z.boolean(),
          channel: z.number().int().min(0).max(15),
          program: z.number().int().min(0).max(127).nullable(),
        }),
      ]),
    ]),
    result: resultOf(z.null()),
  },
  /**
   * Shows a folder dialog for a melody model (a MusicRNN checkpoint, e.g. Magenta's basic_rnn),
   * checks it, and returns the address the window loads it from; `null` when cancelled.
   */
  'model:choose-folder': {
    args: noArgs,
    result: resultOf(z.object({ name: z.string(), url: z.string() }).nullable()),
  },
  /** The window has finished playing an answer (in-app synth): listen again. */
  'midi:answered': { args: noArgs, result: resultOf(z.null()) },

  /**
   * Every lesson pack there is: the built-in ones and those the teacher imported. A stored
   * pack that no longer validates is left out and named in `problems` (never fatal).
   */
  'lessons:packs': {
    args: noArgs,
    result: resultOf(
      z.object({
        packs: z.array(packEntrySchema),
        problems: z.array(z.object({ name: z.string(), message: z.string() })),
      }),
    ),
  },
  /**
   * Shows the open dialog for a pack shared as one file (.zip), checks it as untrusted input
   * and keeps a copy in the user-data folder (replacing an earlier import with the same id);
   * `null` when cancelled. A refused pack fails with one line per problem.
   */
  'lessons:import': { args: noArgs, result: resultOf(packEntrySchema.nullable()) },
  /** Forgets an imported pack (built-in packs cannot be removed). */
  'lessons:remove': {
    args: z.tuple([z.object({ ref: z.string().min(1).max(200) })]),
    result: resultOf(z.null()),
  },
  /** Validates a pack, then shows the save dialog and writes it as one .zip file. */
  'lessons:export': {
    args: z.tuple([z.object({ suggestedName: z.string().min(1).max(255), files: packFilesSchema })]),
    result: resultOf(z.object({ path: z.string(), name: z.string() }).nullable()),
  },
  /** The pack the teacher's editor was working on (kept between runs); `null` when none. */
  'lessons:draft-load': { args: noArgs, result: resultOf(packFilesSchema.nullable()) },
  /** Keeps the editor's pack as it is now, valid or not (written atomically). */
  'lessons:draft-save': {
    args: z.tuple([z.object({ files: packFilesSchema })]),
    result: resultOf(z.null()),
  },
  /** Student profiles on this computer (name only). */
  'progress:profiles': { args: noArgs, result: resultOf(z.array(profileSchema)) },
  'progress:add-profile': {
    args: z.tuple([z.object({ name: z.string().max(500) })]),
    result: resultOf(profileSchema),
  },
  /** Records a graded answer; resolves once it is safely on disk. */
  'progress:record': {
    args: z.tuple([
      attemptSchema.pick({
        profileId: true,
        packId: true,
        lessonId: true,
        questionKind: true,
        score: true,
        correct: true,
        model: true,
        runId: true,
      }),
    ]),
    result: resultOf(attemptSchema),
  },
  /** One student's attempts, oldest first. */
  'progress:attempts': {
    args: z.tuple([z.object({ profileId: profileIdSchema })]),
    result: resultOf(z.array(attemptSchema)),
  },
  /** Shows the save dialog and writes progress as CSV: one student's, or (null) everyone's. */
  'progress:export-csv': {
    args: z.tuple([z.object({ profileId: profileIdSchema.nullable() })]),
    result: resultOf(z.object({ path: z.string(), name: z.string() }).nullable()),
  },
  /** Shows the open dialog for several CSV exports and sums them up by class; `null` when cancelled. */
  'progress:class-summary': { args: noArgs, result: resultOf(classSummarySchema.nullable()) },
} as const satisfies Record<InvokeChannel, { args: z.ZodType; result: z.ZodType }>;

/** What call and response is doing (see the 'midi:answer' event). */
export const ANSWER_PHASES = ['off', 'preparing', 'listening', 'thinking', 'answering'] as const;
export type AnswerPhase = (typeof ANSWER_PHASES)[number];

export const menuCommandSchema = z.enum(['open', 'save', 'play-toggle', 'stop']);

export const events = {
  'menu:command': menuCommandSchema,
  'file:opened-externally': z.object({ path: z.string() }),
  /** The melody note a MIDI device has just been sent. */
  'midi:note': z.object({ index: z.number().int().min(0) }),
  'midi:ports-changed': midiPortsSchema,
  /** The open output or input went away (unplugged, switched off). */
  'midi:device-lost': z.object({ name: z.string(), message: z.string() }),
  /** A note message from the open input, stamped with its arrival (ms since 1970, sub-ms). */
  'midi:input': z.object({ bytes: z.array(z.number().int().min(0).max(255)).max(3), at: z.number() }),
  /**
   * Call and response: what Cantus is doing ('preparing' while the model loads and warms up, so
   * no phrase is played before an answer can be quick), and each answer with how quickly it came.
   */
  'midi:answer': z.object({
    phase: z.enum(ANSWER_PHASES),
    melody: melodySchema.optional(),
    answerStart: z.number().int().min(0).optional(),
    latencyMs: z.number().optional(),
    message: z.string().optional(),
  }),
} as const satisfies Record<EventChannel, z.ZodType>;

export type Contract = typeof contract;
export type Args<C extends InvokeChannel> = z.infer<Contract[C]['args']>;
export type Reply<C extends InvokeChannel> = z.infer<Contract[C]['result']>;
export type EventPayload<E extends EventChannel> = z.infer<(typeof events)[E]>;
export type MenuCommand = z.infer<typeof menuCommandSchema>;
export type OpenedFile = z.infer<typeof openedFileSchema>;
export type RecentFile = z.infer<typeof recentFileSchema>;

/** The API the renderer sees: one async function per channel, plus event subscription. */
export type HostApi = {
  readonly [C in InvokeChannel]: (...args: Args<C>) => Promise<Reply<C>>;
} & {
  readonly on: <E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;
};

/** Checks a call's arguments; returns a message on failure (never the raw zod dump). */
export function parseArgs<C extends InvokeChannel>(
  channel: C,
  args: unknown,
): { ok: true; args: Args<C> } | { ok: false; message: string } {
  const parsed = contract[channel].args.safeParse(args);
  if (parsed.success) return { ok: true, args: parsed.data as Args<C> };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    message: `Bad arguments for ${channel}${issue ? ` at ${issue.path.join('.') || 'root'}: ${issue.message}` : ''}`,
  };
}
