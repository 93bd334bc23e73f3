import { basicEncoding } from '../../../src-core/model/event-encoding.ts';
import { describe, expect, it } from 'vitest';
import { resolveMelodySource, type MelodySourceContext } from '../../../src-core/lessons/melody-source.ts';
import type { GenerateSource, MelodySource } from '../../../src-core/lessons/schema.ts';
import { writeMelodyMidi } from '../../../src-core/midi/write.ts';
import type { StepModel } from '../../../src-core/model/generate.ts';
import { MODEL_PITCH_RANGE, pitchToEvent } from '../../../src-core/model/melody-events.ts';
import { makeMelody, parseNotes, type Melody } from '../../../src-core/music/melody.ts';

const CLASSES = MODEL_PITCH_RANGE.maxPitch - MODEL_PITCH_RANGE.minPitch + 3;

/**
 * A fake model that favours event `cycle[p % cycle.length]` at sequence position p by
 * `strength` over every other class (the t-th call reads position t and predicts t + 1). A large strength makes it all but certain; a small one leaves
 * room for the seed to matter.
 */
function cycleModel(cycle: readonly number[], strength: number): StepModel {
  let batch = 1;
  let t = 0;
  return {
    range: MODEL_PITCH_RANGE,
    encoding: basicEncoding(MODEL_PITCH_RANGE),
    reset(n) {
      batch = n;
      t = 0;
    },
    step() {
      const logits = new Float32Array(batch * CLASSES);
      const favoured = cycle[(t + 1) % cycle.length]!;
      for (let v = 0; v < batch; v++) logits[v * CLASSES + favoured] = strength;
      t++;
      return Promise.resolve(logits);
    },
    select(rows) {
      batch = rows.length;
    },
    dispose() {},
  };
}

/** Quarter notes C4 E4 G4 C5, over and over: a one-bar pattern full of leaps. */
const ARPEGGIO = [60, 64, 67, 72].flatMap((p) => [pitchToEvent(p), 0, 0, 0]);

const context = (over: Partial<MelodySourceContext> = {}): MelodySourceContext => ({
  files: new Map(),
  file: 'pack.json',
  path: 'lessons[0].melody',
  model: null,
  ...over,
});

const generate = (over: Partial<GenerateSource> = {}): MelodySource => ({
  source: 'generate',
  model: 'basic-rnn',
  primer: 'C4',
  temperature: 1,
  bars: 4,
  seed: 7,
  constraints: [],
  key: { tonic: 'C', mode: 'major' },
  ...over,
});

const pitches = (melody: Melody) => melody.notes.map((n) => n.pitch);

