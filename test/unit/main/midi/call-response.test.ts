/**
 * Call and response does not listen before its model is ready: a phrase played while the model
 * loads would be answered seconds late (one answer took 3.4 s).
 */
import { describe, expect, it } from 'vitest';
import { makeMelody } from '../../../../src-core/music/melody.ts';
import { ok } from '../../../../src-core/result.ts';
import { CallResponse, type AnswerEvent } from '../../../../src-main/midi/call-response.ts';

const settings = {
  tempo: 120,
  meter: { numerator: 4, denominator: 4 },
  maxBars: 1,
  temperature: 1,
  onDevice: false,
  channel: 0,
  program: null,
};

describe('CallResponse', () => {
  it('is preparing until the model is ready, ignores the keyboard meanwhile, then listens', async () => {
    const events: AnswerEvent[] = [];
    let clock = 1_000_000;
    const answers = new CallResponse({
      generate: async (phrase) => ok(makeMelody({ notes: phrase.notes, length: phrase.length + 16 })),
      play: async () => ok({ finished: true }),
      emit: (e) => events.push(e),
      now: () => clock,
      random: () => 0.5,
    });
    let ready!: () => void;
    answers.start(settings, new Promise<void>((r) => (ready = r)));
    expect(answers.phase).toBe('preparing');
    answers.receive({ bytes: [0x90, 60, 90], at: clock });
    answers.receive({ bytes: [0x80, 60, 0], at: clock + 400 });
    expect(answers.kept).toBe(0);
    ready();
    await Promise.resolve();
    await Promise.resolve();
    expect(answers.phase).toBe('listening');
    // Now a phrase is heard and, a bar after it ends, answered.
    answers.receive({ bytes: [0x90, 62, 90], at: clock });
    answers.receive({ bytes: [0x80, 62, 0], at: clock + 400 });
    clock += 2500;
    await answers.tick();
    expect(events.map((e) => e.phase)).toEqual(['preparing', 'listening', 'thinking', 'answering']);
    answers.stop();
  });

  it('listens even if getting ready failed (the answer then says why)', async () => {
    const answers = new CallResponse({
      generate: async () => ({ ok: false, error: { code: 'model/missing', message: 'No model.' } }),
      play: async () => ok({ finished: true }),
      emit: () => undefined,
      now: () => 0,
      random: () => 0.5,
    });
    answers.start(settings, Promise.reject(new Error('load failed')));
    await new Promise((r) => setTimeout(r, 0));
    expect(answers.phase).toBe('listening');
    answers.stop();
  });
});
