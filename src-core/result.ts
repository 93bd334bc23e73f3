/**
 * Expected failures (bad files, bad packs, missing devices) are values, not exceptions:
 * a result carries either the value or a problem a person can act on.
 */

export interface Problem {
  /** Stable machine-readable code, e.g. "midi/truncated". */
  readonly code: string;
  /** One or two plain sentences: what happened and what to do. */
  readonly message: string;
  /** Where the problem is (a file, a JSON path), when that helps. */
  readonly path?: string;
}

export type Result<T> =
  | { readonly ok: true; readonly value: T; readonly warnings?: readonly string[] }
  | { readonly ok: false; readonly error: Problem };

export function ok<T>(value: T, warnings?: readonly string[]): Result<T> {
  return warnings && warnings.length > 0 ? { ok: true, value, warnings } : { ok: true, value };
}

export function fail<T = never>(code: string, message: string, path?: string): Result<T> {
  return { ok: false, error: path === undefined ? { code, message } : { code, message, path } };
}
