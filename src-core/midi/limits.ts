/**
 * Limits Cantus puts on MIDI files it opens. A classroom melody file is a few kilobytes;
 * these bounds are far above any real song, and exist so a damaged or hostile file fails
 * quickly with a clear message instead of exhausting memory.
 */
export const MIDI_LIMITS = {
  /** Largest file accepted, in bytes (16 MiB). */
  maxFileBytes: 16 * 1024 * 1024,
  /** Most track chunks in one file. */
  maxTracks: 256,
  /** Most notes (note-on events) in one file. */
  maxNotes: 500_000,
  /** Most events of any kind in one file. */
  maxEvents: 2_000_000,
  /** Longest song, in quarter notes (about 14 hours at 120 BPM). */
  maxQuarters: 100_000,
} as const;

/** Steps per quarter and ticks per quarter Cantus writes (so one step is 120 ticks). */
export const WRITE_TICKS_PER_QUARTER = 480;

/** "16 MB", "2.5 MB", "900 KB": a size a person reads at a glance. */
export function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (mib >= 1) return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
