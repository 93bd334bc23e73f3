import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  basicEncoding,
  lookbackEncoding,
  type EventEncoding,
} from '../../../src-core/model/event-encoding.ts';
import { continuationKey, continueMelody, type StepModel } from '../../../src-core/model/generate.ts';
import { MODEL_PITCH_RANGE } from '../../../src-core/model/melody-events.ts';
import { createRng } from '../../../src-core/model/rng.ts';
import type { SteerConstraint } from '../../../src-core/model/steering.ts';
import { isInKey } from '../../../src-core/music/key.ts';
import { tonicPitchClass } from '../../../src-core/music/key.ts';
import { makeMelody, parseNotes, stepsPerBar, type Melody } from '../../../src-core/music/melody.ts';

/** A model whose logits are seeded noise, wide enough that every event is sometimes likely. */
function noiseModel(encoding: EventEncoding, seed: number): StepModel {
  const rng = createRng(seed);
  let batch = 1;
  return {
    range: MODEL_PITCH_RANGE,
    encoding,
    reset(n) {
      batch = n;
    },
    step() {
      return Promise.resolve(Float32Array.from({ length: batch * encoding.classes }, () => 6 * rng.next()));
    },
    select(rows) {
      batch = rows.length;
    },
    dispose() {},
  };
}

const barContent = (m: Melody, bar: number): string => {
  const size = stepsPerBar(m.meter);
  return m.notes
    .filter((n) => n.start >= bar * size && n.start < (bar + 1) * size)
    .map((n) => `${n.pitch}@${n.start - bar * size}-${n.end - bar * size}`)
    .join(' ');
};

/**
 * Checks one finished melody against one condition. Inside bars that repeat earlier ones the
 * copy is given, so other conditions judge only the notes around it (and the step into it).
 */
function meets(c: SteerConstraint, m: Melody, primer: Melody, all: readonly SteerConstraint[]): boolean {
  const bar = stepsPerBar(m.meter);
  const windows = all.flatMap((r) =>
    r.kind === 'repeat-bars' ? [[(r.at - 1) * bar, (r.at - 1 + r.bars) * bar]] : [],
  );
  const inside = (step: number) => windows.some(([a, b]) => step >= a! && step < b!);
  const firstInside = (i: number) => inside(m.notes[i]!.start) && (i === 0 || !inside(m.notes[i - 1]!.start));
  const fresh = m.notes.filter((n) => n.start >= primer.length && !inside(n.start));
  const key = continuationKey(primer).key;
  switch (c.kind) {
    case 'in-key':
      return fresh.every((n) => isInKey(n.pitch, key));
    case 'steps-and-thirds':
      return m.notes.every(
        (n, i) =>
          n.start < primer.length ||
          i === 0 ||
          (inside(n.start) && !firstInside(i)) ||
          Math.abs(n.pitch - m.notes[i - 1]!.pitch) <= 4,
      );
    case 'range':
      return fresh.every((n) => n.pitch >= c.low && n.pitch <= c.high);
    case 'longest-note':
      return m.notes.every(
        (n) =>
          n.end <= primer.length || inside(n.start) || inside(n.end - 1) || n.end - n.start <= c.beats * 4,
      );
    case 'ends-on-tonic': {
      const downbeat = Math.floor((m.length - 1) / bar) * bar;
      const last = m.notes.at(-1)!;
      const onDownbeat = m.notes.find((n) => n.start === downbeat);
      const home = tonicPitchClass(key);
      return last.pitch % 12 === home && onDownbeat !== undefined && onDownbeat.pitch % 12 === home;
    }
    case 'repeat-bars':
      return Array.from({ length: c.bars }, (_, k) => k).every(
        (k) => barContent(m, c.from - 1 + k) === barContent(m, c.at - 1 + k),
      );
    case 'classroom-rests': {
      // No new rest shorter than an eighth, and the last bar's downbeat sounds a note.
      const rests = m.notes.every((n, i) => {
        const before = m.notes[i - 1];
        if (!before || before.end < primer.length || inside(before.end) || inside(n.start)) return true;
        return n.start === before.end || n.start - before.end >= 2;
      });
      const downbeat = Math.floor((m.length - 1) / bar) * bar;
      const opens =
        downbeat < primer.length ||
        inside(downbeat) ||
        m.notes.some((n) => n.start <= downbeat && n.end > downbeat);
      return rests && opens;
    }
  }
}

