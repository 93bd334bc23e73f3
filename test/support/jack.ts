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
}
