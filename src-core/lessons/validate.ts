/**
 * Validates a lesson pack held in memory (see pack-files.ts) and returns every problem
 * found, not just the first, each naming the file and the JSON path. Never throws on any
 * input: a broken or hostile pack gives problems, never a crash.
 *
 * Order: file paths and sizes; pack.json present, UTF-8, JSON; the format version (an
 * unknown one stops there, since the rest may mean something else); the schema; then what
 * the schema cannot see: duplicate ids, and MIDI files that must exist and be readable, each
 * read once however many lessons use it, with at most MAX_LESSON_NOTES notes in a lesson's melody;
 * and the melodies a pack keeps for its generated lessons, which must fit the lesson's length
 * and meet its conditions (both read only in a full check, with the files).
 */
import type { z } from 'zod';
import { analyzeMelody } from '../analysis/analyze.ts';
import { stepsPerBar } from '../music/melody.ts';
import { meetsConstraints } from './constraints.ts';
import { keptMelody } from './melody-source.ts';
import { extractMelody } from '../midi/extract.ts';
import { readMidi, type ParsedMidi } from '../midi/read.ts';
import type { Result } from '../result.ts';
import { BUILT_IN_MODELS, builtInModel } from '../model/model-id.ts';
import {
  checkPackFiles,
  normalizePackPath,
  packProblem,
  PACK_JSON,
  PACK_LIMITS,
  printable,
  type PackFiles,
  type PackProblem,
} from './pack-files.ts';
import {
  CONSTRAINT_NAMES,
  CONSTRAINT_WORDS,
  PACK_FORMAT_VERSION,
  PackSchema,
  QUESTION_KINDS,
  type LessonPack,
} from './schema.ts';

/**
 * Most notes a lesson's melody may have: a lesson is about a tune or a passage (the longest
 * built-in one has a few hundred notes), and every answer is worked out from its analysis.
 */
export const MAX_LESSON_NOTES = 2000;

export interface PackValidation {
  /** The pack when there are no problems, else null. */
  readonly pack: LessonPack | null;
  readonly problems: readonly PackProblem[];
}

/** "lessons[2].questions[0].kind" from ["lessons", 2, "questions", 0, "kind"]. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const name = String(key);
      out += /^[A-Za-z_$][\w$]*$/.test(name)
        ? `${out === '' ? '' : '.'}${name}`
        : `[${JSON.stringify(name)}]`;
    }
  }
  return out;
}

/** Reads a value at a path inside parsed JSON, or undefined. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** A short printable form of a JSON value for messages. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Nested too deep to print (a hostile pack): say what it is without walking into it.
    text = Array.isArray(value) ? '[[[...' : value !== null && typeof value === 'object' ? '{...}' : '?';
  }
  return printable(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'text';
  return `a ${typeof value}`;
}

/** Turns one zod issue into a plain sentence. */
function issueMessage(issue: z.core.$ZodIssue, root: unknown): { code: string; text: string } {
  const path = issue.path;
  const value = valueAt(root, path);
  const last = path[path.length - 1];
  switch (issue.code) {
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator === 'kind')
        return value === undefined
          ? {
              code: 'lessons/missing-field',
              text: `the question has no "kind". Use one of: ${QUESTION_KINDS.join(', ')}.`,
            }
          : {
              code: 'lessons/unknown-kind',
              text: `${show(value)} is not a question kind Cantus knows. Use one of: ${QUESTION_KINDS.join(', ')}.`,
            };
      if ('discriminator' in issue && issue.discriminator === 'source')
        return {
          code: 'lessons/unknown-source',
          text: `${show(value)} is not a melody source Cantus knows. Use "generate" or "fixed".`,
        };
      return { code: 'lessons/invalid', text: `${show(value)} does not fit any of the forms allowed here.` };
    case 'invalid_type':
      if (value === undefined)
        return { code: 'lessons/missing-field', text: `this field is required but missing.` };
      return {
        code: 'lessons/wrong-type',
        text: `expected ${issue.expected === 'int' ? 'a whole number' : issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}, found ${typeName(value)} (${show(value)}).`,
      };
    case 'invalid_value':
      if (last === 'constraints' || (typeof last === 'number' && path[path.length - 2] === 'constraints'))
        return {
          code: 'lessons/unknown-constraint',
          text: `${show(value)} is not a constraint Cantus knows. Use one of: ${CONSTRAINT_NAMES.join(', ')}.`,
        };
      if (last === 'formatVersion') return { code: 'lessons/unknown-version', text: versionText(value) };
      return {
        code: 'lessons/bad-value',
        text: `${show(value)} is not allowed here. Use one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`,
      };
    case 'unrecognized_keys':
      return {
        code: 'lessons/unknown-field',
        text: `${issue.keys.map((k) => `"${printable(k)}"`).join(', ')} ${issue.keys.length === 1 ? 'is not a field' : 'are not fields'} Cantus knows here; remove ${issue.keys.length === 1 ? 'it' : 'them'} or check the spelling.`,
      };
    case 'too_small':
    case 'too_big':
    case 'invalid_format':
    case 'custom':
      return { code: 'lessons/bad-value', text: `${show(value)}: ${issue.message}.`.replace(/\.\.$/, '.') };
    default:
      return { code: 'lessons/invalid', text: `${show(value)}: ${issue.message}.` };
  }
}

