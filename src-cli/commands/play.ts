/**
 * `cantus play FILE.mid --port NAME [--tempo BPM] [--channel 1-16] [--program 1-128] [--part ID]`:
 * plays a file's melody on a MIDI output and exits when it ends. Ctrl+C stops and silences.
 */
import { parseArgs } from 'node:util';
import { secondsPerStep } from '../../src-core/music/melody.ts';
import { DevicePlayer } from '../../src-main/midi/device-player.ts';
import { findPort, listMidiPorts } from '../../src-main/midi/midi-system.ts';
import { createNodeSchedulerWorker } from '../../src-main/midi/node-worker.ts';
import { ok } from '../../src-core/result.ts';
import { EXIT, failed, UsageError, type Command } from '../command.ts';
import { readMelodyFile } from '../files.ts';

function whole(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a number from ${min} to ${max}`);
  return n;
}

export const playCommand: Command = {
  name: 'play',
  summary: 'Play a MIDI file’s melody on a MIDI output',
  help: [
    'Usage: cantus play FILE.mid --port NAME [--tempo BPM] [--channel 1-16] [--program 1-128] [--part ID]',
    '',
    'Plays the melody Cantus finds in FILE.mid on the MIDI output NAME (see `cantus devices`)',
    'and exits when it ends. Ctrl+C stops and silences the device.',
    '  --tempo BPM      quarter notes per minute (default: the file’s tempo)',
    '  --channel N      MIDI channel 1-16 (default 1)',
    '  --program N      General MIDI sound 1-128 (default: the device’s own sound)',
    '  --part ID        which part of the file (see `cantus info`)',
  ].join('\n'),
  async run(args, out) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string' },
        tempo: { type: 'string' },
        channel: { type: 'string' },
        program: { type: 'string' },
        part: { type: 'string' },
      },
    });
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new UsageError('give one MIDI file to play');
    if (!values.port)
      throw new UsageError('give the output to play on with --port NAME (see `cantus devices`)');
    const tempoOption = whole(values.tempo, 'tempo', 10, 400);
    const channel = (whole(values.channel, 'channel', 1, 16) ?? 1) - 1;
    const programOption = whole(values.program, 'program', 1, 128);
    const program = programOption === undefined ? null : programOption - 1;

    const melody = await readMelodyFile(file, values.part);
    if (!melody.ok) return failed(out, melody.error.message);

    const ports = listMidiPorts();
    if (!ports.ok) return failed(out, ports.error.message);
    const port = findPort(ports.value.outputs, values.port, 'output');
    if (!port.ok) return failed(out, port.error.message);

    let lost: string | null = null;
    const player = new DevicePlayer({
      createWorker: createNodeSchedulerWorker,
      listOutputs: () => {
        const now = listMidiPorts();
        return now.ok ? ok(now.value.outputs) : now;
      },
      onEvent: (event) => {
        if (event.kind === 'unplugged') lost = event.message;
      },
    });
    const interrupt = () => player.stop();
    process.once('SIGINT', interrupt);
    try {
      const opened = await player.open(port.value);
      if (!opened.ok) return failed(out, opened.error.message);
      const tempo = tempoOption ?? melody.value.tempo;
      const seconds = melody.value.length * secondsPerStep(tempo);
      out.stdout(
        `Playing ${melody.value.notes.length} notes (${seconds.toFixed(1)} s at ${tempo} BPM) on “${port.value}”…\n`,
      );
      const played = await player.play(melody.value, { channel, program, tempo });
      if (!played.ok) return failed(out, played.error.message);
      if (lost) return failed(out, lost);
      if (!played.value.finished) {
        out.stdout('Stopped.\n');
        return 130;
      }
      return EXIT.ok;
    } finally {
      process.off('SIGINT', interrupt);
      await player.dispose();
    }
  },
};
