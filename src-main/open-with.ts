/** Finds a MIDI file named on the command line ("open with" on Windows and Linux). */
export function findMidiArgument(argv: readonly string[]): string | null {
  // argv[0] is the executable; in development argv[1] is the app folder. Take the last .mid/.midi.
  for (let i = argv.length - 1; i >= 1; i--) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') && /\.midi?$/i.test(arg)) return arg;
  }
  return null;
}
