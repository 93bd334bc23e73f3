/**
 * `npm run bench:midi`: how closely notes sent to a MIDI device keep time, measured at the far
 * end of a real JACK MIDI connection (jack_midi_dump timestamps in audio frames), with the main
 * thread idle and with it kept busy. Prints figures; asserts nothing.
 *
 * Needs the JACK test path: `source scripts/jack-midi.sh && jack_midi_setup` (npm run does it).
 */
import { makeMelody, secondsPerStep, type Note } from '../../src-core/music/melody.ts';
import { ok } from '../../src-core/result.ts';
import { DevicePlayer } from '../../src-main/midi/device-player.ts';
import { listMidiPorts } from '../../src-main/midi/midi-system.ts';
import { createNodeSchedulerWorker } from '../../src-main/midi/node-worker.ts';
import { jackUnavailable, JACK_SAMPLE_RATE, Recorder } from '../../test/support/jack.ts';

const why = jackUnavailable();
if (why) {
  console.error(`bench:midi needs the JACK MIDI path: ${why}`);
  process.exit(1);
}

const TEMPO = 120;
const RUNS = 3;
const outputs = () => {
  const ports = listMidiPorts();
  return ports.ok ? ports.value.outputs : [];
};

/** 64 notes: eighths and sixteenths over two octaves. */
function benchMelody() {
  const notes: Note[] = [];
  let at = 0;
  for (let i = 0; i < 64; i++) {
    const len = i % 3 === 0 ? 1 : 2;
    notes.push({ pitch: 60 + ((i * 5) % 24), start: at, end: at + len, velocity: 90 });
    at += len;
  }
  return makeMelody({ notes, tempo: TEMPO });
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Keeps the main thread busy: 30 ms of work in every 40 ms. */
function busyMainThread(): () => void {
  const timer = setInterval(() => {
    const until = performance.now() + 30;
    let x = 0;
    while (performance.now() < until) x += Math.sqrt(x + 1);
    if (x < 0) console.log(x);
  }, 40);
  return () => clearInterval(timer);
}

async function measure(busy: boolean): Promise<number[]> {
  const errors: number[] = [];
  const melody = benchMelody();
  const msPerStep = secondsPerStep(TEMPO) * 1000;
  for (let run = 0; run < RUNS; run++) {
    const recorder = await Recorder.start(`cantus-bench-${busy ? 'busy' : 'idle'}-${run}`, outputs);
    const player = new DevicePlayer({
      createWorker: createNodeSchedulerWorker,
      listOutputs: () => ok(outputs()),
      onEvent: () => undefined,
    });
    const opened = await player.open(recorder.port);
    if (!opened.ok) throw new Error(opened.error.message);
    const stopBusy = busy ? busyMainThread() : () => undefined;
    await player.play(melody, { channel: 0, program: null, tempo: TEMPO });
    stopBusy();
    await new Promise((r) => setTimeout(r, 200));
    await player.dispose();
    recorder.stop();
    const ons = recorder.events.filter((e) => (e.bytes[0]! & 0xf0) === 0x90 && e.bytes[2]! > 0);
    if (ons.length !== melody.notes.length)
      throw new Error(`received ${ons.length} of ${melody.notes.length} notes`);
    // A constant delay is latency, not timing error: measure from the mean offset.
    const offsets = ons.map(
      (e, i) => (e.frame / JACK_SAMPLE_RATE) * 1000 - melody.notes[i]!.start * msPerStep,
    );
    const latency = offsets.reduce((a, b) => a + b, 0) / offsets.length;
    for (const o of offsets) errors.push(Math.abs(o - latency));
  }
  return errors;
}

const row = (label: string, e: number[]) =>
  `${label.padEnd(26)} ${percentile(e, 0.5).toFixed(2).padStart(6)} ${percentile(e, 0.95).toFixed(2).padStart(6)} ${Math.max(
    ...e,
  )
    .toFixed(2)
    .padStart(6)}   (${e.length} onsets)`;

const idle = await measure(false);
const busy = await measure(true);
console.log(
  `MIDI onset timing at ${TEMPO} BPM through JACK (period ${((64 / JACK_SAMPLE_RATE) * 1000).toFixed(2)} ms), in ms`,
);
console.log(`${''.padEnd(26)} ${'p50'.padStart(6)} ${'p95'.padStart(6)} ${'max'.padStart(6)}`);
console.log(row('main thread idle', idle));
console.log(row('main thread busy (75%)', busy));
console.log('call-and-response reply latency: not measured yet (needs the melody generator).');
process.exit(0);
