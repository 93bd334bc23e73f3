/**
 * The chord-model adapter with a stand-in for magenta.js's MusicRNN: what it hands MusicRNN (the
 * primer an octave into range, one chord symbol per step, the temperature) and how it reads the
 * answer back; magenta's own chord errors become plain words.
 */
import { describe, expect, it } from 'vitest';
import { PITCH_CHORD_DEPTH } from '../../../src-core/model/checkpoint-format.ts';
import type { LoadedCheckpoint } from '../../../src-core/model/load-checkpoint.ts';
import type { NoteSequence } from '../../../src-core/model/note-sequence.ts';
import { basicEncoding } from '../../../src-core/model/event-encoding.ts';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';
import { openChordModel, type ChordRnn } from '../../../src-engine/magenta-chords.ts';

const range = { minPitch: 48, maxPitch: 83 };
const checkpoint: LoadedCheckpoint = {
  range,
  shape: { inputDepth: PITCH_CHORD_DEPTH + 38, units: [4], classes: 38 },
  encoding: basicEncoding(range),
  weights: new Map(),
  chords: { encoder: 'PitchChordEncoder', depth: PITCH_CHORD_DEPTH },
};

interface Call {
  sequence: NoteSequence;
  steps: number;
  temperature?: number;
  chords?: string[];
}

function fakeRnn(calls: Call[], fail?: Error) {
  return class implements ChordRnn {
    constructor(readonly url: string) {}
    async initialize() {}
    dispose() {}
    async continueSequence(sequence: NoteSequence, steps: number, temperature?: number, chords?: string[]) {
      calls.push({ sequence, steps, temperature, ...(chords ? { chords } : {}) });
      if (fail) throw fail;
      // Two notes in the model's register: C5 for a beat, then E5 to the end.
      return {
        notes: [
          { pitch: 72, quantizedStartStep: 0, quantizedEndStep: 4 },
          { pitch: 76, quantizedStartStep: 4, quantizedEndStep: steps },
        ],
        quantizationInfo: { stepsPerQuarter: 4 },
        totalQuantizedSteps: steps,
      };
    }
  };
}

const primer = makeMelody({ notes: parseNotes('G5 A5 B5 D6'), meter: { numerator: 2, denominator: 4 } });

describe('openChordModel', () => {
  it('hands MusicRNN the primer in range and one chord per step, and puts its answer after the primer', async () => {
    const calls: Call[] = [];
    const model = await openChordModel(fakeRnn(calls), 'http://x/model/', checkpoint);
    if (!model.ok) throw new Error(model.error.message);
    const result = await model.value.continue(primer, {
      steps: 24,
      temperature: 5,
      variations: 2,
      chords: ['C', 'G'],
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(calls).toHaveLength(2);
    const call = calls[0]!;
    expect(call.steps).toBe(24);
    expect(call.temperature).toBe(2); // clamped to Adventure's range
    expect(call.sequence.notes!.map((n) => n.pitch)).toEqual([67, 69, 71, 74]); // an octave down
    const bar = 8;
    expect(call.chords).toHaveLength(primer.length + 24);
    expect(call.chords!.slice(0, primer.length).every((c) => c === 'C')).toBe(true);
    const after = call.chords!.slice(primer.length);
    expect(after).toEqual([...Array(bar).fill('C'), ...Array(bar).fill('G'), ...Array(bar).fill('C')]);
    const melody = result.value[0]!;
    expect(melody.notes.slice(0, 4)).toEqual(primer.notes);
    expect(melody.notes.slice(4).map((n) => [n.pitch, n.start, n.end])).toEqual([
      [84, primer.length, primer.length + 4],
      [88, primer.length + 4, primer.length + 24],
    ]);
    expect(melody.length).toBe(primer.length + 24);
  });

  it('says in words when magenta.js cannot read a chord, and when it fails otherwise', async () => {
    const unknown = await openChordModel(
      fakeRnn([], new Error('Unrecognized chord symbol: Hm')),
      'http://x/',
      checkpoint,
    );
    if (!unknown.ok) throw new Error(unknown.error.message);
    const a = await unknown.value.continue(primer, {
      steps: 8,
      temperature: 1,
      variations: 1,
      chords: ['Hm'],
    });
    expect(a.ok ? null : a.error.message).toBe(
      'The model cannot read the chord "Hm". Write chords such as C, Am, G7 or F#m, one a bar.',
    );
    const broken = await openChordModel(fakeRnn([], new Error('tensor shapes')), 'http://x/', checkpoint);
    if (!broken.ok) throw new Error(broken.error.message);
    const b = await broken.value.continue(primer, { steps: 8, temperature: 1, variations: 1, chords: ['C'] });
    expect(b.ok ? null : b.error.message).toBe('The chord model could not continue the melody.');
  });

  it('refuses a model that takes no chords', async () => {
    const { chords: _, ...plain } = checkpoint;
    const opened = await openChordModel(fakeRnn([]), 'http://x/', plain);
    expect(opened.ok).toBe(false);
  });
});
