/**
 * The device scheduler, in its own thread: it owns the output port and sends each message at
 * its absolute deadline. It sleeps with Atomics.wait until about a millisecond before a
 * deadline and spins the rest, which keeps onsets within a few milliseconds even when the main
 * thread is busy (timers on the main thread drift by tens of milliseconds).
 *
 * Control from the parent goes through shared memory, because the thread is blocked while it
 * plays: `control[STOPPED_THROUGH]` reaching a play's id stops it at once, `tempo[0]` changes the
 * tempo live.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import {
  isValidChannelMessage,
  silenceMessages,
  soundingAfter,
  type TimedMessage,
} from '../../src-core/playback/midi-messages.ts';
import { loadMidiModule, type MidiOutput } from './midi-module.ts';
import { runSchedule, type Clock } from './schedule-loop.ts';
import {
  STOPPED_THROUGH,
  type ToScheduler,
  type FromScheduler,
  type SchedulerShared,
} from './scheduler-protocol.ts';

const port = parentPort;
if (!port) throw new Error('scheduler-worker must run in a worker thread');
const shared = workerData as SchedulerShared;
const control = new Int32Array(shared.control);
const tempo = new Float64Array(shared.tempo);

let output: MidiOutput | null = null;
let openName: string | null = null;

const post = (message: FromScheduler) => port.postMessage(message);

/** Sleeps most of the wait (waking early on stop), then spins the last ~2 ms. */
const clock: Clock = {
  now: () => performance.now(),
  waitUntil(deadline, stopped) {
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0 || stopped()) return;
      // Woken early by the parent's notify when it stops a play.
      if (left > 2) Atomics.wait(control, STOPPED_THROUGH, Atomics.load(control, STOPPED_THROUGH), left - 2);
      else
        while (performance.now() < deadline && !stopped()) {
          /* spin */
        }
    }
  },
};

function send(bytes: readonly number[]): void {
  if (!output || !isValidChannelMessage(bytes)) return;
  output.sendMessage([...bytes]);
}

function close(): void {
  if (!output) return;
  try {
    output.closePort();
    output.destroy();
  } catch {
    // Closing a port whose device is gone can fail; there is nothing left to do.
  }
  output = null;
  openName = null;
}

function handle(message: ToScheduler): void {
  switch (message.type) {
    case 'open': {
      if (openName === message.name && output) return post({ type: 'opened', name: message.name });
      close();
      try {
        const midi = loadMidiModule();
        const out = new midi.Output();
        if (message.virtual) out.openVirtualPort(message.name);
        else out.openPortByName(message.name);
        output = out;
        openName = message.name;
        post({ type: 'opened', name: message.name });
      } catch {
        post({
          type: 'error',
          code: 'midi/open-failed',
          message: `Cantus could not open the MIDI output “${message.name}”. Check that it is plugged in and not in use by another program.`,
        });
      }
      return;
    }
    case 'play': {
      if (!output)
        return post({
          type: 'error',
          code: 'midi/not-open',
          message: 'Choose a MIDI output first.',
          id: message.id,
        });
      const startAt = performance.now() + message.leadInMs;
      const result = runSchedule(message.messages as TimedMessage[], startAt, clock, {
        tempo: () => tempo[0]!,
        stopped: () => Atomics.load(control, STOPPED_THROUGH) >= message.id,
        send: (bytes, deadline) => {
          send(bytes);
          if (message.reportTiming)
            post({ type: 'sent', bytes: [...bytes], deadline, late: performance.now() - deadline });
        },
        onNote: (index) => post({ type: 'note', index }),
      });
      // Whatever still sounds is switched off; on stop, the channels used are silenced too.
      const sounding = soundingAfter(result.sent);
      for (const bytes of silenceMessages(result.finished ? [] : message.channels, sounding)) send(bytes);
      post({ type: 'done', id: message.id, finished: result.finished });
      return;
    }
    case 'send':
      for (const bytes of message.messages) send(bytes);
      return;
    case 'close': {
      // Closing right after the last note-off can drop it: give the port a moment.
      const until = performance.now() + 50;
      while (performance.now() < until) Atomics.wait(control, STOPPED_THROUGH + 1, 0, 10);
      close();
      post({ type: 'closed' });
      return;
    }
  }
}

port.on('message', (message: ToScheduler) => handle(message));