const primers = [
  makeMelody({
    notes: parseNotes('D4/4 F#4/4 A4/4 D5/4 C#5/4 A4/4 F#4/8'),
    key: { tonic: 'D', mode: 'major' },
  }),
  makeMelody({
    notes: parseNotes('A3/6 C4/2 E4/4 A4/4 G#4/4 E4/4 B3/8'),
    meter: { numerator: 6, denominator: 8 },
  }),
  makeMelody({ notes: parseNotes('G4/4 G4/4 A4/4 B4/4 D5/16'), meter: { numerator: 3, denominator: 4 } }),
];
const allConstraints: SteerConstraint[] = [
  { kind: 'in-key' },
  { kind: 'steps-and-thirds' },
  { kind: 'range', low: 55, high: 79 },
  { kind: 'longest-note', beats: 2 },
  { kind: 'ends-on-tonic' },
  { kind: 'repeat-bars', from: 1, at: 5, bars: 2 },
  { kind: 'classroom-rests' },
];

describe('steering while sampling', () => {
  it('never samples an event a condition removed (any mix of conditions, both encodings)', async () => {
    let met = 0;
    let cornered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.subarray(allConstraints, { minLength: 1 }),
        fc.constantFrom(...primers),
        fc.constantFrom(basicEncoding(MODEL_PITCH_RANGE), lookbackEncoding(MODEL_PITCH_RANGE)),
        async (seed, constraints, primer, encoding) => {
          const bar = stepsPerBar(primer.meter);
          const steps = 8 * bar - primer.length;
          const result = await continueMelody(noiseModel(encoding, seed), primer, {
            steps,
            temperature: 1.5,
            variations: 2,
            seed,
            steer: constraints,
          });
          // Steps and thirds with a fixed repeat or the home note can corner it: that must be said, never ignored.
          if (!result.ok) {
            expect(result.error.code).toBe('generate/constraints-conflict');
            cornered++;
            return;
          }
          met++;
          for (const melody of result.value)
            for (const c of constraints)
              expect(meets(c, melody, primer, constraints), `${c.kind} (seed ${seed})`).toBe(true);
        },
      ),
      // A fixed seed: the share of cornered mixes is a property of these cases, not of the run.
      { numRuns: 60, seed: 20_261_203 },
    );
    // Most mixes can be met; a conflict is the exception, not a way around the check.
    expect(met).toBeGreaterThan(3 * cornered);
  });

  it('meets each condition alone every time', async () => {
    for (const c of allConstraints) {
      for (const primer of primers) {
        const bar = stepsPerBar(primer.meter);
        const result = await continueMelody(noiseModel(basicEncoding(MODEL_PITCH_RANGE), 3), primer, {
          steps: 8 * bar - primer.length,
          temperature: 1,
          variations: 4,
          seed: 3,
          steer: [c],
        });
        expect(result.ok, c.kind).toBe(true);
        if (result.ok) for (const m of result.value) expect(meets(c, m, primer, [c]), c.kind).toBe(true);
      }
    }
  });

  it('refuses conditions that cannot apply, in words', async () => {
    const primer = primers[0]!;
    const model = noiseModel(basicEncoding(MODEL_PITCH_RANGE), 1);
    const options = { steps: 16, temperature: 1, variations: 1, seed: 1 };
    const late = await continueMelody(model, primer, {
      ...options,
      steer: [{ kind: 'repeat-bars', from: 1, at: 5, bars: 2 }],
    });
    expect(late.ok ? '' : late.error.message).toMatch(/too short/);
    const far = await continueMelody(model, primer, {
      ...options,
      steer: [{ kind: 'range', low: 10, high: 20 }],
    });
    expect(far.ok ? '' : far.error.message).toMatch(/range/);
  });
});
