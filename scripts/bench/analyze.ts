/**
 * `npm run bench:analyze`: how long `analyzeMelody` takes on melodies of 8, 32, 128 and
 * 512 bars, and two of its parts on their own: motif finding and bar repeats. Prints the
 * median (and the fastest and slowest) of repeated runs after a warm-up, and how much
 * longer 128 bars take than 32, and 512 than 128. The sizes take turns, run after run,
 * so a machine busy with other work slows them alike and the ratios stay comparable.
 * The melodies are made up here from a fixed seed, built like folk tunes: one-bar
 * rhythms and figures that repeat, transpose and vary, so motif finding has real work.
 * Targets: a 32-bar melody in under 20 ms; 128 bars in at most 8 times as long as 32.
 */
import { pathToFileURL } from 'node:url';
import { analyzeMelody } from '../../src-core/analysis/analyze.ts';
import { makeContext, type AnalysisContext } from '../../src-core/analysis/context.ts';
import { findBarRepeats } from '../../src-core/analysis/form.ts';
import { findMotifs } from '../../src-core/analysis/motifs.ts';
import { makeMelody, type Melody, type Note } from '../../src-core/music/melody.ts';
import { createRng } from '../../src-core/model/rng.ts';

/** A seeded generator (src-core/model/rng.ts), so a run can be replayed. */
function random(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}

const RHYTHMS: readonly (readonly number[])[] = [
  [4, 4, 4, 4],
  [2, 2, 4, 4, 4],
  [6, 2, 4, 4],
  [4, 4, 8],
  [2, 2, 2, 2, 4, 4],
  [6, 2, 8],
  [4, 2, 2, 4, 4],
  [8, 4, 4],
];
const MAJOR = [0, 2, 4, 5, 7, 9, 11];

/** A melody in C major, 4/4, of `bars` bars: 4-bar phrases from a few one-bar figures. */
export function makeBenchMelody(bars: number, seed: number): Melody {
  const rng = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  // A few figures: a rhythm and scale-step moves.
  const figures = Array.from({ length: 4 }, () => {
    const rhythm = pick(RHYTHMS);
    return { rhythm, moves: rhythm.map(() => Math.floor(rng() * 5) - 2) };
  });
  const notes: Note[] = [];
  let degree = 7; // C5 as a scale index (0 = C4)
  for (let bar = 0; bar < bars; bar++) {
    const figure = bar % 4 === 3 ? { rhythm: [8, 8], moves: [0, -1] } : pick(figures);
    // Sometimes restate the figure a step higher or lower (a sequence).
    if (rng() < 0.3) degree += rng() < 0.5 ? 1 : -1;
    let at = bar * 16;
    figure.rhythm.forEach((dur, i) => {
      degree = Math.min(12, Math.max(0, degree + figure.moves[i]!));
      const pitch = 60 + 12 * Math.floor(degree / 7) + MAJOR[degree % 7]!;
      notes.push({ pitch, start: at, end: at + dur, velocity: 80 });
      at += dur;
    });
  }
  return makeMelody({ notes, key: { tonic: 'C', mode: 'major' }, length: bars * 16 });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** What is timed: the whole analysis, and two parts on a context made beforehand. */
const TASKS = {
  analyzeMelody: (m: Melody): unknown => analyzeMelody(m),
  // analyzeMelody asks for twice the motifs it reports (8), to rank them.
  findMotifs: (_: Melody, ctx: AnalysisContext): unknown => findMotifs(ctx, { maxMotifs: 16 }),
  findBarRepeats: (_: Melody, ctx: AnalysisContext): unknown => findBarRepeats(ctx),
} as const;
type Task = keyof typeof TASKS;

interface Size {
  readonly bars: number;
  readonly melodies: readonly Melody[];
  readonly contexts: readonly AnalysisContext[];
  readonly times: Record<Task, number[]>;
}

/** Times every task on every size in turn, round after round; each round takes the next of five melodies. */
function bench(bars: readonly number[], rounds: number): Size[] {
  const sizes: Size[] = bars.map((b) => {
    const melodies = Array.from({ length: 5 }, (_, i) => makeBenchMelody(b, 1000 + i));
    return {
      bars: b,
      melodies,
      contexts: melodies.map((m) => makeContext(m)),
      times: { analyzeMelody: [], findMotifs: [], findBarRepeats: [] },
    };
  });
  const tasks = Object.keys(TASKS) as Task[];
  const run = (s: Size, r: number, task: Task): number => {
    const i = r % s.melodies.length;
    const t0 = performance.now();
    TASKS[task](s.melodies[i]!, s.contexts[i]!);
    return performance.now() - t0;
  };
  for (let r = 0; r < 10; r++) for (const s of sizes) for (const t of tasks) run(s, r, t); // warm-up
  for (let r = 0; r < rounds; r++)
    for (const s of sizes) for (const t of tasks) s.times[t].push(run(s, r, t));
  return sizes;
}

function report(sizes: readonly Size[]): void {
  const ms = (xs: number[]): string => `${median(xs).toFixed(2)} ms`;
  for (const s of sizes) {
    const notes = Math.round(s.melodies.reduce((sum, m) => sum + m.notes.length, 0) / s.melodies.length);
    const all = s.times.analyzeMelody;
    console.log(
      `${String(s.bars).padStart(4)} bars (~${notes} notes): median ${ms(all)}` +
        `  (min ${Math.min(...all).toFixed(2)}, max ${Math.max(...all).toFixed(2)}, ${all.length} runs);` +
        `  findMotifs ${ms(s.times.findMotifs)}, findBarRepeats ${ms(s.times.findBarRepeats)}`,
    );
  }
  const ratio = (task: Task, big: number, small: number): string => {
    const at = (bars: number): number => median(sizes.find((s) => s.bars === bars)!.times[task]);
    return `${(at(big) / at(small)).toFixed(1)}x`;
  };
  for (const [big, small, target] of [
    [128, 32, '  (target: at most 8x)'],
    [512, 128, ''],
  ] as const) {
    console.log(
      `${big} bars / ${small} bars: analyzeMelody ${ratio('analyzeMelody', big, small)}${target};` +
        ` findMotifs ${ratio('findMotifs', big, small)}, findBarRepeats ${ratio('findBarRepeats', big, small)}`,
    );
  }
}

// Run only when started as a script, so tests and tools can import makeBenchMelody.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(
    'analyzeMelody, median of repeated runs after warm-up (targets: 32 bars under 20 ms; 128/32 at most 8x)',
  );
  report(bench([8, 32, 128, 512], 40));
}
