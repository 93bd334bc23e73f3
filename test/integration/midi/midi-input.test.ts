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
