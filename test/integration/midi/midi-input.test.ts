/**
 * Listening to a MIDI keyboard through JACK: notes arrive stamped in time; unplugging is noticed.
 * And the other way round: Cantus's virtual output is a port another program can listen to.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeMelody, parseNotes } from '../../../src-core/music/melody.ts';
import { DevicePlayer } from '../../../src-main/midi/device-player.ts';
import { MidiInputs } from '../../../src-main/midi/midi-input.ts';
import { createNodeSchedulerWorker } from '../../../src-main/midi/node-worker.ts';
import { loadMidiModule } from '../../../src-main/midi/midi-module.ts';
import { MidiService } from '../../../src-main/midi/midi-service.ts';
import { loadStepModel } from '../../../src-engine/node-model.ts';
import { MAX_NOTES_PER_SECOND } from '../../../src-core/playback/input-throttle.ts';
import { DEFAULT_MODEL_ID } from '../../../src-core/model/model-id.ts';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { jackUnavailable } from '../../support/jack.ts';

const why = jackUnavailable();
if (why && process.env['CI'] === 'true') throw new Error(`JACK MIDI tests cannot run in CI: ${why}`);

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

/** A keyboard made of a virtual JACK MIDI output. */
function virtualKeyboard(name: string) {
  const midi = loadMidiModule();
  const out = new midi.Output();
  out.openVirtualPort(name);
  const port = midi.Input.getPortNames().find((p) => p.endsWith(`:${name}`));
  if (!port) throw new Error(`virtual keyboard ${name} did not appear`);
  let open = true;
  const unplug = () => {
    if (!open) return;
    open = false;
    out.closePort();
    out.destroy();
  };
  cleanups.push(unplug);
  return { port, send: (bytes: number[]) => out.sendMessage(bytes), unplug };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(why !== null)('MIDI input through JACK', () => {
  it('passes note messages on, stamped with their arrival', async () => {
    const keyboard = virtualKeyboard('cantus-test-keys-a');
    const events: { event: string; payload: unknown }[] = [];
    const inputs = new MidiInputs({ emit: (event, payload) => events.push({ event, payload }) });
    cleanups.push(() => inputs.close());
    expect(inputs.open(keyboard.port)).toEqual({ ok: true, value: null });
    await sleep(100);
    keyboard.send([0x90, 60, 100]);
    await sleep(250);
    keyboard.send([0x80, 60, 0]);
    keyboard.send([0xb0, 64, 127]); // sustain pedal: not a note, not passed on
    keyboard.send([0x90, 64, 90]);
    await sleep(150);
    const notes = events
      .filter((e) => e.event === 'midi:input')
      .map((e) => e.payload as { bytes: number[]; at: number });
    expect(notes.map((n) => n.bytes)).toEqual([
      [0x90, 60, 100],
      [0x80, 60, 0],
      [0x90, 64, 90],
    ]);
    expect(notes[1]!.at - notes[0]!.at).toBeGreaterThan(235);
    expect(notes[1]!.at - notes[0]!.at).toBeLessThan(300);
  });

  it('notices the keyboard going away', async () => {
    const keyboard = virtualKeyboard('cantus-test-keys-b');
    const lost: unknown[] = [];
    const inputs = new MidiInputs({
      emit: (event, payload) => event === 'midi:device-lost' && lost.push(payload),
    });
    cleanups.push(() => inputs.close());
    expect(inputs.open(keyboard.port).ok).toBe(true);
    keyboard.unplug();
    const started = Date.now();
    while (lost.length === 0 && Date.now() - started < 2000) await sleep(20);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(lost[0]).toMatchObject({ name: keyboard.port });
    expect(inputs.openInput).toBeNull();
  });

  it('a keyboard flooding 100,000 messages a second cannot swamp main or wedge call and response', async () => {
    const keyboard = virtualKeyboard('cantus-test-keys-flood');
    const forwarded: number[][] = [];
    const answers: { phase: string; latencyMs?: number }[] = [];
    const service = new MidiService({
      createWorker: createNodeSchedulerWorker,
      emit: (event, payload) => {
        if (event === 'midi:input') forwarded.push([...(payload as { bytes: number[] }).bytes]);
        if (event === 'midi:answer') answers.push(payload as { phase: string; latencyMs?: number });
      },
      loadModel: () =>
        loadStepModel(resolve(import.meta.dirname, '../../../resources/models', DEFAULT_MODEL_ID)),
    });
    cleanups.push(() => void service.dispose());
    expect(service.openInput(keyboard.port).ok).toBe(true);
    const settings = {
      tempo: 240,
      meter: { numerator: 4, denominator: 4 },
      maxBars: 1,
      temperature: 1,
      onDevice: false,
      channel: 0,
      program: null,
    };
    expect(service.answerMode(settings).ok).toBe(true);
    await sleep(500); // the model loads and warms up
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const heapBefore = process.memoryUsage().heapUsed;
    let sent = 0;
    // One second of 100,000 messages a second, in bursts of 2,000 every 20 ms; note 36 is
    // pressed first and its note-off is never sent (a lost note-off).
    keyboard.send([0x90, 36, 100]);
    sent++;
    for (let burst = 0; burst < 50; burst++) {
      for (let k = 0; k < 2000; k++) {
        const pitch = 40 + (k % 40);
        keyboard.send(k % 2 === 0 ? [0x90, pitch, 90] : [0x80, pitch - 0, 0]);
        sent++;
      }
      await sleep(20);
    }
    const heapAfter = process.memoryUsage().heapUsed;
    delay.disable();
    console.log(
      `Flood: ${sent} messages sent, ${forwarded.length} passed to the window; main's event loop ` +
        `delay p50 ${(delay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, ` +
        `max ${(delay.max / 1e6).toFixed(1)} ms; heap ${((heapAfter - heapBefore) / 2 ** 20).toFixed(1)} MB more`,
    );
    // At most the throttle's burst and one more second's worth of note-ons, and their note-offs.
    expect(forwarded.length).toBeLessThanOrEqual(2 * 2 * MAX_NOTES_PER_SECOND + 2);
    expect(forwarded.length).toBeGreaterThan(0);
    // The phrase ends once the held note reaches its limit (4 bars at 240 bpm: 4 s) and a bar
    // of silence has passed; then Cantus answers.
    const until = Date.now() + 12_000;
    while (!answers.some((a) => a.phase === 'answering') && Date.now() < until) await sleep(50);
    expect(answers.map((a) => a.phase)).toContain('answering');
  }, 30_000);

  it('refuses an input that does not exist', () => {
    const inputs = new MidiInputs({ emit: () => undefined });
    const result = inputs.open('Nonexistent Keys');
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error.message).toMatch(/^There is no MIDI input called “Nonexistent Keys”\./);
  });
});

