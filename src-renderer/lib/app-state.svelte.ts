/**
 * The window's state: the open melody, the file it came from, playback and messages.
 * Calls the pure core for all musical work and the host API for files.
 */
import type { AnswerPhase, EventPayload, HostApi, RecentFile } from '../../src-core/ipc/contract.ts';
import {
  extractMelody,
  MIDI_LIMITS,
  writeMelodyMidi,
  type ParsedMidi,
  type Part,
} from '../../src-core/midi/index.ts';
import { barGrid } from '../../src-core/music/bars.ts';
import { makeMelody, stepsPerBar, type Bpm, type Melody } from '../../src-core/music/melody.ts';
import { formatBytes } from '../../src-core/midi/limits.ts';
import { writeMelodyIntoFile } from '../../src-core/midi/write-into.ts';
import { openMidiFile, type OpenedFile } from '../../src-core/midi/open-file.ts';
import { buildScore } from '../../src-core/score/build-score.ts';
import type { Score } from '../../src-core/score/types.ts';
import { MusicWorker } from './music-worker.ts';
import { KeyboardRecorder } from './keyboard-recorder.svelte.ts';
import { MidiDeviceOutput } from './midi-output.ts';
import type { NoteOutput, TonePlayer } from './tone-player.ts';
import { welcomeMelody, WELCOME_TITLE } from './welcome.ts';

export interface Notice {
  readonly kind: 'error' | 'info';
  readonly text: string;
}

export const MIN_TEMPO = 30;
export const MAX_TEMPO = 240;

export class CantusState {
  melody = $state.raw<Melody>(welcomeMelody());
  /** Name shown in the title and used for saving. */
  documentName = $state(WELCOME_TITLE);
  /** The parsed file, kept so another part (track and channel) can be chosen. */
  parsed = $state.raw<ParsedMidi | null>(null);
  /**
   * The file the open melody came from (or continues, when a variation was kept), and its part:
   * Save writes the melody back into that part and keeps the rest of the song. Null for a
   * recorded, answered or lesson melody.
   */
  source = $state.raw<MelodySource | null>(null);
  parts = $state.raw<readonly Part[]>([]);
  partId = $state<string | null>(null);
  selected = $state<number | null>(null);
  playing = $state(false);
  playingNote = $state<number | null>(null);
  playingBar = $state<number | null>(null);
  /** Which score is playing: "main", or a variation's id. */
  playingSource = $state('main');
  tempo = $state<Bpm>(100);
  notice = $state<Notice | null>(null);
  recent = $state.raw<readonly RecentFile[]>([]);
  busy = $state(false);
  /** MIDI outputs there are now; `midiProblem` says why there are none, when there is no MIDI system. */
  midiOutputs = $state.raw<readonly string[]>([]);
  midiProblem = $state<string | null>(null);
  /** The MIDI output playing, or null for the in-app synth. */
  outputName = $state<string | null>(null);
  /** True when the output is Cantus's own virtual port, which other programs can listen to. */
  outputVirtual = $state(false);
  channel = $state(0);
  program = $state<number | null>(null);
  /** Call and response: what Cantus is doing, and how quickly the last answer came (ms). */
  answerPhase = $state<AnswerPhase>('off');
  answerLatency = $state<number | null>(null);

