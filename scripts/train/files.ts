/**
 * Crash-safe files for the training run: a checkpoint is a folder (state.json + tensors.bin)
 * written under a temporary name, flushed to disk, then renamed into place; small JSON
 * files are replaced the same way; the log is appended line by line.
 */
import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  trainingStateSchema,
  type LogEntry,
  type TrainingState,
} from '../../src-core/model/checkpoint-format.ts';

/** A named float32 tensor in plain memory. */
export interface HostTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

function writeFileSynced(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces a file atomically: temporary file in the same folder, fsync, rename, fsync the folder. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSynced(temp, data);
  renameSync(temp, path);
  fsyncDir(dirname(path));
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** Appends one JSON line and flushes it. */
export function appendLog(path: string, entry: LogEntry): void {
  appendFileSync(path, `${JSON.stringify(entry)}\n`, { flush: true });
}

/** Reads log.jsonl; a torn last line (a crash mid-write) is skipped. */
export function readLog(path: string): LogEntry[] {
  if (!existsSync(path)) return [];
  const out: LogEntry[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as LogEntry);
    } catch {
      // an unfinished line from an interrupted write
    }
  }
  return out;
}

/** Concatenates tensors into one little-endian float32 buffer, recording each one's offset. */
function packTensors(tensors: readonly HostTensor[]): {
  bytes: Uint8Array;
  entries: TrainingState['tensors'];
} {
  const total = tensors.reduce((s, t) => s + t.data.length, 0);
  const all = new Float32Array(total);
  const entries: { name: string; shape: number[]; offset: number }[] = [];
  let at = 0;
  for (const t of tensors) {
    all.set(t.data, at);
    entries.push({ name: t.name, shape: [...t.shape], offset: at });
    at += t.data.length;
  }
  return { bytes: new Uint8Array(all.buffer), entries };
}

/**
 * Writes a checkpoint folder `dir` atomically: everything goes into `dir.tmp-<pid>` first,
 * each file flushed, then one rename. An existing folder of that name is replaced.
 */
export function writeCheckpoint(
  dir: string,
  state: Omit<TrainingState, 'tensors'>,
  tensors: readonly HostTensor[],
): void {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const temp = `${dir}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp);
  const { bytes, entries } = packTensors(tensors);
  writeFileSynced(join(temp, 'tensors.bin'), bytes);
  writeFileSynced(join(temp, 'state.json'), `${JSON.stringify({ ...state, tensors: entries }, null, 2)}\n`);
  fsyncDir(temp);
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  renameSync(temp, dir);
  fsyncDir(parent);
}

export interface LoadedCheckpoint {
  readonly state: TrainingState;
  readonly tensors: ReadonlyMap<string, HostTensor>;
}

/** Reads a checkpoint folder, checking its state file and that every tensor lies inside tensors.bin. */
export function readCheckpoint(dir: string): LoadedCheckpoint {
  const state = trainingStateSchema.parse(readJson(join(dir, 'state.json')));
  const raw = readFileSync(join(dir, 'tensors.bin'));
  const floats = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const tensors = new Map<string, HostTensor>();
  for (const entry of state.tensors) {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    if (entry.offset + size > floats.length)
      throw new Error(`${dir}: tensor ${entry.name} runs past tensors.bin`);
    tensors.set(entry.name, {
      name: entry.name,
      shape: entry.shape,
      data: floats.slice(entry.offset, entry.offset + size),
    });
  }
  return { state, tensors };
}

/** The checkpoint folder a pointer file (latest.json, best.json) names, or null. */
export function readPointer(runDir: string, pointer: 'latest' | 'best'): string | null {
  const path = join(runDir, `${pointer}.json`);
  if (!existsSync(path)) return null;
  const value = readJson(path) as { checkpoint?: unknown };
  return typeof value.checkpoint === 'string' ? join(runDir, value.checkpoint) : null;
}

export function writePointer(
  runDir: string,
  pointer: 'latest' | 'best',
  checkpointDir: string,
  step: number,
): void {
  writeJsonAtomic(join(runDir, `${pointer}.json`), {
    checkpoint: checkpointDir.slice(runDir.length + 1),
    step,
  });
}
