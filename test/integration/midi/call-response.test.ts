/**
 * Call and response through JACK: a phrase played on a (virtual) keyboard, a bar of silence,
 * and Cantus answers on the MIDI output with the melody model; the reply latency is reported.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerEvent } from '../../../src-main/midi/call-response.ts';
import { MidiService } from '../../../src-main/midi/midi-service.ts';
import { loadMidiModule } from '../../../src-main/midi/midi-module.ts';
import { listMidiPorts } from '../../../src-main/midi/midi-system.ts';
import { createNodeSchedulerWorker } from '../../../src-main/midi/node-worker.ts';
import { loadStepModel } from '../../../src-engine/node-model.ts';
import { jackUnavailable, Recorder } from '../../support/jack.ts';

const why = jackUnavailable();
if (why && process.env['CI'] === 'true') throw new Error(`JACK MIDI tests cannot run in CI: ${why}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0)) await f();
});

describe.skipIf(why !== null)('call and response', () => {
  it('answers a phrase after a bar of silence, on the output, and says how quickly', async () => {
    const midi = loadMidiModule();
    const keys = new midi.Output();
    keys.openVirtualPort('cantus-call-keys');
    cleanups.push(() => (keys.closePort(), keys.destroy()));
    const keyboard = midi.Input.getPortNames().find((p) => p.endsWith(':cantus-call-keys'))!;
    const recorder = await Recorder.start('cantus-call-out', () => {
      const ports = listMidiPorts();
      return ports.ok ? ports.value.outputs : [];
    });
    cleanups.push(() => recorder.stop());

    const answers: AnswerEvent[] = [];
    const service = new MidiService({
      createWorker: createNodeSchedulerWorker,
      emit: (event, payload) => event === 'midi:answer' && answers.push(payload as AnswerEvent),
      loadModel: () => loadStepModel(),
    });
    cleanups.push(() => service.dispose());
    expect((await service.openOutput(recorder.port, false)).ok).toBe(true);
    expect(service.openInput(keyboard).ok).toBe(true);
    // 240 BPM in 4/4: a bar is one second.
    const settings = {
      tempo: 240,
      meter: { numerator: 4, denominator: 4 },
      maxBars: 2,
      temperature: 1,
      onDevice: true,
      channel: 1,
      program: null,
    };
    expect(service.answerMode(settings)).toEqual({ ok: true, value: null });
    // Cantus says it is getting ready while the model loads and runs once, then listens: the
    // player starts on "Listening".
    expect(answers[0]?.phase).toBe('preparing');
    const ready = Date.now() + 10_000;
    while (!answers.some((a) => a.phase === 'listening') && Date.now() < ready) await sleep(20);
    expect(answers.map((a) => a.phase)).toContain('listening');
    for (const pitch of [62, 66, 69, 74, 73, 71, 69, 66]) {
      keys.sendMessage([0x90, pitch, 90]);
      await sleep(115);
      keys.sendMessage([0x80, pitch, 0]);
      await sleep(10);
    }
    const until = Date.now() + 8000;
    while (!answers.some((a) => a.latencyMs !== undefined) && Date.now() < until) await sleep(20);
    const answered = answers.find((a) => a.latencyMs !== undefined);
    expect(answered, JSON.stringify(answers.map((a) => a.phase))).toBeDefined();
    console.log(
      `Call and response: first answered note ${answered!.latencyMs!.toFixed(0)} ms after the end of the phrase`,
    );
    expect(answered!.latencyMs!).toBeGreaterThan(0);
    expect(answered!.melody!.notes.length).toBeGreaterThan(8);
    // The phrase comes back as the first eight notes of the melody shown.
    expect(answered!.melody!.notes.slice(0, 8).map((n) => n.pitch)).toEqual([62, 66, 69, 74, 73, 71, 69, 66]);
    // The answer's notes reach the device on channel 2, and then Cantus listens again.
    while (answers.at(-1)?.phase !== 'listening' && Date.now() < until + 5000) await sleep(50);
    const sent = recorder.events.filter((e) => e.bytes[0] === 0x91 && e.bytes[2]! > 0).map((e) => e.bytes[1]);
    const start = answered!.answerStart!;
    expect(sent).toEqual(answered!.melody!.notes.filter((n) => n.start >= start).map((n) => n.pitch));
    expect(answers.at(-1)!.phase).toBe('listening');
  });

  it('needs a keyboard and an output first', () => {
    const service = new MidiService({
      createWorker: createNodeSchedulerWorker,
      emit: () => undefined,
      loadModel: () => loadStepModel(),
    });
    cleanups.push(() => service.dispose());
    const settings = {
      tempo: 120,
      meter: { numerator: 4, denominator: 4 },
      maxBars: 2,
      temperature: 1,
      onDevice: true,
      channel: 0,
      program: null,
    };
    expect(service.answerMode(settings)).toMatchObject({ ok: false, error: { code: 'midi/no-input' } });
  });
});
