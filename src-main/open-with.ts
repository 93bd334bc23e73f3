/** Finds a MIDI file named on the command line ("open with" on Windows and Linux). */
import { resolve } from 'node:path';

/**
 * The last .mid or .midi argument, as an absolute path: a relative one is taken from `cwd`, the
 * folder the command was started in (for a second Cantus, the one it reports to the first).
 */
export function findMidiArgument(argv: readonly string[], cwd: string): string | null {
  // argv[0] is the executable; in development argv[1] is the app folder.
  for (let i = argv.length - 1; i >= 1; i--) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') && /\.midi?$/i.test(arg)) return resolve(cwd, arg);
  }
  return null;
}
