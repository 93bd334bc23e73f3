/**
 * Student progress on disk: an append-only log, `progress.log` in the user-data folder, one
 * JSON record per line. A record is appended and flushed to the disk (fdatasync) before the
 * promise resolves; that resolution is the acknowledgement. A crash or power cut can only
 * leave a torn last line, which reading ignores and opening truncates away, so later
 * appends start on a clean line. Earlier records are never rewritten.
 *
 * One process writes the log at a time (the Electron main process holds the single-instance
 * lock). When the data folder cannot be written (a read-only disk, a school's locked-down
 * profile), the log is opened for reading only: progress so far can be viewed, and each save
 * says plainly why it cannot be made.
 */
import { randomUUID } from 'node:crypto';
import { open as openFile, mkdir, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  attemptSchema,
  checkProfileName,
  exportProgressCsv,
  profileSchema,
  summarizeAttempts,
  type Attempt,
  type LessonSummary,
  type Profile,
} from '../../src-core/lessons/progress.ts';
import { fail, ok, type Result } from '../../src-core/result.ts';

export const PROGRESS_LOG = 'progress.log';

const recordSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('profile'), profile: profileSchema }),
  z.object({ type: z.literal('attempt'), attempt: attemptSchema }),
]);
type LogRecord = z.infer<typeof recordSchema>;

/** An attempt to record; the store fills in `id` and `at` when they are missing. */
export type AttemptInput = Omit<Attempt, 'id' | 'at'> & { id?: string; at?: string };

export interface AttemptFilter {
  readonly profileId?: string;
  readonly packId?: string;
  readonly lessonId?: string;
}

export interface ProgressStoreOptions {
  readonly now?: () => Date;
  readonly newId?: () => string;
}

/** What opening found: complete lines it could not read, and whether a torn tail was cut. */
export interface OpenReport {
  readonly skippedLines: number;
  readonly tornTailBytes: number;
}

/** Errors that mean "this folder or file may not be written", as opposed to a full disk. */
const READ_ONLY_CODES: ReadonlySet<unknown> = new Set(['EROFS', 'EACCES', 'EPERM']);
const codeOf = (err: unknown): unknown => (err as { code?: unknown } | null)?.code;

export class ProgressStore {
  /** Null when the log could only be read (see `readOnly`). */
  readonly #handle: FileHandle | null;
  /** Why the log is read-only (the folder), or null when it can be written. */
  readonly readOnly: string | null;
  readonly #now: () => Date;
  readonly #newId: () => string;
  readonly #profiles = new Map<string, Profile>();
  readonly #attempts: Attempt[] = [];
  readonly #attemptIds = new Set<string>();
  /** Bytes of the log known to end on a complete, flushed line. */
  #size: number;
  /** Set when a write failed part-way: the tail past `#size` is cut before the next one. */
  #dirty = false;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #pendingNames = new Set<string>();
  #closed = false;
  readonly report: OpenReport;

  private constructor(
    handle: FileHandle | null,
    size: number,
    records: LogRecord[],
    report: OpenReport,
    options: ProgressStoreOptions & { readOnly?: string },
  ) {
    this.#handle = handle;
    this.readOnly = options.readOnly ?? null;
    this.#size = size;
    this.report = report;
    this.#now = options.now ?? (() => new Date());
    this.#newId = options.newId ?? randomUUID;
    for (const r of records) this.#apply(r);
  }

  /**
   * Opens (or creates) the log in `dir`, cutting away a torn last line left by a crash. A folder
   * that may not be written gives a read-only store holding what the log already says.
   */
  static async open(dir: string, options: ProgressStoreOptions = {}): Promise<ProgressStore> {
    const file = join(dir, PROGRESS_LOG);
    const readOnly = (records: LogRecord[], skippedLines: number) =>
      new ProgressStore(null, 0, records, { skippedLines, tornTailBytes: 0 }, { ...options, readOnly: dir });
    // On a read-only disk making the folder fails (as EROFS, or ENOENT for a missing parent);
    // opening the log below then tells whether it can be written.
    let cannotMake = false;
    try {
      await mkdir(dir, { recursive: true });
    } catch {
      cannotMake = true;
    }
    let bytes: Buffer;
    let created = false;
    try {
      bytes = await readFile(file);
    } catch (err) {
      if (codeOf(err) !== 'ENOENT') throw err;
      bytes = Buffer.alloc(0);
      created = true;
    }
    const { records, size, skippedLines } = parseLog(bytes);
    let handle: FileHandle;
    try {
      handle = await openFile(file, 'a+');
    } catch (err) {
      if (READ_ONLY_CODES.has(codeOf(err)) || cannotMake) return readOnly(records, skippedLines);
      throw err;
    }
    try {
      if (size < bytes.length) {
        await handle.truncate(size);
        await handle.datasync();
      }
      if (created) await syncDir(dir);
    } catch (err) {
      await handle.close();
      throw err;
    }
    return new ProgressStore(
      handle,
      size,
      records,
      { skippedLines, tornTailBytes: bytes.length - size },
      options,
    );
  }