describe('fixed melodies', () => {
  it('reads notes written in the pack, with the source meter and tempo', async () => {
    const r = await resolveMelodySource(
      { source: 'fixed', notes: 'C4 D4/2 E4/2 G4/8', meter: { numerator: 3, denominator: 4 }, tempo: 80 },
      context(),
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(pitches(r.value.melody)).toEqual([60, 62, 64, 67]);
    expect(r.value.melody.meter).toEqual({ numerator: 3, denominator: 4 });
    expect(r.value.melody.tempo).toBe(80);
    expect(r.value.tries).toBeUndefined();
  });

  it('defaults to 4/4 at 100 BPM', async () => {
    const r = await resolveMelodySource({ source: 'fixed', notes: 'C4 D4' }, context());
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.melody.meter).toEqual({ numerator: 4, denominator: 4 });
    expect(r.value.melody.tempo).toBe(100);
  });

  it('names the file and field of a note it cannot read', async () => {
    const r = await resolveMelodySource({ source: 'fixed', notes: 'C4 H4' }, context());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('lessons/bad-notes');
    expect(r.error.message).toContain('pack.json, lessons[0].melody.notes: cannot read note "H4"');
  });

  it('reads a MIDI file from the pack', async () => {
    const tune = makeMelody({ notes: parseNotes('E4 D4 C4 D4 E4 E4 E4/8'), tempo: 90 });
    const files = new Map([['midi/tune.mid', writeMelodyMidi(tune)]]);
    const r = await resolveMelodySource({ source: 'fixed', midi: './midi/tune.mid' }, context({ files }));
    if (!r.ok) throw new Error(r.error.message);
    expect(pitches(r.value.melody)).toEqual(pitches(tune));
    expect(r.value.melody.notes.map((n) => n.end - n.start)).toEqual([4, 4, 4, 4, 4, 4, 8]);
  });

  it('names a MIDI file the pack does not have', async () => {
    const r = await resolveMelodySource({ source: 'fixed', midi: 'midi/missing.mid' }, context());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('lessons/missing-file');
    expect(r.error.message).toContain('"midi/missing.mid"');
    expect(r.error.message).toContain('lessons[0].melody.midi');
  });

  it('names the MIDI file when its bytes are not MIDI', async () => {
    const files = new Map([['bad.mid', new Uint8Array([1, 2, 3, 4])]]);
    const r = await resolveMelodySource({ source: 'fixed', midi: 'bad.mid' }, context({ files }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/^bad\.mid/);
  });
});

describe('generated melodies', () => {
  it('needs a model', async () => {
    const r = await resolveMelodySource(generate(), context());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('lessons/no-model');
  });

  it('gives the same melody for the same source and model', async () => {
    const once = await resolveMelodySource(generate(), context({ model: cycleModel(ARPEGGIO, 2) }));
    const again = await resolveMelodySource(generate(), context({ model: cycleModel(ARPEGGIO, 2) }));
    if (!once.ok || !again.ok) throw new Error('generation failed');
    expect(again.value).toEqual(once.value);
    expect(once.value.melody.length).toBe(4 * 16);
    const other = await resolveMelodySource(
      generate({ seed: 8 }),
      context({ model: cycleModel(ARPEGGIO, 2) }),
    );
    if (!other.ok) throw new Error(other.error.message);
    expect(other.value.melody).not.toEqual(once.value.melody);
  });

  it('keeps a melody that meets a constraint the model can meet', async () => {
    const r = await resolveMelodySource(
      generate({ constraints: ['two-bar-repeat'] }),
      context({ model: cycleModel(ARPEGGIO, 50) }),
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.tries).toBe(1);
    expect(pitches(r.value.melody).slice(1, 5)).toEqual([64, 67, 72, 60]);
  });

  it('tries further seeds until a noisy model meets a constraint', async () => {
    const r = await resolveMelodySource(
      generate({ constraints: ['ends-on-tonic'] }),
      context({ model: cycleModel(ARPEGGIO, 1) }),
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.melody.notes.at(-1)!.pitch % 12).toBe(0);
    expect(r.value.tries).toBeGreaterThanOrEqual(1);
  });

  it('says at once when a two-bar repeat cannot fit the length', async () => {
    const r = await resolveMelodySource(
      generate({ bars: 3, constraints: ['two-bar-repeat'] }),
      context({ model: cycleModel(ARPEGGIO, 50) }),
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'lessons/constraints-unmet' } });
    if (!r.ok) expect(r.error.message).toContain('at least 4 bars');
  });

  it('steers a model that only leaps into steps and thirds, with the two-bar repeat in place', async () => {
    const r = await resolveMelodySource(
      generate({ constraints: ['two-bar-repeat', 'steps-and-thirds-only'], bars: 8 }),
      context({ model: cycleModel(ARPEGGIO, 50) }),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.tries).toBe(1);
    const notes = r.value.melody.notes;
    notes.slice(1).forEach((n, i) => expect(Math.abs(n.pitch - notes[i]!.pitch)).toBeLessThanOrEqual(4));
    const bar = (b: number) =>
      notes
        .filter((n) => n.start >= 16 * b && n.start < 16 * (b + 1))
        .map((n) => `${n.pitch}@${n.start - 16 * b}`);
    expect([bar(4), bar(5)]).toEqual([bar(0), bar(1)]);
  });

  it('says which constraint could not be met', async () => {
    // The opening itself leaps a fifth, so no continuation can move only by steps and thirds.
    const r = await resolveMelodySource(
      generate({ primer: 'C4 G4', constraints: ['two-bar-repeat', 'steps-and-thirds-only'] }),
      context({ model: cycleModel(ARPEGGIO, 50) }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('lessons/constraints-unmet');
    expect(r.error.message).toContain('"only steps and thirds" (steps-and-thirds-only)');
    expect(r.error.message).not.toContain('two-bar-repeat');
    expect(r.error.message).toContain('raise the Adventure (temperature)');
  });
});
