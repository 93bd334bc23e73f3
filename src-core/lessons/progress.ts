/**
 * Student progress as plain data: profiles (a name on a shared classroom computer, no
 * account), attempts at lesson questions, per-lesson summaries with mastery, and the CSV a
 * teacher exports from each computer and imports again into a class summary.
 *
 * Pure: the main process keeps the attempts on disk (src-main/services/progress-store.ts).
 * Attempt fields and the CSV header end up in saved files and teachers' spreadsheets: once
 * released they never change; columns may only be added at the end.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../result.ts';
import { ID_PATTERN } from './schema.ts';

/** A score from 0 (all wrong) to 1 (all right). */
export type Score = number;

/** Longest profile name, in characters. */
export const PROFILE_NAME_MAX = 60;
/** Mastery looks at this many of the latest attempts at a lesson... */
export const MASTERY_WINDOW = 3;
/** ...and asks for at least this mean score over them. */
export const MASTERY_THRESHOLD = 0.8;
/** In a class summary, a lesson's mean score below this means the student struggled. */
export const STRUGGLE_THRESHOLD = 0.6;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A profile name: trimmed, 1-60 characters, no control characters. */
export const profileNameSchema = z
  .string()
  .trim()
  .min(1, 'Type a name for the student.')
  .refine((s) => [...s].length <= PROFILE_NAME_MAX, {
    message: `A name may have at most ${PROFILE_NAME_MAX} characters.`,
  })
  .refine((s) => !CONTROL.test(s), {
    message: 'A name may not contain line breaks, tabs or other control characters.',
  });

const stableId = z.string().regex(ID_PATTERN, 'Use lower-case letters, digits and dashes.');

export const profileSchema = z.object({
  id: z.string().min(1).max(100),
  name: profileNameSchema,
});
export type Profile = z.infer<typeof profileSchema>;

export const attemptSchema = z.object({
  id: z.string().min(1).max(100),
  profileId: z.string().min(1).max(100),
  packId: stableId,
  lessonId: stableId,
  /** Kept as a string, not the list of known kinds, so newer kinds still read. */
  questionKind: stableId,
  score: z.number().min(0).max(1),
  correct: z.boolean(),
  at: z.iso.datetime({ offset: true }),
  /** The model that wrote the lesson's melody (a built-in model's id, or a folder's name); absent for a melody the pack gives. */
  model: z.string().min(1).max(200).optional(),
  /**
   * The run of the lesson the answer belongs to (one start of the lesson, all its questions).
   * Absent in progress saved before runs were recorded: each such answer counts as a run.
   */
  runId: z.string().min(1).max(100).optional(),
});
export type Attempt = z.infer<typeof attemptSchema>;

/** Checks a name typed for a new profile; the value is the trimmed name. */
export function checkProfileName(name: string): Result<string> {
  const parsed = profileNameSchema.safeParse(name);
  if (parsed.success) return ok(parsed.data);
  return fail('progress/bad-name', parsed.error.issues[0]?.message ?? 'That name cannot be used.');
}

/** One student's record on one lesson. */
export interface LessonSummary {
  readonly profileId: string;
  readonly packId: string;
  readonly lessonId: string;
  readonly attempts: number;
  readonly correct: number;
  readonly best: Score;
  readonly last: Score;
  readonly lastAt: string;
  readonly mastered: boolean;
  /** Runs of the lesson (starts), and the score of the last and of the best whole run. */
  readonly runs: number;
  readonly lastRun: Score;
  readonly bestRun: Score;
}

/**
 * The score of each run of a lesson, in time order: the mean of the run's (first) answers.
 * Answers without a run id count as a run each. `attempts` are one lesson's, sorted by time.
 */
export function runScores(attempts: readonly Attempt[]): Score[] {
  const runs = new Map<string, Score[]>();
  attempts.forEach((a, i) => {
    const key = a.runId === undefined ? `#${i}` : `run:${a.runId}`;
    const scores = runs.get(key);
    if (scores) scores.push(a.score);
    else runs.set(key, [a.score]);
  });
  return [...runs.values()].map(mean);
}

