/**
 * `cantus devices [--json]`: the MIDI inputs and outputs on this computer.
 * `--json` prints { inputs: [string], outputs: [string] }.
 */
import { parseArgs } from 'node:util';
import { listMidiPorts } from '../../src-main/midi/midi-system.ts';
import { EXIT, type Command } from '../command.ts';

export const devicesCommand: Command = {
  name: 'devices',
  summary: 'List the MIDI inputs and outputs on this computer',
  help: [
    'Usage: cantus devices [--json]',
    '',
    'Lists MIDI inputs (keyboards to record from) and outputs (synths and other programs to play to).',
    '  --json   print { "inputs": [...], "outputs": [...] }',
  ].join('\n'),
  async run(args, out) {
    const { values } = parseArgs({ args: [...args], options: { json: { type: 'boolean' } }, strict: true });
    const ports = listMidiPorts();
    if (!ports.ok) {
      out.stderr(`cantus: ${ports.error.message}\n`);
      return EXIT.failed;
    }
    if (values.json) {
      out.stdout(`${JSON.stringify(ports.value, null, 2)}\n`);
      return EXIT.ok;
    }
    const list = (names: readonly string[]) =>
      names.length ? names.map((n) => `  ${n}`).join('\n') : '  (none)';
    out.stdout(`MIDI outputs:\n${list(ports.value.outputs)}\nMIDI inputs:\n${list(ports.value.inputs)}\n`);
    return EXIT.ok;
  },
};
