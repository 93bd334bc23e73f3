/**
 * Tempo changes: a file may speed up or slow down. Playback keeps one tempo control (the one the
 * window shows, the melody's first tempo at first); each later tempo sounds in proportion to it.
 * So a melody plays by "clock steps": steps at the first tempo, which `clockSteps` gives for any
 * step of the melody, and every player (in the app, on a device, in a saved file) schedules by.
 */
import type { Bpm, Melody, Steps } from './melody.ts';
import { soundingTimes } from './tuplets.ts';

/** A tempo a file sets from step `at` on (the melody's first is `Melody.tempo`). */
export interface TempoChange {
  readonly at: Steps;
  readonly bpm: Bpm;
}

/**
 * Where `step` falls at the melody's first tempo: the same step when the tempo never changes;
 * after a change to twice as fast, each step lasts half a step.
 * @example clockSteps({ tempo: 120, tempoChanges: [{ at: 16, bpm: 240 }] })(24) // => 20
 */
export function clockSteps(melody: Pick<Melody, 'tempo' | 'tempoChanges'>): (step: number) => number {
  const changes = [...(melody.tempoChanges ?? [])].filter((c) => c.bpm > 0).sort((a, b) => a.at - b.at);
  if (changes.length === 0) return (step) => step;
  // Each stretch: from its start step, where it starts on the clock, and its rate.
  const stretches: { from: number; clock: number; rate: number }[] = [{ from: 0, clock: 0, rate: 1 }];
  for (const c of changes) {
    const last = stretches[stretches.length - 1]!;
    if (c.at <= last.from) {
      stretches[stretches.length - 1] = { ...last, rate: melody.tempo / c.bpm };
      continue;
    }
    stretches.push({
      from: c.at,
      clock: last.clock + (c.at - last.from) * last.rate,
      rate: melody.tempo / c.bpm,
    });
  }
  return (step) => {
    let s = stretches[0]!;
    for (const t of stretches) if (t.from <= step) s = t;
    return s.clock + (step - s.from) * s.rate;
  };
}

/**
 * When each note starts and ends, in clock steps: triplets on their true thirds
 * (`soundingTimes`), then tempo changes (`clockSteps`). What every player schedules by.
 */
export function playingTimes(
  melody: Pick<Melody, 'notes' | 'tuplets' | 'tempo' | 'tempoChanges'>,
): { start: number; end: number }[] {
  const clock = clockSteps(melody);
  return soundingTimes(melody).map((t) => ({ start: clock(t.start), end: clock(t.end) }));
}