  /** Scores the music worker laid out with the melodies it read, so they are not laid out again. */
  readonly #scores = new WeakMap<Melody, Score>();
  readonly score = $derived(this.#scores.get(this.melody) ?? buildScore(this.melody));
  /** A big file being opened in the music worker, or null. */
  opening = $state<{ name: string } | null>(null);
  readonly #music = new MusicWorker();
  /** The open melody's bars: its pickup and time signature changes (music/bars.ts). */
  readonly grid = $derived(barGrid(this.melody));
  /** The number a score prints on the last bar: the melody's bars, a pickup not counted. */
  readonly bars = $derived(this.grid.bars.at(-1)!.number);
  /** The bar being played, as the score numbers it. */
  readonly playingBarNumber = $derived(
    this.playingBar === null ? null : (this.grid.bars[this.playingBar]?.number ?? null),
  );

  readonly keyboard: KeyboardRecorder;

  readonly #host: HostApi;
  readonly #synth: NoteOutput;
  readonly #device: MidiDeviceOutput;
  /** Documents replaced by opening or recording, newest last, for Undo. */
  #history: Snapshot[] = [];
  /** The document shown before recording began, restored if nothing is played. */
  #beforeRecording: Snapshot | null = null;

  constructor(host: HostApi, synth: NoteOutput & Pick<TonePlayer, 'click'>) {
    this.#host = host;
    this.#synth = synth;
    this.#device = new MidiDeviceOutput(host, () => ({ channel: this.channel, program: this.program }));
    this.keyboard = new KeyboardRecorder(host, {
      click: (times) => synth.click(times),
      progress: (melody) => (this.melody = melody),
      error: (message) => this.#error(message),
    });
    this.tempo = this.melody.tempo;
  }

  get canUndo(): boolean {
    return this.#history.length > 0;
  }

  /** Brings back the document that opening a file or recording replaced. */
  undo(): void {
    const previous = this.#history.pop();
    if (!previous) return;
    this.stop();
    this.#restore(previous);
    this.notice = { kind: 'info', text: `Back to “${previous.documentName}”.` };
  }

  /** Count-in, then record from the chosen keyboard (R, or the Record button). */
  startRecording(): void {
    if (!this.keyboard.inputName || this.keyboard.phase !== 'idle') return;
    this.stop();
    this.#beforeRecording = this.#snapshot();
    this.parsed = null;
    this.source = null;
    this.parts = [];
    this.partId = null;
    this.melody = makeMelody({
      notes: [],
      meter: this.melody.meter,
      tempo: this.melody.tempo,
      length: stepsPerBar(this.melody.meter),
      title: 'Recording',
    });
    this.documentName = 'Recording';
    this.selected = null;
    this.notice = null;
    this.keyboard.start(this.tempo, this.melody.meter);
  }

  /** Ends recording: what was played becomes the open melody (Undo brings the old one back). */
  finishRecording(): void {
    const before = this.#beforeRecording;
    this.#beforeRecording = null;
    if (this.keyboard.phase === 'idle' || !before) return;
    const melody = this.keyboard.finish();
    if (!melody) {
      this.#restore(before);
      this.notice = { kind: 'info', text: 'Nothing was played, so the melody is as it was.' };
      return;
    }
    this.#history.push(before);
    this.#show(makeRecorded(melody), 'Recorded melody');
    this.notice = {
      kind: 'info',
      text: `Recorded ${melody.notes.length} notes. Ctrl+Z brings back “${before.documentName}”.`,
    };
  }

  get #output(): NoteOutput {
    return this.outputName === null ? this.#synth : this.#device;
  }

  async refreshPorts(): Promise<void> {
    const reply = await this.#host['midi:ports']();
    if (reply.ok) this.setPorts(reply.value.outputs, reply.value.inputs);
    else this.setPorts([], [], reply.error.message);
  }

  setPorts(outputs: readonly string[], inputs: readonly string[], problem: string | null = null): void {
    this.midiOutputs = outputs;
    this.keyboard.inputs = inputs;
    this.midiProblem = problem;
  }

  /**
   * Chooses where Play sounds: null for the in-app synth, a MIDI output's name, or (virtual)
   * a port of Cantus's own that a DAW can listen to.
   */
  async chooseOutput(name: string | null, virtual = false): Promise<void> {
    if (name === this.outputName && virtual === this.outputVirtual) return;
    this.stop();
    this.outputName = null;
    this.outputVirtual = false;
    if (name === null) {
      if (this.answerPhase !== 'off') await this.#answerMode();
      return;
    }
    const reply = await this.#host['midi:open-output']({ name, virtual });
    if (!reply.ok) return this.#error(reply.error.message);
    this.outputName = name;
    this.outputVirtual = virtual;
    // Answers go where playback goes.
    if (this.answerPhase !== 'off') await this.#answerMode();
    this.notice = virtual
      ? { kind: 'info', text: `Other programs can now listen to the MIDI port “${name}”.` }
      : null;
  }

  /** A device went away: stop, fall back to the in-app synth or end recording, and say so. */
  deviceLost(name: string, message: string): void {
    if (this.keyboard.inputName === name) {
      if (this.keyboard.phase !== 'idle') this.finishRecording();
      this.keyboard.lost(name);
      return this.#error(message);
    }
    if (this.outputName !== name) return;
    if (this.playing) this.#stopped();
    this.outputName = null;
    this.outputVirtual = false;
    this.#error(message);
  }

  /** Call and response on or off: Cantus answers each phrase played on the chosen keyboard. */
  async toggleAnswering(): Promise<void> {
    if (this.answerPhase !== 'off') {
      await this.#host['midi:answer-mode']({ on: false });
      this.answerPhase = 'off';
      return;
    }
    this.stop();
    const reply = await this.#answerMode();
    if (!reply.ok) return this.#error(reply.error.message);
    this.answerLatency = null;
    this.notice = { kind: 'info', text: 'Play a phrase on your keyboard, then wait a bar: Cantus answers.' };
  }