function versionText(value: unknown): string {
  if (typeof value === 'number' && value > PACK_FORMAT_VERSION)
    return `the pack uses format version ${value}, made for a newer Cantus; this one reads version ${PACK_FORMAT_VERSION}. Update Cantus to open it.`;
  return `${show(value)} is not a format version Cantus reads; this Cantus reads version ${PACK_FORMAT_VERSION}.`;
}

/** Decodes pack.json's bytes as UTF-8 text (a UTF-8 byte-order mark is allowed). */
function decodeJsonText(bytes: Uint8Array): { text: string } | { problem: string } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return { problem: 'the file is saved as UTF-16; save it as UTF-8.' };
  if (bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0))
    return {
      problem:
        'the file holds zero bytes, so it is not UTF-8 text (perhaps UTF-16 or binary); save it as UTF-8.',
    };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.startsWith('\uFEFF') ? text.slice(1) : text };
  } catch {
    return { problem: 'the file is not UTF-8 text; save it as UTF-8.' };
  }
}

export interface ValidateOptions {
  /**
   * Read the MIDI files lessons name (default true). The window passes false for packs main has
   * already checked in full: it then checks only that each file is there, which costs nothing,
   * instead of reading every file again on its own thread.
   */
  readonly readMidi?: boolean;
}

/** Validates the pack whose files are `files`; `where` names the pack (folder or archive) in messages. */
export function validatePack(
  files: PackFiles,
  where = 'the pack',
  options: ValidateOptions = {},
): PackValidation {
  try {
    return validateUnsafe(files, where, options.readMidi ?? true);
  } catch {
    // Nothing above should throw; if it ever does, the pack is still refused, never the app.
    return {
      pack: null,
      problems: [
        packProblem('lessons/internal', where, '', 'Cantus could not check this pack; it was refused.'),
      ],
    };
  }
}

function validateUnsafe(files: PackFiles, where: string, readFiles: boolean): PackValidation {
  const problems: PackProblem[] = [...checkPackFiles(files, where)];
  const at = (code: string, path: string, text: string, file = PACK_JSON) =>
    problems.push(packProblem(code, file, path, text));
  const bytes = files.get(PACK_JSON);
  if (!bytes) {
    at(
      'lessons/no-pack-json',
      '',
      `the pack has no ${PACK_JSON} at its top level; every pack needs one.`,
      where,
    );
    return { pack: null, problems };
  }
  if (bytes.length > PACK_LIMITS.maxPackJsonBytes) return { pack: null, problems };
  const decoded = decodeJsonText(bytes);
  if ('problem' in decoded) {
    at('lessons/not-utf8', '', decoded.problem);
    return { pack: null, problems };
  }
  let root: unknown;
  try {
    root = JSON.parse(decoded.text);
  } catch (e) {
    const detail = e instanceof SyntaxError ? e.message.replace(/^JSON\.parse: /, '') : '';
    at('lessons/bad-json', '', `the file is not valid JSON (${printable(detail).slice(0, 120)}).`);
    return { pack: null, problems };
  }
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    at('lessons/wrong-type', '', `the file must hold one JSON object, not ${typeName(root)}.`);
    return { pack: null, problems };
  }
  const version = (root as Record<string, unknown>)['formatVersion'];
  if (version === undefined) {
    at(
      'lessons/missing-field',
      'formatVersion',
      `the field is missing; add "formatVersion": ${PACK_FORMAT_VERSION}.`,
    );
    return { pack: null, problems };
  }
  if (version !== PACK_FORMAT_VERSION) {
    at('lessons/unknown-version', 'formatVersion', versionText(version));
    return { pack: null, problems };
  }
  const parsed = PackSchema.safeParse(root);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const { code, text } = issueMessage(issue, root);
      at(code, jsonPath(issue.path), text);
    }
    return { pack: null, problems };
  }
  const pack = parsed.data;
  checkIds(pack, at);
  checkModels(pack, at);
  checkMidi(pack, files, at, readFiles);
  if (readFiles) checkKept(pack, at);
  return problems.length === 0 ? { pack, problems } : { pack: null, problems };
}

type At = (code: string, path: string, text: string, file?: string) => void;

