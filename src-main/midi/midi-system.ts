/**
 * The computer's MIDI ports, as plain lists and plain messages. RtMidi throws when there is no
 * MIDI system at all (no ALSA sequencer, no JACK); that becomes a notice, never a crash.
 */
import { fail, ok, type Result } from '../../src-core/result.ts';
import { loadMidiModule, type MidiModule } from './midi-module.ts';

export interface MidiPorts {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export const NO_MIDI_SYSTEM =
  'Cantus cannot reach a MIDI system on this computer, so it cannot play to MIDI devices. The in-app synth still works.';

/** Lists the MIDI input and output ports there are now. */
export function listMidiPorts(load: () => MidiModule = loadMidiModule): Result<MidiPorts> {
  try {
    const midi = load();
    return ok({ inputs: midi.Input.getPortNames(), outputs: midi.Output.getPortNames() });
  } catch {
    return fail('midi/unavailable', NO_MIDI_SYSTEM);
  }
}

/** Finds a port by its exact name, or explains which ports there are. */
export function findPort(ports: readonly string[], name: string, kind: 'input' | 'output'): Result<string> {
  if (ports.includes(name)) return ok(name);
  const list =
    ports.length === 0
      ? `There are no MIDI ${kind}s right now.`
      : `The ${kind}s are: ${ports.map((p) => `“${p}”`).join(', ')}.`;
  return fail(
    'midi/no-such-port',
    `There is no MIDI ${kind} called “${name}”. ${list} Check that the device is plugged in and switched on.`,
  );
}
