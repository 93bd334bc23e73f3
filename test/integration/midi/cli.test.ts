/** `cantus devices` and `cantus play` as a person runs them, with and without a MIDI system. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listMidiPorts } from '../../../src-main/midi/midi-system.ts';
import { extractMelody, readMidi } from '../../../src-core/midi/index.ts';
import { jackUnavailable, Recorder } from '../../support/jack.ts';

const root = resolve(import.meta.dirname, '../../..');
const fixture = resolve(root, 'test/fixtures/midi/march-2-4.mid');

function cantus(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const run = spawnSync(process.execPath, [resolve(root, 'bin/cantus.mjs'), ...args], {
    encoding: 'utf8',
    env,
    timeout: 30_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe.skipIf(existsSync('/dev/snd/seq'))('without any MIDI system', () => {
  const env = { ...process.env, CANTUS_MIDI_MODULE: '' };
  it.each([[['devices']], [['play', fixture, '--port', 'Synth']]])('%j fails with one plain line', (args) => {
    const run = cantus(args, env);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'cantus: Cantus cannot reach a MIDI system on this computer, so it cannot play to MIDI devices. The in-app synth still works.\n',
    );
  });
});

const why = jackUnavailable();
if (why && process.env['CI'] === 'true') throw new Error(`JACK MIDI tests cannot run in CI: ${why}`);

describe.skipIf(why !== null)('with JACK MIDI', () => {
  const recorders: Recorder[] = [];
  afterEach(() => recorders.splice(0).forEach((r) => r.stop()));
  const outputs = () => {
    const ports = listMidiPorts();
    return ports.ok ? ports.value.outputs : [];
  };

  it('devices lists the outputs', async () => {
    const recorder = await Recorder.start('cantus-cli-a', outputs);
    recorders.push(recorder);
    const run = cantus(['devices', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).outputs).toContain(recorder.port);
  });

  it('play sends every note of the melody and exits 0 when done', async () => {
    const recorder = await Recorder.start('cantus-cli-b', outputs);
    recorders.push(recorder);
    const run = cantus([
      'play',
      fixture,
      '--port',
      recorder.port,
      '--tempo',
      '300',
      '--channel',
      '2',
      '--program',
      '1',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    const read = readMidi(new Uint8Array(readFileSync(fixture)));
    if (!read.ok) throw new Error(read.error.message);
    const melody = extractMelody(read.value);
    if (!melody.ok) throw new Error(melody.error.message);
    expect(recorder.events[0]!.bytes).toEqual([0xc1, 0]);
    const ons = recorder.events.filter((e) => e.bytes[0] === 0x91 && e.bytes[2]! > 0).map((e) => e.bytes[1]);
    expect(ons).toEqual(melody.value.notes.map((n) => n.pitch));
  });

  it('a missing port is one line and exit 1', () => {
    const run = cantus(['play', fixture, '--port', 'Nowhere Synth']);
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^cantus: There is no MIDI output called “Nowhere Synth”\./);
  });
});
