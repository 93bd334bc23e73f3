/**
 * `npm run bench:midi`: how closely notes sent to a MIDI device keep time, measured at the far
 * end of a real JACK MIDI connection (jack_midi_dump timestamps in audio frames), with the main
 * thread idle and with it kept busy, beside the scheduler's own send-time error (how late each
 * message left Cantus, measured in the scheduler thread: Cantus's figure, free of JACK's clock);
 * and how soon call and response answers a phrase. Prints figures; asserts nothing.
 *
 * Needs the JACK test path: `source scripts/jack-midi.sh && jack_midi_setup` (npm run does it).
 */
import { makeMelody, secondsPerStep, type Note } from '../../src-core/music/melody.ts';
import { ok } from '../../src-core/result.ts';
import { DevicePlayer } from '../../src-main/midi/device-player.ts';
import { listMidiPorts } from '../../src-main/midi/midi-system.ts';
import { createNodeSchedulerWorker } from '../../src-main/midi/node-worker.ts';
import type { AnswerEvent } from '../../src-main/midi/call-response.ts';
import { loadMidiModule } from '../../src-main/midi/midi-module.ts';
import { MidiService } from '../../src-main/midi/midi-service.ts';
import { loadStepModel } from '../../src-engine/node-model.ts';
import { jackUnavailable, JACK_SAMPLE_RATE, onsetErrors, Recorder } from '../../test/support/jack.ts';

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

async function measure(
  busy: boolean,
): Promise<{ onsets: number[]; gaps: number[]; sendLate: number[]; drift: number[] }> {
  const errors: number[] = [];
  const gaps: number[] = [];
  const sendLate: number[] = [];
  const drift: number[] = [];
  const melody = benchMelody();
  const msPerStep = secondsPerStep(TEMPO) * 1000;
  for (let run = 0; run < RUNS; run++) {
    const recorder = await Recorder.start(`cantus-bench-${busy ? 'busy' : 'idle'}-${run}`, outputs);
    const player = new DevicePlayer({
      createWorker: createNodeSchedulerWorker,
      listOutputs: () => ok(outputs()),
      onEvent: (e) => {
        if (e.kind === 'sent') sendLate.push(e.late);
      },
    });
    const opened = await player.open(recorder.port);
    if (!opened.ok) throw new Error(opened.error.message);
    const stopBusy = busy ? busyMainThread() : () => undefined;
    await player.play(melody, { channel: 0, program: null, tempo: TEMPO, reportTiming: true });
    stopBusy();
    await new Promise((r) => setTimeout(r, 200));
    await player.dispose();
    recorder.stop();
    const ons = recorder.events.filter((e) => (e.bytes[0]! & 0xf0) === 0x90 && e.bytes[2]! > 0);
    if (ons.length !== melody.notes.length)
      throw new Error(`received ${ons.length} of ${melody.notes.length} notes`);
    // Latency and the dummy driver's clock drift are not timing error (onsetErrors).
    const measured = onsetErrors(
      ons.map((e) => e.frame),
      melody.notes.map((n) => n.start * msPerStep),
    );
    errors.push(...measured.errors);
    gaps.push(...measured.intervalErrors);
    drift.push(measured.drift);
  }
  return { onsets: errors, gaps, sendLate, drift };
}

/** Plays `count` phrases on a virtual keyboard and times each answer (see src-main/midi/call-response.ts). */
async function replyLatencies(count: number): Promise<number[]> {
  const midi = loadMidiModule();
  const keys = new midi.Output();
  keys.openVirtualPort('cantus-bench-keys');
  const recorder = await Recorder.start('cantus-bench-answers', outputs);
  const latencies: number[] = [];
  let waiting: ((ms: number) => void) | null = null;
  let listening: (() => void) | null = null;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  const service = new MidiService({
    createWorker: createNodeSchedulerWorker,
    emit: (event, payload) => {
      const answer = payload as AnswerEvent;
      if (event === 'midi:answer' && answer.phase === 'listening') listening?.();
      if (event === 'midi:answer' && answer.latencyMs !== undefined) waiting?.(answer.latencyMs);
    },
    loadModel: () => loadStepModel(),
  });
  try {
    const keyboard = midi.Input.getPortNames().find((p) => p.endsWith(':cantus-bench-keys'))!;
    await service.openOutput(recorder.port, false);
    service.openInput(keyboard);
    service.answerMode({
      tempo: 240,
      meter: { numerator: 4, denominator: 4 },
      maxBars: 1,
      temperature: 1,
      onDevice: true,
      channel: 0,
      program: null,
    });
    const asked = performance.now();
    await ready; // the model loaded and run once ('preparing' until then)
    console.log(
      `Call and response ready to listen ${(performance.now() - asked).toFixed(0)} ms after it was switched on`,
    );
    for (let i = 0; i < count; i++) {
      const answered = new Promise<number>((resolve) => (waiting = resolve));
      for (const pitch of [62, 66, 69, 74, 73, 71, 69, 66]) {
        keys.sendMessage([0x90, pitch, 90]);
        await new Promise((r) => setTimeout(r, 110));
        keys.sendMessage([0x80, pitch, 0]);
        await new Promise((r) => setTimeout(r, 15));
      }
      latencies.push(await answered);
      await new Promise((r) => setTimeout(r, 1500)); // let the answer finish
    }
    return latencies;
  } finally {
    await service.dispose();
    recorder.stop();
    keys.closePort();
    keys.destroy();
  }
}

const row = (label: string, e: number[]) =>
  `${label.padEnd(32)} ${percentile(e, 0.5).toFixed(2).padStart(6)} ${percentile(e, 0.95).toFixed(2).padStart(6)} ${Math.max(
    ...e,
  )
    .toFixed(2)
    .padStart(6)}   (${e.length})`;

const idle = await measure(false);
const busy = await measure(true);
console.log(
  `MIDI onset timing at ${TEMPO} BPM through JACK (period ${((64 / JACK_SAMPLE_RATE) * 1000).toFixed(2)} ms), in ms`,
);
console.log(`${''.padEnd(32)} ${'p50'.padStart(6)} ${'p95'.padStart(6)} ${'max'.padStart(6)}`);
console.log(row('idle: sent late (scheduler)', idle.sendLate));
console.log(row('idle: onsets', idle.onsets));
console.log(row('idle: gaps between notes', idle.gaps));
console.log(row('busy (75%): sent late (scheduler)', busy.sendLate));
console.log(row('busy (75%): onsets', busy.onsets));
console.log(row('busy (75%): gaps between notes', busy.gaps));
const drifts = [...idle.drift, ...busy.drift].map((d) => d.toFixed(1)).join(', ');
console.log(
  `JACK dummy clock drift against the system clock, fitted out of the onsets: ${drifts} ms per second`,
);
console.log(
  "(Onsets: from a fitted latency + drift line. JACK's dummy clock also loses 10-60 ms steps when an idle VM wakes it late, which inflate the onsets' p95 and max; gaps between notes are spoiled once by such a step, so their median is the sender's own evenness. See onsetErrors in test/support/jack.ts.)",
);
const replies = await replyLatencies(20);
console.log(
  `Call and response, end of the phrase to the first answered note (model warm, answers on the device): median ${percentile(replies, 0.5).toFixed(0)} ms, max ${Math.max(...replies).toFixed(0)} ms over ${replies.length} phrases`,
);
process.exit(0);
