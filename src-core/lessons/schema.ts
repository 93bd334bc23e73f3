/**
 * The lesson pack format (formatVersion 1), as zod schemas. A pack is a folder, or one zip
 * archive of it, holding `pack.json` and the MIDI files its lessons use.
 *
 * Ids (pack, lessons, questions), question kinds and constraint names end up in saved
 * progress and in teachers' files: once released they never change. New kinds may be
 * added; a kind is never renamed or removed.
 *
 * The schemas carry no transforms, so the same objects produce the published JSON Schema
 * (json-schema.ts). Text a person reads (titles, hints, introductions) may not hold HTML:
 * Cantus shows it as text, and refusing it early gives the author a clear message.
 */
import { z } from 'zod';
import { MODES, parseNotes } from '../music/melody.ts';
import { AUTOLINK } from './markdown.ts';

/** The only pack format this Cantus reads. */
export const PACK_FORMAT_VERSION = 1;

/** Stable ids: lower-case letters, digits and dashes, starting with a letter or digit. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Question kinds Cantus knows, in the order a lesson usually meets them. Never rename. */
export const QUESTION_KINDS = [
  'interval-name',
  'interval-by-ear',
  'step-skip-leap',
  'contour',
  'find-motif',
  'repeated-bars',
  'form-letters',
  'sequence',
  'which-repeats-more',
  'major-or-minor',
  'home-note',
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** Conditions a generated melody must meet; met by generating and filtering. Never rename. */
export const CONSTRAINT_NAMES = ['two-bar-repeat', 'steps-and-thirds-only', 'ends-on-tonic'] as const;
export type ConstraintName = (typeof CONSTRAINT_NAMES)[number];

/** Each constraint in a teacher's words. */
export const CONSTRAINT_WORDS: Readonly<Record<ConstraintName, string>> = {
  'two-bar-repeat': 'contains a two-bar repeat',
  'steps-and-thirds-only': 'only steps and thirds',
  'ends-on-tonic': 'ends on the home note (tonic)',
};

/** Lengths of text fields, in characters. */
export const TEXT_LIMITS = { title: 120, hint: 500, introduction: 10_000, notes: 4000 } as const;

/**
 * Something that looks like an HTML tag: `<b>`, `</p>`, `< script`, `<!doctype`, `<?xml`.
 * Written so that each "<" is tried in time linear in the spaces after it: one run of
 * spaces, then optionally "/", "!" or "?" followed by a second run. (Two runs of spaces
 * side by side, as in `<\s*[/!?]?\s*`, try every way of splitting the spaces between them.)
 */
const HTML_LIKE = /<\s*(?:[/!?]\s*)?[a-z]/i;
/** Control characters other than tab and newline. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** True when `text` holds something that looks like HTML or a control character. */
export function hasMarkup(text: string): boolean {
  // An autolink (<https://...>) looks like a tag but is a link, shown as its address.
  const withoutLinks = text.replace(AUTOLINK, '');
  return HTML_LIKE.test(withoutLinks) || CONTROL.test(text) || /javascript:/i.test(text);
}

const isPlain = (text: string): boolean => !hasMarkup(text);
/**
 * For a refinement after `.max(max)`: zod runs it even when the length check has failed,
 * so text over the limit is passed here unscanned; the length message already refuses it.
 */
const isPlainWithin =
  (max: number) =>
  (text: string): boolean =>
    text.length > max || isPlain(text);
const markupMessage = (what: string) =>
  `${what} may not contain HTML, scripts or control characters; write plain text`;

/** Names Windows keeps for devices: a pack stored as `nul.zip` could never be written there. */
export const RESERVED_IDS = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

const Id = z
  .string()
  .regex(
    ID_PATTERN,
    'must be an id of lower-case letters, digits and dashes (at most 64), like "intervals-1"',
  )
  .refine((id) => !RESERVED_IDS.test(id), 'is a name Windows keeps for a device; choose another id');

const PlainText = (what: string, max: number) =>
  z
    .string()
    .min(1, `${what} may not be empty`)
    .max(max, `${what} may be at most ${max} characters`)
    .refine(isPlainWithin(max), markupMessage(what));

const Markdown = z
  .string()
  .max(TEXT_LIMITS.introduction, `the introduction may be at most ${TEXT_LIMITS.introduction} characters`)
  .refine(isPlainWithin(TEXT_LIMITS.introduction), markupMessage('the introduction'));

/** Notes written in the pack, in the `parseNotes` form: "C4 D4/2 r/2 E4/8". */
const NotesText = z
  .string()
  .min(1, 'must list at least one note')
  .max(TEXT_LIMITS.notes, `may be at most ${TEXT_LIMITS.notes} characters`)
  .refine((text) => {
    // Text past the limit already has its message; it is never parsed.
    if (text.length > TEXT_LIMITS.notes) return true;
    try {
      const notes = parseNotes(text);
      return notes.length > 0 && notes.every((n) => n.pitch >= 0 && n.pitch <= 127 && n.end <= 100_000);
    } catch {
      return false;
    }
  }, 'must be notes like "C4 D4/2 r/2 E4/8" (pitch, then / and a length in sixteenths), in MIDI range');

export const MeterSchema = z.strictObject({
  numerator: z.number().int().min(1).max(16),
  denominator: z.union([z.literal(2), z.literal(4), z.literal(8), z.literal(16)]),
});

export const KeySchema = z.strictObject({
  tonic: z.string().regex(/^[A-G](#|b)?$/, 'must be a pitch name such as "C", "F#" or "Bb"'),
  mode: z.enum(MODES),
});

export const GenerateSourceSchema = z.strictObject({
  source: z.literal('generate'),
  /** A model id, as in resources/models/<id>. */
  model: Id,
  primer: NotesText,
  temperature: z.number().min(0.1).max(2),
  bars: z.number().int().min(1).max(32),
  /** Leave out for a fresh melody each time; give one for the same melody every time. */
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  constraints: z.array(z.enum(CONSTRAINT_NAMES)).max(CONSTRAINT_NAMES.length).default([]),
  meter: MeterSchema.optional(),
  key: KeySchema.optional(),
  /**
   * A melody the model wrote for this lesson when the pack was checked (and the second one a
   * "which tune repeats more" question compares), kept so a student always gets a lesson: it is
   * used when no fresh melody fits the lesson in time. Written by Cantus's pack check.
   */
  kept: z.strictObject({ notes: NotesText, second: NotesText.optional() }).optional(),
});

export const FixedSourceSchema = z
  .strictObject({
    source: z.literal('fixed'),
    /** Notes written in the pack... */
    notes: NotesText.optional(),
    /** ...or a MIDI file in the pack, by its path inside the pack. */
    midi: z.string().min(1).max(255).optional(),
    /** For `midi`: the part to take, e.g. "1:0" (default: the one Cantus would pick). */
    part: z
      .string()
      .regex(/^\d{1,3}:\d{1,2}$/, 'must be a part id such as "1:0"')
      .optional(),
    meter: MeterSchema.optional(),
    key: KeySchema.optional(),
    tempo: z.number().min(20).max(400).optional(),
  })
  .refine((s) => (s.notes === undefined) !== (s.midi === undefined), {
    message: 'a fixed melody needs exactly one of "notes" or "midi"',
  });

export const MelodySourceSchema = z.discriminatedUnion('source', [GenerateSourceSchema, FixedSourceSchema]);

const questionBase = {
  id: Id,
  hint: PlainText('the hint', TEXT_LIMITS.hint).optional(),
};

const IntervalAnswer = z.enum(['choices', 'typed']).default('choices');

/**
 * Ask only about intervals of these sizes on the staff, counted within the octave:
 * 2 seconds, 3 thirds, ... 8 octaves (a 9th counts as a 2nd). Leave out to ask about any.
 */
const IntervalSizes = z
  .array(z.number().int().min(2, 'sizes start at 2 (seconds)').max(8, 'sizes end at 8 (octaves)'))
  .min(1, 'list at least one size, or leave "sizes" out')
  .max(7)
  .optional();

export const QuestionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...questionBase,
    kind: z.literal('interval-name'),
    answer: IntervalAnswer,
    sizes: IntervalSizes,
  }),
  z.strictObject({
    ...questionBase,
    kind: z.literal('interval-by-ear'),
    answer: IntervalAnswer,
    sizes: IntervalSizes,
  }),
  z.strictObject({ ...questionBase, kind: z.literal('step-skip-leap'), sizes: IntervalSizes }),
  z.strictObject({ ...questionBase, kind: z.literal('contour') }),
  z.strictObject({ ...questionBase, kind: z.literal('find-motif') }),
  z.strictObject({ ...questionBase, kind: z.literal('repeated-bars') }),
  z.strictObject({ ...questionBase, kind: z.literal('form-letters') }),
  z.strictObject({ ...questionBase, kind: z.literal('sequence') }),
  z.strictObject({ ...questionBase, kind: z.literal('which-repeats-more') }),
  z.strictObject({ ...questionBase, kind: z.literal('major-or-minor') }),
  z.strictObject({ ...questionBase, kind: z.literal('home-note') }),
]);

