/** The shape every `cantus` subcommand has; main.ts dispatches to these. */

/** Where a command writes. Tests pass a recorder; the real CLI passes process streams. */
export interface CliOutput {
  /** Writes text (a newline is not added). */
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export interface Command {
  /** The word typed after `cantus`. */
  readonly name: string;
  /** One line for `cantus --help`. */
  readonly summary: string;
  /** Full help for `cantus NAME --help`, starting with a usage line. */
  readonly help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  readonly run: (args: readonly string[], out: CliOutput) => Promise<number>;
}

/** Exit codes: 0 done, 1 the input could not be used (bad file), 2 the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Prints `message` as the command's one line of failure and gives the exit code for it. */
export function failed(out: Pick<CliOutput, 'stderr'>, message: string): number {
  out.stderr(`cantus: ${message}\n`);
  return EXIT.failed;
}

/** Thrown by commands for a wrong command line; main prints it as one line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