/**
 * Mastery: at least `MASTERY_WINDOW` attempts, and the mean of the latest that many is at
 * least `MASTERY_THRESHOLD`. `scores` are in the order the attempts were made.
 * @example isMastered([0.2, 0.9, 0.8, 1]) // => true
 */
export function isMastered(scores: readonly Score[]): boolean {
  if (scores.length < MASTERY_WINDOW) return false;
  const latest = scores.slice(-MASTERY_WINDOW);
  return mean(latest) >= MASTERY_THRESHOLD - 1e-9;
}

/** Per-lesson summaries, one per profile and lesson, in order of first attempt. */
export function summarizeAttempts(attempts: readonly Attempt[]): LessonSummary[] {
  const groups = new Map<string, Attempt[]>();
  for (const a of sortByTime(attempts)) {
    const key = JSON.stringify([a.profileId, a.packId, a.lessonId]);
    const group = groups.get(key);
    if (group) group.push(a);
    else groups.set(key, [a]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const latest = group[group.length - 1]!;
    const scores = group.map((a) => a.score);
    const runs = runScores(group);
    return {
      profileId: first.profileId,
      packId: first.packId,
      lessonId: first.lessonId,
      attempts: group.length,
      correct: group.filter((a) => a.correct).length,
      // A loop, not Math.max(...scores): a spread of a few hundred thousand scores overflows the stack.
      best: scores.reduce((m, x) => Math.max(m, x), 0),
      last: latest.score,
      lastAt: latest.at,
      mastered: isMastered(scores),
      runs: runs.length,
      lastRun: runs[runs.length - 1]!,
      bestRun: runs.reduce((m, x) => Math.max(m, x), 0),
    };
  });
}

// ---------------------------------------------------------------------------------------
// CSV export

/** The export's columns, in order. Never rename or reorder; add new ones at the end. */
export const CSV_COLUMNS = [
  'student',
  'profile_id',
  'pack',
  'lesson',
  'question_kind',
  'score',
  'correct',
  'at',
  'attempt_id',
  'run_id',
] as const;

/** Columns an export must have; later ones (run_id) are absent from older exports. */
const REQUIRED_COLUMNS = 9;

/** Characters that make a spreadsheet treat a cell as a formula (and the escape itself). */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', "'"]);

/** Prefixes a quote to a cell a spreadsheet would run as a formula: `=cmd` -> `'=cmd`. */
export function escapeFormula(cell: string): string {
  return cell.length > 0 && FORMULA_START.has(cell[0]!) ? `'${cell}` : cell;
}

/** Undoes `escapeFormula`; a quote before any other character is left alone. */
export function unescapeFormula(cell: string): string {
  return cell.length > 1 && cell[0] === "'" && FORMULA_START.has(cell[1]!) ? cell.slice(1) : cell;
}

/** Quotes a field when RFC 4180 needs it (comma, quote, line break), doubling quotes. */
function quoteField(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * Progress as CSV: a header row, then one row per attempt in time order, lines ending in
 * CRLF. Attempts by profiles not in `profiles` are left out.
 */
export function exportProgressCsv(profiles: readonly Profile[], attempts: readonly Attempt[]): string {
  const names = new Map(profiles.map((p) => [p.id, p.name]));
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const a of sortByTime(attempts)) {
    const name = names.get(a.profileId);
    if (name === undefined) continue;
    rows.push([
      name,
      a.profileId,
      a.packId,
      a.lessonId,
      a.questionKind,
      String(a.score),
      a.correct ? 'true' : 'false',
      a.at,
      a.id,
      a.runId ?? '',
    ]);
  }
  return rows.map((row) => row.map((c) => quoteField(escapeFormula(c))).join(',') + '\r\n').join('');
}