  /** Call and response with the current tempo, meter and output. */
  #answerMode() {
    return this.#host['midi:answer-mode']({
      on: true,
      tempo: this.tempo,
      meter: this.melody.meter,
      maxBars: 4,
      temperature: 1,
      onDevice: this.outputName !== null,
      channel: this.channel,
      program: this.program,
    });
  }

  /** News from call and response (the `midi:answer` event). */
  onAnswer(event: EventPayload<'midi:answer'>): void {
    this.answerPhase = event.phase;
    if (event.message) this.#error(event.message);
    if (!event.melody || event.answerStart === undefined) return;
    if (this.documentName !== 'Call and response') this.#history.push(this.#snapshot());
    this.parsed = null;
    this.source = null;
    this.parts = [];
    this.partId = null;
    this.melody = event.melody;
    this.documentName = 'Call and response';
    if (event.latencyMs === undefined) return;
    if (this.outputName !== null) {
      this.answerLatency = event.latencyMs;
      return;
    }
    // No MIDI output: the in-app synth plays the answer, from its first note.
    const fresh = event.melody.notes.filter((n) => n.start >= event.answerStart!);
    const lead = fresh[0]?.start ?? event.answerStart;
    const answer: Melody = {
      ...event.melody,
      notes: fresh.map((n) => ({ ...n, start: n.start - lead, end: n.end - lead })),
      length: event.melody.length - lead,
    };
    const received = performance.now();
    let first = true;
    const done = () => void this.#host['midi:answered']();
    void this.#synth.play(answer, this.tempo, {
      onNote: () => {
        if (first) this.answerLatency = event.latencyMs! + (performance.now() - received);
        first = false;
      },
      onBar: () => undefined,
      onEnd: done,
      onError: done,
    });
  }

  /** Asks main for a melody model folder; says why when it is not one. */
  async chooseModelFolder(): Promise<{ url: string; name: string } | null> {
    const reply = await this.#host['model:choose-folder']();
    if (!reply.ok) {
      this.#error(reply.error.message);
      return null;
    }
    if (reply.value)
      this.notice = { kind: 'info', text: `New melodies now come from the model “${reply.value.name}”.` };
    return reply.value;
  }

  /** Sounds one note briefly on the in-app synth (the on-screen keyboard). */
  sound(pitch: number): void {
    void this.#synth.play(makeMelody({ notes: [{ pitch, start: 0, end: 2, velocity: 90 }] }), this.tempo, {
      onNote: () => undefined,
      onBar: () => undefined,
      onEnd: () => undefined,
      onError: () => undefined,
    });
  }

  /** All notes off on every channel of the MIDI output. */
  panic(): void {
    this.stop();
    this.#device.panic();
  }

  async refreshRecent(): Promise<void> {
    const reply = await this.#host['library:recent']();
    if (reply.ok) this.recent = reply.value;
  }

  /** Open button, menu and Ctrl+O: the system dialog in main. */
  async open(): Promise<void> {
    await this.#run(async () => {
      const reply = await this.#host['file:open-midi']();
      if (!reply.ok) return this.#error(reply.error.message);
      if (reply.value)
        await this.#opened(reply.value.path, await this.loadBytes(reply.value.name, reply.value.bytes));
    });
  }

  /** A file that opened joins the recent list; one that could not be opened does not. */
  async #opened(path: string, loaded: boolean): Promise<void> {
    if (!loaded) return;
    await this.#host['library:opened']({ path });
    await this.refreshRecent();
  }

  /** A file from the recent list or from the OS ("open with"). */
  async openPath(path: string): Promise<void> {
    await this.#run(async () => {
      const reply = await this.#host['file:read-midi']({ path });
      if (!reply.ok) return this.#error(reply.error.message);
      await this.#opened(reply.value.path, await this.loadBytes(reply.value.name, reply.value.bytes));
    });
  }

  /** A file dropped on the window. */
  async openDropped(file: File): Promise<void> {
    if (file.size > MIDI_LIMITS.maxFileBytes) {
      return this.#error(
        `"${file.name}" is ${formatBytes(file.size)}, more than the ${formatBytes(MIDI_LIMITS.maxFileBytes)} Cantus opens. Choose a smaller MIDI file.`,
      );
    }
    await this.#run(async () => {
      await this.loadBytes(file.name, new Uint8Array(await file.arrayBuffer()));
    });
  }

  /**
   * Reads MIDI bytes; on failure the open melody stays as it was and the user is told why.
   * True when the file opened. A file over OPEN_OFF_THREAD_BYTES is read, and its score laid
   * out, in the music worker while the window says so and offers Cancel (`cancelOpening`).
   */
  async loadBytes(name: string, bytes: Uint8Array): Promise<boolean> {
    if (bytes.length <= OPEN_OFF_THREAD_BYTES) {
      const opened = openMidiFile(bytes);
      if (!opened.ok) {
        this.#error(`Could not open "${name}". ${opened.error.message}`);
        return false;
      }
      this.#apply(name, bytes, opened.value);
      return true;
    }
    this.opening = { name };
    const reply = await this.#music.open(bytes);
    if (this.opening?.name === name) this.opening = null;
    if (!reply) return false; // cancelled: the open melody stays
    if (!reply.ok) {
      this.#error(`Could not open "${name}". ${reply.message}`);
      return false;
    }
    this.#scores.set(reply.file.melody, reply.score);
    this.#apply(name, bytes, reply.file);
    return true;
  }

  /** Stops opening a big file; the melody open before stays. */
  cancelOpening(): void {
    this.#music.cancel('open');
    this.opening = null;
  }

  #apply(name: string, bytes: Uint8Array, opened: OpenedFile): void {
    const { parsed, parts, part, melody, said } = opened;
    this.stop();
    this.#history.push(this.#snapshot());
    this.parsed = parsed;
    this.parts = [...parts];
    this.partId = part?.id ?? null;
    this.source = part ? { name, bytes, partId: part.id, partLabel: part.label.split(':')[0]! } : null;
    this.#show(melody, stripExtension(name));
    // What the file holds beyond one part, and whatever was simplified, said once.
    this.notice = said.length > 0 ? { kind: 'info', text: said.join(' ') } : null;
  }

  choosePart(id: string): void {
    if (!this.parsed || id === this.partId) return;
    const extracted = extractMelody(this.parsed, id);
    if (!extracted.ok) return this.#error(extracted.error.message);
    this.stop();
    this.partId = id;
    const part = this.parts.find((p) => p.id === id);
    if (this.source && part)
      this.source = { ...this.source, partId: id, partLabel: part.label.split(':')[0]! };
    this.#show(extracted.value, this.documentName);
    this.notice = null;
  }

  /**
   * Save (Ctrl+S). A melody from a file (or a variation kept over it) goes back into its part of
   * that file, with every other part, the tempo map and the rest kept; the dialog suggests the
   * file's own name. Anything else is saved as a melody on its own.
   */
  async save(): Promise<void> {
    const source = this.source;
    if (!source) return this.saveMelody(this.melody, this.documentName);
    const written = writeMelodyIntoFile(source.bytes, source.partId, this.melody);
    if (!written.ok) {
      await this.saveMelody(this.melody, `${this.documentName} (melody)`);
      if (this.notice?.kind !== 'error')
        this.notice = {
          kind: 'info',
          text: `${written.error.message} The melody was offered on its own, under a new name, so “${source.name}” is as it was.`,
        };
      return;
    }
    await this.#run(async () => {
      const reply = await this.#host['file:save-midi']({ suggestedName: source.name, bytes: written.value });
      if (!reply.ok) return this.#error(reply.error.message);
      if (!reply.value) return;
      this.notice = {
        kind: 'info',
        text: `Saved “${reply.value.name}”: the melody went back into its part (${source.partLabel}); the file's other parts, tempo and meter are as they were.`,
      };
      this.source = { ...source, name: reply.value.name, bytes: written.value };
      await this.refreshRecent();
    });
  }

  /** Saves any melody (the open one, a variation) as a MIDI file where the user chooses. */
  async saveMelody(melody: Melody, name: string): Promise<void> {
    await this.#run(async () => {
      const bytes = writeMelodyMidi({ ...melody, tempo: this.tempo, title: name });
      const reply = await this.#host['file:save-midi']({ suggestedName: `${safeFileName(name)}.mid`, bytes });
      if (!reply.ok) return this.#error(reply.error.message);
      if (reply.value) {
        this.notice = { kind: 'info', text: `Saved “${reply.value.name}”.` };
        await this.refreshRecent();
      }
    });
  }

  /**
   * Makes `melody` the open melody; Ctrl+Z brings the old one back. A kept variation continues
   * the open melody, so it stays tied to the file that came from (Save puts it back there); a
   * lesson's melody (`ownMelody`) is a melody of its own.
   */
  keep(melody: Melody, name: string, announce = true, ownMelody = false): void {
    this.stop();
    const before = this.#snapshot();
    this.#history.push(before);
    this.parsed = null;
    this.parts = [];
    this.partId = null;
    if (ownMelody) this.source = null;
    this.#show(melody, name);
    if (announce)
      this.notice = {
        kind: 'info',
        text: `“${name}” is now the open melody. Ctrl+Z brings back “${before.documentName}”.`,
      };
  }

  async togglePlay(): Promise<void> {
    return this.playMelody(this.melody, 'main');
  }

  /**
   * Plays `melody`, lit in the score named `source` ("main", or a variation's); pressing Play
   * on what is already playing stops it.
   */
  async playMelody(melody: Melody, source: string): Promise<void> {
    const same = this.playing && this.playingSource === source;
    this.stop();
    if (same || melody.notes.length === 0) return;
    this.playing = true;
    this.playingSource = source;
    try {
      await this.#output.play(melody, this.tempo, {
        onNote: (i) => (this.playingNote = i),
        onBar: (b) => (this.playingBar = b),
        onEnd: () => this.#stopped(),
        onError: (message) => {
          this.#stopped();
          this.#error(message);
        },
      });
    } catch {
      this.#stopped();
      this.#error(
        'Cantus could not start the sound. Check that an audio output is connected, then press Play again.',
      );
    }
  }

  stop(): void {
    if (!this.playing) return;
    this.#output.stop();
    this.#stopped();
  }

  setTempo(value: number): void {
    if (!Number.isFinite(value)) return;
    this.tempo = Math.round(Math.min(MAX_TEMPO, Math.max(MIN_TEMPO, value)));
    this.#output.setTempo(this.tempo);
  }

  select(index: number | null): void {
    if (index === null || (index >= 0 && index < this.melody.notes.length)) this.selected = index;
  }

  /** Moves the selection by `delta` notes (arrow keys on the score). */
  moveSelection(delta: number): void {
    const count = this.melody.notes.length;
    if (count === 0) return;
    const from = this.selected ?? (delta > 0 ? -1 : count);
    this.selected = Math.min(count - 1, Math.max(0, from + delta));
  }

  barOfNote(index: number): number {
    const note = this.melody.notes[index];
    return note ? this.grid.barAt(note.start) : 0;
  }

  dismissNotice(): void {
    this.notice = null;
  }

  #show(melody: Melody, name: string): void {
    this.melody = melody;
    this.documentName = name;
    this.tempo = Math.round(Math.min(MAX_TEMPO, Math.max(MIN_TEMPO, melody.tempo)));
    this.selected = null;
  }

  #snapshot(): Snapshot {
    return {
      melody: this.melody,
      documentName: this.documentName,
      parsed: this.parsed,
      parts: this.parts,
      partId: this.partId,
      source: this.source,
    };
  }

  #restore(s: Snapshot): void {
    this.parsed = s.parsed;
    this.parts = s.parts;
    this.partId = s.partId;
    this.source = s.source;
    this.#show(s.melody, s.documentName);
  }

  #stopped(): void {
    this.playing = false;
    this.playingNote = null;
    this.playingBar = null;
  }

  #error(text: string): void {
    this.notice = { kind: 'error', text };
  }

  async #run(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    try {
      await work();
    } catch {
      this.#error(
        'Something went wrong talking to Cantus. Try again; if it keeps happening, restart Cantus.',
      );
    } finally {
      this.busy = false;
    }
  }
}

