/**
 * Loads the native MIDI library (@julusian/midi, RtMidi). The only file that imports it.
 * Tests on machines without sound hardware point CANTUS_MIDI_MODULE at a build of the same
 * package compiled for JACK (see scripts/jack-midi.sh); the app itself always uses the
 * package as installed.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Midi from '@julusian/midi';

export type MidiModule = typeof Midi;
export type MidiOutput = InstanceType<MidiModule['Output']>;
export type MidiInput = InstanceType<MidiModule['Input']>;

let cached: MidiModule | null = null;

/**
 * Loads the library. On Linux the shipped build talks to the ALSA sequencer; where there is
 * none (no /dev/snd/seq), RtMidi would print ALSA errors on the terminal before failing, so
 * that case fails here, quietly, first.
 */
export function loadMidiModule(): MidiModule {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const override = process.env['CANTUS_MIDI_MODULE'];
  if (!override && process.platform === 'linux' && !existsSync('/dev/snd/seq'))
    throw new Error('No ALSA sequencer on this computer');
  cached = require(override && override.length > 0 ? override : '@julusian/midi') as MidiModule;
  return cached;
}