// ---------------------------------------------------------------------------------------
// CSV import

/** One attempt read back from an export, with the student's name. */
export interface ExportedAttempt extends Attempt {
  readonly student: string;
}

interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/** Splits RFC 4180 text into records, each with the line it starts on (1-based). */
function splitCsv(text: string, source: string): Result<CsvRecord[]> {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quotedAt = 0;
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  let inQuotes = false;
  let afterQuote = false;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
          afterQuote = true;
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      afterQuote = false;
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      afterQuote = false;
      line++;
      recordLine = line;
    } else if (afterQuote) {
      return fail(
        'progress-csv/bad-quote',
        `Line ${line} of ${source} has text after a closing quote. Export the file from Cantus again.`,
        source,
      );
    } else if (c === '"') {
      if (field !== '')
        return fail(
          'progress-csv/bad-quote',
          `Line ${line} of ${source} has a quote in the middle of a field. Export the file from Cantus again.`,
          source,
        );
      inQuotes = true;
      quotedAt = line;
    } else {
      field += c;
    }
  }
  if (inQuotes)
    return fail(
      'progress-csv/unclosed-quote',
      `Line ${quotedAt} of ${source} opens a quote that is never closed; the file may be cut short. Export it from Cantus again.`,
      source,
    );
  if (field !== '' || fields.length > 0 || afterQuote) endRecord();
  return ok(records);
}

/** Reads one Cantus progress export back into attempts. */
export function parseProgressCsv(text: string, source = 'the file'): Result<ExportedAttempt[]> {
  const split = splitCsv(text, source);
  if (!split.ok) return split;
  const [header, ...rows] = split.value;
  const expected = CSV_COLUMNS.join(',');
  if (header === undefined)
    return fail('progress-csv/empty', `${source} is empty. Export progress from Cantus again.`, source);
  const columns = header.fields.length >= CSV_COLUMNS.length ? CSV_COLUMNS.length : REQUIRED_COLUMNS;
  if (header.fields.slice(0, columns).join(',') !== CSV_COLUMNS.slice(0, columns).join(','))
    return fail(
      'progress-csv/bad-header',
      `Line ${header.line} of ${source} should be the header "${expected}". Is this a Cantus progress export?`,
      source,
    );
  const out: ExportedAttempt[] = [];
  for (const { line, fields } of rows) {
    // run_id may be missing (older exports, or a spreadsheet that dropped an empty last field).
    if (fields.length < REQUIRED_COLUMNS)
      return fail(
        'progress-csv/missing-fields',
        `Line ${line} of ${source} has ${fields.length} fields, not ${columns}. The file may have been edited or cut short.`,
        source,
      );
    const cell = (i: number) => unescapeFormula(fields[i] ?? '');
    const correct = cell(6);
    const score = cell(5).trim() === '' ? NaN : Number(cell(5));
    const parsed = attemptSchema.safeParse({
      profileId: cell(1),
      packId: cell(2),
      lessonId: cell(3),
      questionKind: cell(4),
      score,
      correct: correct === 'true' ? true : correct === 'false' ? false : correct,
      at: cell(7),
      id: cell(8),
      ...(cell(9) !== '' ? { runId: cell(9) } : {}),
    });
    const student = profileNameSchema.safeParse(cell(0));
    if (!parsed.success || !student.success) {
      const issue = parsed.success ? student.error?.issues[0] : parsed.error.issues[0];
      const column = parsed.success ? 'student' : columnOf(issue?.path[0]);
      return fail(
        'progress-csv/bad-value',
        `Line ${line} of ${source}: the ${column} value is not valid (${issue?.message ?? 'unreadable'}).`,
        source,
      );
    }
    out.push({ ...parsed.data, student: student.data });
  }
  return ok(out);
}

