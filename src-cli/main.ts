/**
 * The `cantus` command line: finds the subcommand and runs it. Subcommands live in
 * commands/ and are listed in commands/index.ts.
 */
import { readFileSync } from 'node:fs';
import { EXIT, UsageError, type CliOutput } from './command.ts';
import { COMMANDS } from './commands/index.ts';

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `cantus: a melody lab for the music classroom

Usage: cantus <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  -h, --help     show this help; "cantus <command> --help" shows a command's help
  -v, --version  show the version

Exit codes: 0 done, 1 the input could not be used, 2 the command line was wrong.
`;
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Keeps a message on one line, so every failure is exactly one line of output. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Node's parseArgs throws TypeErrors with these codes for unknown or malformed options. */
function isArgumentError(error: unknown): error is Error {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('ERR_PARSE_ARGS_')
  );
}

/** A short description of a command-line mistake (Node's own texts are long). */
function argumentProblem(error: Error): string {
  const code = 'code' in error ? error.code : undefined;
  const quoted = /'([^']+)'/.exec(error.message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) return `unknown option "${quoted}"`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && quoted) return `unexpected argument "${quoted}"`;
  return oneLine(error.message);
}

/** Runs the command line `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: readonly string[], out: CliOutput): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    out.stderr(mainHelp());
    return EXIT.usage;
  }
  if (first === '-h' || first === '--help' || first === 'help') {
    const topic = COMMANDS.find((c) => c.name === rest[0]);
    out.stdout(topic ? topic.help : mainHelp());
    return EXIT.ok;
  }
  if (first === '-v' || first === '--version') {
    out.stdout(`cantus ${version()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) {
    const what = first.startsWith('-') ? `unknown option "${first}"` : `unknown command "${first}"`;
    out.stderr(`cantus: ${what}; run "cantus --help" to see the commands.\n`);
    return EXIT.usage;
  }
  // "cantus <command> --help" shows the command's help, whatever else is on the line.
  if (rest.includes('--help') || rest.includes('-h')) {
    out.stdout(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, out);
  } catch (error) {
    if (error instanceof UsageError || isArgumentError(error)) {
      out.stderr(
        `cantus ${command.name}: ${argumentProblem(error)}; run "cantus ${command.name} --help" for usage.\n`,
      );
      return EXIT.usage;
    }
    // A bug, not bad input: still one line, with the details only when asked for.
    const detail = error instanceof Error ? error.message : String(error);
    out.stderr(
      `cantus: ${command.name} failed unexpectedly (${oneLine(detail)}). Set CANTUS_DEBUG=1 to see details.\n`,
    );
    if (process.env.CANTUS_DEBUG && error instanceof Error && error.stack) out.stderr(`${error.stack}\n`);
    return EXIT.failed;
  }
}

/** Entry point for bin/cantus.mjs: real streams, real exit code. */
export async function runFromProcess(): Promise<void> {
  // `cantus info x.mid | head -1` closes the pipe early; that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  process.exitCode = await main(process.argv.slice(2), {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
  });
}
