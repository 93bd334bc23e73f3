/**
 * A real MIDI path for tests on machines without sound hardware: a JACK server with the dummy
 * driver, a JACK build of @julusian/midi (test-only, CANTUS_MIDI_MODULE), and jack_midi_dump
 * as the recorder at the far end. scripts/jack-midi.sh sets this up; `npm test` runs it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export const JACK_SAMPLE_RATE = 48000;

/** Why the JACK tests cannot run here, or null when they can. */
export function jackUnavailable(): string | null {
  if (!process.env['CANTUS_MIDI_MODULE'])
    return 'CANTUS_MIDI_MODULE is not set (run scripts/jack-midi.sh, or npm test as root)';
  const wait = spawnSync('jack_wait', ['-c'], { encoding: 'utf8' });
  if (wait.error || !/running/.test(wait.stdout))
    return 'no JACK server is running (start it with scripts/jack-midi.sh)';
  return null;
}

export interface RecordedEvent {
  /** Arrival time in JACK frames. */
  readonly frame: number;
  readonly bytes: readonly number[];
}

/** jack_midi_dump listening on a JACK MIDI input called `<name>:input`. */
export class Recorder {
  readonly port: string;
  readonly events: RecordedEvent[] = [];
  readonly #child: ChildProcess;
  #buffer = '';

  private constructor(name: string) {
    this.port = `${name}:input`;
    this.#child = spawn('jack_midi_dump', ['-a', name], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child.stdout!.setEncoding('utf8');
    this.#child.stdout!.on('data', (chunk: string) => {
      this.#buffer += chunk;
      const lines = this.#buffer.split('\n');
      this.#buffer = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^\s*(\d+):((?:\s[0-9a-f]{2})+)/.exec(line);
        if (m)
          this.events.push({
            frame: Number(m[1]),
            bytes: m[2]!
              .trim()
              .split(/\s+/)
              .map((h) => parseInt(h, 16)),
          });
      }
    });
  }

  static async start(name: string, listPorts: () => readonly string[]): Promise<Recorder> {
    const recorder = new Recorder(name);
    const until = Date.now() + 5000;
    while (!listPorts().includes(recorder.port)) {
      if (Date.now() > until) throw new Error(`JACK port ${recorder.port} did not appear`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return recorder;
  }

  /** "Unplugs" the device: the recorder quits and its port disappears. */
  stop(): void {
    this.#child.kill('SIGTERM');
  }

  /**
   * Unplugs the device and resolves once the recorder has exited, so its port is gone from
   * that moment on. (jack_midi_dump can take seconds to quit on a loaded machine; a test that
   * times how soon the unplugging is noticed starts its clock here.)
   */
  async unplug(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.stop();
    await exited;
  }
}

/**
 * How far onsets arrived from their schedule, in ms, with what is not timing error taken out.
 *
 * `errors`: each onset from the line offset = latency + drift x time, fitted by least squares. A
 * constant delay (lead-in, the path through JACK) is latency, and the dummy driver's frame clock
 * drifts against the system clock (`drift`, ms per second). But on an idle VM that clock also
 * loses whole stretches when the driver wakes late (xruns in .cache/jackd.log): seen as steps of
 * 10-60 ms in the offsets, which no line fits.
 *
 * `intervalErrors`: how far each gap between consecutive onsets is from the scheduled gap. A step
 * in JACK's clock spoils one gap, not every onset after it, so the median of these measures the
 * sender's evenness even when the receiving clock stumbles.
 */
export function onsetErrors(
  frames: readonly number[],
  scheduledMs: readonly number[],
): { errors: number[]; intervalErrors: number[]; drift: number } {
  const offsets = frames.map((f, i) => (f / JACK_SAMPLE_RATE) * 1000 - scheduledMs[i]!);
  const n = offsets.length;
  const mx = scheduledMs.reduce((a, b) => a + b, 0) / n;
  const my = offsets.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (scheduledMs[i]! - mx) * (offsets[i]! - my);
    sxx += (scheduledMs[i]! - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = my - slope * mx;
  return {
    errors: offsets.map((o, i) => Math.abs(o - (intercept + slope * scheduledMs[i]!))),
    intervalErrors: offsets.slice(1).map((o, i) => Math.abs(o - offsets[i]!)),
    drift: slope * 1000,
  };
}