function columnOf(key: PropertyKey | undefined): string {
  const names: Record<string, string> = {
    id: 'attempt_id',
    profileId: 'profile_id',
    packId: 'pack',
    lessonId: 'lesson',
    questionKind: 'question_kind',
    runId: 'run_id',
  };
  return typeof key === 'string' ? (names[key] ?? key) : 'row';
}

/** One student's record on one lesson, across all imported exports. */
export interface StudentLessonRow {
  readonly student: string;
  readonly packId: string;
  readonly lessonId: string;
  readonly attempts: number;
  readonly meanScore: Score;
  readonly mastered: boolean;
  /** As in LessonSummary: runs, and the last and best whole run's score. */
  readonly runs: number;
  readonly lastRun: Score;
  readonly bestRun: Score;
}

/**
 * One lesson across the class: the mean of each student's last run, and who struggled with it
 * (last run below 0.6): the figure each student's lesson list shows.
 */
export interface LessonRow {
  readonly packId: string;
  readonly lessonId: string;
  readonly students: number;
  readonly meanScore: Score;
  readonly meanLastRun: Score;
  readonly struggled: readonly string[];
}

export interface ClassSummary {
  readonly students: readonly StudentLessonRow[];
  readonly lessons: readonly LessonRow[];
}

/**
 * Imports several exports (one per computer, or per student) into a class summary.
 * Students are matched by name; an attempt in two exports (same attempt id) counts once.
 */
export function importClassSummary(
  files: readonly { readonly name: string; readonly text: string }[],
): Result<ClassSummary> {
  const seen = new Set<string>();
  const all: ExportedAttempt[] = [];
  for (const file of files) {
    const parsed = parseProgressCsv(file.text, file.name);
    if (!parsed.ok) return parsed;
    for (const a of parsed.value) {
      if (seen.has(a.id)) continue;
      seen.add(a.id);
      all.push(a);
    }
  }
  const groups = new Map<string, ExportedAttempt[]>();
  for (const a of sortByTime(all)) {
    const key = JSON.stringify([a.student, a.packId, a.lessonId]);
    const group = groups.get(key);
    if (group) group.push(a);
    else groups.set(key, [a]);
  }
  const students: StudentLessonRow[] = [...groups.values()].map((group) => {
    const scores = group.map((a) => a.score);
    const first = group[0]!;
    const runs = runScores(group);
    return {
      student: first.student,
      packId: first.packId,
      lessonId: first.lessonId,
      attempts: group.length,
      meanScore: mean(scores),
      mastered: isMastered(scores),
      runs: runs.length,
      lastRun: runs[runs.length - 1]!,
      bestRun: runs.reduce((m, x) => Math.max(m, x), 0),
    };
  });
  students.sort(
    (a, b) => compare(a.student, b.student) || compare(a.packId, b.packId) || compare(a.lessonId, b.lessonId),
  );
  const byLesson = new Map<string, StudentLessonRow[]>();
  for (const row of students) {
    const key = JSON.stringify([row.packId, row.lessonId]);
    const rows = byLesson.get(key);
    if (rows) rows.push(row);
    else byLesson.set(key, [row]);
  }
  const lessons: LessonRow[] = [...byLesson.values()].map((rows) => ({
    packId: rows[0]!.packId,
    lessonId: rows[0]!.lessonId,
    students: rows.length,
    meanScore: mean(rows.map((r) => r.meanScore)),
    meanLastRun: mean(rows.map((r) => r.lastRun)),
    struggled: rows.filter((r) => r.lastRun < STRUGGLE_THRESHOLD).map((r) => r.student),
  }));
  lessons.sort((a, b) => compare(a.packId, b.packId) || compare(a.lessonId, b.lessonId));
  return ok({ students, lessons });
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Stable sort by time; ISO strings with offsets are compared as instants. */
function sortByTime<T extends Attempt>(attempts: readonly T[]): T[] {
  return attempts
    .map((a, i) => ({ a, i, t: Date.parse(a.at) }))
    .sort((x, y) => x.t - y.t || x.i - y.i)
    .map((x) => x.a);
}