function checkIds(pack: LessonPack, at: At): void {
  const lessonIds = new Map<string, number>();
  pack.lessons.forEach((lesson, i) => {
    const first = lessonIds.get(lesson.id);
    if (first !== undefined)
      at(
        'lessons/duplicate-id',
        `lessons[${i}].id`,
        `"${lesson.id}" is already the id of lessons[${first}]; every lesson needs its own id.`,
      );
    else lessonIds.set(lesson.id, i);
    const questionIds = new Map<string, number>();
    lesson.questions.forEach((q, j) => {
      const firstQ = questionIds.get(q.id);
      if (firstQ !== undefined)
        at(
          'lessons/duplicate-id',
          `lessons[${i}].questions[${j}].id`,
          `"${q.id}" is already the id of questions[${firstQ}] in this lesson; every question needs its own id.`,
        );
      else questionIds.set(q.id, j);
    });
  });
}

/** A lesson that writes its melody must name a model this Cantus has. */
function checkModels(pack: LessonPack, at: At): void {
  pack.lessons.forEach((lesson, i) => {
    const source = lesson.melody;
    if (source.source !== 'generate' || builtInModel(source.model)) return;
    at(
      'lessons/unknown-model',
      `lessons[${i}].melody.model`,
      `"${printable(source.model)}" is not a model Cantus has; use one of ${BUILT_IN_MODELS.map((m) => `"${m.id}"`).join(', ')}.`,
    );
  });
}

function checkMidi(pack: LessonPack, files: PackFiles, at: At, readFiles: boolean): void {
  // Reading a large file takes a while: each file is read once, each part of it extracted once.
  const parsed = new Map<string, Result<ParsedMidi>>();
  const extracted = new Map<string, ReturnType<typeof extractMelody>>();
  pack.lessons.forEach((lesson, i) => {
    const source = lesson.melody;
    if (source.source !== 'fixed' || source.midi === undefined) return;
    const path = `lessons[${i}].melody.midi`;
    const normal = normalizePackPath(source.midi);
    if (!normal.ok) {
      at('lessons/bad-path', path, `${normal.error.message}; a MIDI file must be inside the pack.`);
      return;
    }
    if (!/\.midi?$/i.test(normal.value)) {
      at('lessons/not-midi', path, `"${normal.value}" is not a MIDI file name; use a file ending in .mid.`);
      return;
    }
    const bytes = files.get(normal.value);
    if (!bytes) {
      at('lessons/missing-file', path, `the pack has no file "${normal.value}".`);
      return;
    }
    if (bytes.length > PACK_LIMITS.maxFileBytes) return; // already reported by checkPackFiles
    if (!readFiles) return;
    const read = parsed.get(normal.value) ?? readMidi(bytes);
    parsed.set(normal.value, read);
    if (!read.ok) {
      at('lessons/bad-midi', path, `"${normal.value}" cannot be read: ${read.error.message}`);
      return;
    }
    const key = `${source.part ?? ''}\u0000${normal.value}`;
    const melody = extracted.get(key) ?? extractMelody(read.value, source.part);
    extracted.set(key, melody);
    if (!melody.ok) at('lessons/bad-midi', path, `"${normal.value}": ${melody.error.message}`);
    else if (melody.value.notes.length === 0) at('lessons/bad-midi', path, `"${normal.value}" has no notes.`);
    else if (melody.value.notes.length > MAX_LESSON_NOTES)
      at(
        'lessons/too-many-notes',
        path,
        `"${normal.value}" has ${melody.value.notes.length.toLocaleString('en-US')} notes in its melody; a lesson's melody may have at most ${MAX_LESSON_NOTES.toLocaleString('en-US')}. Use a shorter passage of the tune.`,
      );
  });
}

/** A kept melody must be one the lesson could have written: its length, its conditions. */
function checkKept(pack: LessonPack, at: At): void {
  pack.lessons.forEach((lesson, i) => {
    const source = lesson.melody;
    if (source.source !== 'generate' || !source.kept) return;
    const again = 'Check the pack in Cantus to keep a new one.';
    for (const which of ['notes', 'second'] as const) {
      const melody = keptMelody(source, {}, which);
      if (!melody) continue; // the schema has already said why its notes cannot be read
      const path = `lessons[${i}].melody.kept.${which}`;
      const end = melody.notes.reduce((m, n) => Math.max(m, n.end), 0);
      if (end > source.bars * stepsPerBar(melody.meter)) {
        at(
          'lessons/kept-unfit',
          path,
          `the kept melody is longer than the lesson's ${source.bars} bars. ${again}`,
        );
        continue;
      }
      const check = meetsConstraints(melody, analyzeMelody(melody), source.constraints);
      if (!check.ok)
        at(
          'lessons/kept-unfit',
          path,
          `the kept melody does not meet ${check.failed.map((c) => `"${CONSTRAINT_WORDS[c]}"`).join(', ')}. ${again}`,
        );
    }
  });
}

/** One line per problem, for a terminal or a dialog. */
export function formatProblems(problems: readonly PackProblem[]): string {
  return problems.map((p) => p.message).join('\n');
}
