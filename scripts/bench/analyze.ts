/**
 * `npm run bench:analyze`: how long `analyzeMelody` takes on melodies of 8, 32 and 128
 * bars. Prints the median (and the fastest and slowest) of repeated runs after a warm-up.
 * The melodies are made up here from a fixed seed, built like folk tunes: one-bar
 * rhythms and figures that repeat, transpose and vary, so motif finding has real work.
 * The target is a 32-bar melody in under 20 ms.
 */
import { pathToFileURL } from 'node:url';
import { analyzeMelody } from '../../src-core/analysis/analyze.ts';
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

function bench(bars: number, runs: number): void {
  const melodies = Array.from({ length: 5 }, (_, i) => makeBenchMelody(bars, 1000 + i));
  for (let i = 0; i < 20; i++) for (const m of melodies) analyzeMelody(m); // warm-up
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const m = melodies[r % melodies.length]!;
    const t0 = performance.now();
    analyzeMelody(m);
    times.push(performance.now() - t0);
  }
  const notes = Math.round(melodies.reduce((s, m) => s + m.notes.length, 0) / melodies.length);
  console.log(
    `${String(bars).padStart(4)} bars (~${notes} notes): median ${median(times).toFixed(2)} ms` +
      `  (min ${Math.min(...times).toFixed(2)}, max ${Math.max(...times).toFixed(2)}, ${runs} runs)`,
  );
}

// Run only when started as a script, so tests and tools can import makeBenchMelody.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log('analyzeMelody, median of repeated runs after warm-up (target: 32 bars under 20 ms)');
  bench(8, 200);
  bench(32, 100);
  bench(128, 20);
}