  /** Adds a student profile; names are 1-60 characters and unique on this computer. */
  async addProfile(name: string): Promise<Result<Profile>> {
    const checked = checkProfileName(name);
    if (!checked.ok) return checked;
    // Names being added (not yet on disk) count too, so two quick adds cannot both win.
    const lower = checked.value.toLocaleLowerCase();
    const taken =
      this.#pendingNames.has(lower) ||
      [...this.#profiles.values()].some((p) => p.name.toLocaleLowerCase() === lower);
    if (taken)
      return fail(
        'progress/name-taken',
        `There is already a student called "${checked.value}" on this computer. Add an initial or a number to tell them apart.`,
      );
    const profile: Profile = { id: this.#newId(), name: checked.value };
    this.#pendingNames.add(lower);
    try {
      return await this.#append({ type: 'profile', profile }, profile);
    } finally {
      this.#pendingNames.delete(lower);
    }
  }

  profiles(): Profile[] {
    return [...this.#profiles.values()];
  }

  /**
   * Records one finished attempt. When the promise resolves with ok, the attempt is on the
   * disk. Recording an attempt id that is already stored returns the stored attempt.
   */
  async recordAttempt(input: AttemptInput): Promise<Result<Attempt>> {
    const parsed = attemptSchema.safeParse({
      ...input,
      id: input.id ?? this.#newId(),
      at: input.at ?? this.#now().toISOString(),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(
        'progress/bad-attempt',
        `The attempt could not be saved: ${issue?.path.join('.') || 'value'} is not valid (${issue?.message ?? 'unreadable'}).`,
      );
    }
    const attempt = parsed.data;
    if (!this.#profiles.has(attempt.profileId))
      return fail('progress/unknown-profile', 'That student profile is not on this computer.');
    if (this.#attemptIds.has(attempt.id)) {
      const stored = this.#attempts.find((a) => a.id === attempt.id);
      if (stored) return ok(stored);
    }
    return this.#append({ type: 'attempt', attempt }, attempt);
  }

  attempts(filter: AttemptFilter = {}): Attempt[] {
    return this.#attempts.filter(
      (a) =>
        (filter.profileId === undefined || a.profileId === filter.profileId) &&
        (filter.packId === undefined || a.packId === filter.packId) &&
        (filter.lessonId === undefined || a.lessonId === filter.lessonId),
    );
  }

  summary(profileId: string): LessonSummary[] {
    return summarizeAttempts(this.attempts({ profileId }));
  }

  /** One student's progress as CSV, or the whole computer's when `profileId` is left out. */
  exportCsv(profileId?: string): string {
    const profiles = this.profiles().filter((p) => profileId === undefined || p.id === profileId);
    return exportProgressCsv(profiles, this.attempts(profileId === undefined ? {} : { profileId }));
  }

  /** Waits for pending writes, then closes the log. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.catch(() => undefined);
    await this.#handle?.close();
  }

  /** Appends one record and flushes it; writes run one at a time, in call order. */
  #append<T>(record: LogRecord, value: T): Promise<Result<T>> {
    if (this.#closed) return Promise.resolve(fail('progress/closed', 'The progress store is closed.'));
    const handle = this.#handle;
    if (!handle)
      return Promise.resolve(
        fail(
          'progress/read-only',
          `Cantus cannot save progress: its data folder (${this.readOnly}) is read-only here. Progress saved before can still be viewed; ask whoever looks after this computer to let Cantus write to that folder.`,
        ),
      );
    const line = Buffer.from(JSON.stringify(record) + '\n', 'utf8');
    const run = async (): Promise<Result<T>> => {
      try {
        if (this.#dirty) {
          await handle.truncate(this.#size);
          this.#dirty = false;
        }
        this.#dirty = true;
        await handle.appendFile(line);
        await handle.datasync();
        this.#dirty = false;
        this.#size += line.length;
        this.#apply(record);
        return ok(value);
      } catch (err) {
        return fail('progress/write-failed', writeFailure(err));
      }
    };
    const result = this.#queue.then(run, run);
    this.#queue = result;
    return result;
  }

  #apply(record: LogRecord): void {
    if (record.type === 'profile') {
      this.#profiles.set(record.profile.id, record.profile);
    } else if (!this.#attemptIds.has(record.attempt.id)) {
      this.#attemptIds.add(record.attempt.id);
      this.#attempts.push(record.attempt);
    }
  }
}

/**
 * Reads the log's complete lines. `size` is the byte length up to and including the last
 * newline; anything after it is a torn line from an interrupted write.
 */
export function parseLog(bytes: Uint8Array): {
  records: LogRecord[];
  size: number;
  skippedLines: number;
} {
  const size = bytes.lastIndexOf(0x0a) + 1;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, size).toString('utf8');
  const records: LogRecord[] = [];
  let skippedLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: ReturnType<typeof recordSchema.safeParse>;
    try {
      parsed = recordSchema.safeParse(JSON.parse(line));
    } catch {
      skippedLines++;
      continue;
    }
    if (parsed.success) records.push(parsed.data);
    else skippedLines++;
  }
  return { records, size, skippedLines };
}

/** Flushes a folder's entry list so a newly created file survives a power cut (POSIX only). */
async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await openFile(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open a folder for flushing; NTFS journals the entry itself.
  } finally {
    await handle?.close();
  }
}

/** Why a save failed, in words that say what to do: a full disk and a read-only one differ. */
export function writeFailure(err: unknown): string {
  const code = codeOf(err);
  if (code === 'ENOSPC')
    return 'Cantus could not save progress: the disk is full. Free some space, then try again.';
  if (READ_ONLY_CODES.has(code))
    return 'Cantus could not save progress: its data folder is read-only or Cantus may not write there. Ask whoever looks after this computer to let Cantus write to it.';
  return `Cantus could not save progress (${typeof code === 'string' ? code : 'unknown error'}). Try again; if it keeps failing, restart Cantus.`;
}