describe.skipIf(why !== null)('the virtual output other programs listen to', () => {
  it('appears as a port, and what Cantus plays on it arrives', async () => {
    const player = new DevicePlayer({
      createWorker: createNodeSchedulerWorker,
      listOutputs: () => ({ ok: true, value: [] }),
      onEvent: () => undefined,
    });
    cleanups.push(() => void player.dispose());
    expect(await player.open('Cantus Test Out', { virtual: true })).toEqual({ ok: true, value: undefined });
    const port = loadMidiModule()
      .Input.getPortNames()
      .find((p) => p.endsWith(':Cantus Test Out'));
    expect(port).toBeDefined();
    const heard: number[][] = [];
    const daw = new MidiInputs({
      emit: (event, payload) =>
        event === 'midi:input' && heard.push([...(payload as { bytes: number[] }).bytes]),
    });
    cleanups.push(() => daw.close());
    expect(daw.open(port!).ok).toBe(true);
    await sleep(100);
    await player.play(makeMelody({ notes: parseNotes('E4/1 G4/1'), tempo: 120 }), {
      channel: 0,
      program: null,
      tempo: 120,
    });
    await sleep(100);
    expect(heard).toEqual([
      [0x90, 64, 80],
      [0x80, 64, 0],
      [0x90, 67, 80],
      [0x80, 67, 0],
    ]);
  });
});