/** Most lessons in a pack and questions in a lesson. */
export const PACK_COUNT_LIMITS = { lessons: 100, questionsPerLesson: 20 } as const;

export const LessonSchema = z.strictObject({
  id: Id,
  title: PlainText('the title', TEXT_LIMITS.title),
  introduction: Markdown,
  melody: MelodySourceSchema,
  questions: z
    .array(QuestionSchema)
    .min(1, 'a lesson needs at least one question')
    .max(
      PACK_COUNT_LIMITS.questionsPerLesson,
      `a lesson may have at most ${PACK_COUNT_LIMITS.questionsPerLesson} questions`,
    ),
});

export const PackSchema = z.strictObject({
  formatVersion: z.literal(PACK_FORMAT_VERSION),
  id: Id,
  title: PlainText('the title', TEXT_LIMITS.title),
  author: PlainText('the author', TEXT_LIMITS.title),
  version: z.string().regex(/^\d{1,4}\.\d{1,4}\.\d{1,4}$/, 'must be a version such as "1.0.0"'),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'must be a language tag such as "en" or "pt-BR"'),
  lessons: z
    .array(LessonSchema)
    .min(1, 'a pack needs at least one lesson')
    .max(PACK_COUNT_LIMITS.lessons, `a pack may have at most ${PACK_COUNT_LIMITS.lessons} lessons`),
});

export type LessonPack = z.output<typeof PackSchema>;
export type Lesson = z.output<typeof LessonSchema>;
export type QuestionSpec = z.output<typeof QuestionSchema>;
export type MelodySource = z.output<typeof MelodySourceSchema>;
export type GenerateSource = z.output<typeof GenerateSourceSchema>;
export type FixedSource = z.output<typeof FixedSourceSchema>;