interface Snapshot {
  readonly melody: Melody;
  readonly documentName: string;
  readonly parsed: ParsedMidi | null;
  readonly parts: readonly Part[];
  readonly partId: string | null;
  readonly source: MelodySource | null;
}

/** The file a melody came from: its name, its bytes as opened, and the part the melody is. */
interface MelodySource {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly partId: string;
  readonly partLabel: string;
}

/** A recorded melody keeps whole bars and is named for saving. */
function makeRecorded(melody: Melody): Melody {
  const bar = stepsPerBar(melody.meter);
  return {
    ...melody,
    length: Math.ceil(Math.max(1, melody.notes.at(-1)?.end ?? 0) / bar) * bar,
    title: 'Recorded melody',
  };
}

/**
 * Files bigger than this are opened in the music worker (a 1,000-bar melody is about 40 KB): a
 * small file opens at once on the window's thread, in far less time than a worker takes to start.
 */
export const OPEN_OFF_THREAD_BYTES = 24 * 1024;

function stripExtension(name: string): string {
  return name.replace(/\.midi?$/i, '') || 'Untitled';
}

function safeFileName(name: string): string {
  const printable = [...name].filter((c) => c.charCodeAt(0) >= 32).join('');
  return (
    printable
      .replace(/[\\/:*?"<>|]+/g, ' ')
      .trim()
      .slice(0, 120) || 'melody'
  );
}
