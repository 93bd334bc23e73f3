/**
 * `npm run bench:cli`: how long `cantus` takes from start to exit, run as a user runs it (a new
 * node process on bin/cantus.mjs): `cantus --help`, `cantus info` and `cantus analyze` on a
 * fixture, from the build in out/cli and from the TypeScript sources through tsx
 * (CANTUS_CLI=sources), side by side with the ratio. Prints the median, fastest and slowest of
 * RUNS runs after a warm-up run; the two ways take turns, run after run, so a machine busy
 * with other work slows them alike. Also prints a bare `node -e 0`, the floor no command can
 * go below. Target: info and analyze under 0.3 s from the build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.RUNS ?? 7);
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/cantus.mjs', import.meta.url));
const FIXTURE = 'test/fixtures/midi/folk-d-major.mid';

const COMMANDS: readonly (readonly string[])[] = [['--help'], ['info', FIXTURE], ['analyze', FIXTURE]];
const NAME = 28;
const COLUMN = 26;

type Seconds = number;

/** Wall time of one run of `node ...args`; throws if the command fails. */
function timeRun(args: readonly string[], env: NodeJS.ProcessEnv): Seconds {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8' });
  const took = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr.trim()}`);
  return took;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const ms = (s: Seconds): string => `${Math.round(s * 1000)} ms`.padStart(8);
const summary = (xs: readonly number[]): string =>
  `${ms(median(xs))} (${ms(Math.min(...xs)).trim()}-${ms(Math.max(...xs)).trim()})`;

function main(): void {
  if (!existsSync(new URL('../../out/cli/cantus.mjs', import.meta.url))) {
    process.stderr.write('bench:cli: no build in out/cli; run "npm run build:cli" first.\n');
    process.exitCode = 1;
    return;
  }
  // CANTUS_CLI=build makes bin/cantus.mjs fail rather than fall back to the sources when the
  // build is older than them, so the build column never times tsx.
  const built = { ...process.env, CANTUS_CLI: 'build' };
  const sources = { ...process.env, CANTUS_CLI: 'sources' };
  const floor: Seconds[] = [];
  for (let i = 0; i < RUNS; i++) floor.push(timeRun(['-e', '0'], process.env));
  process.stdout.write(
    `cantus wall time, median (fastest-slowest) of ${RUNS} runs, node ${process.version}; FILE is ${FIXTURE}\n`,
  );
  process.stdout.write(`${'node -e 0 (the floor)'.padEnd(NAME)}${summary(floor)}\n\n`);
  process.stdout.write(
    `${'command'.padEnd(NAME)}${'build'.padStart(8).padEnd(COLUMN)}${'sources (tsx)'.padStart(16).padEnd(COLUMN)}ratio\n`,
  );
  for (const command of COMMANDS) {
    const args = [bin, ...command];
    timeRun(args, built);
    timeRun(args, sources);
    const fromBuild: Seconds[] = [];
    const fromSources: Seconds[] = [];
    for (let i = 0; i < RUNS; i++) {
      fromBuild.push(timeRun(args, built));
      fromSources.push(timeRun(args, sources));
    }
    const ratio = median(fromSources) / median(fromBuild);
    process.stdout.write(
      `${`cantus ${command.map((a) => (a === FIXTURE ? 'FILE' : a)).join(' ')}`.padEnd(NAME)}${summary(fromBuild).padEnd(COLUMN)}${summary(fromSources).padEnd(COLUMN)}${ratio.toFixed(1)}x faster from the build\n`,
    );
  }
}

main();
