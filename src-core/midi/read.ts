/**
 * Reading Standard MIDI Files into plain data: header facts, the first tempo, the bars and key,
 * a summary of every track and channel, and every note with its times in ticks.
 */
import {
  DEFAULT_METER,
  DEFAULT_TEMPO,
  type Bpm,
  type Key,
  type KeyChange,
  type Meter,
  type MeterChange,
  type MidiPitch,
  type Steps,
} from '../music/melody.ts';
import { barsFromSignatures } from '../music/bars.ts';
import type { TempoChange } from '../music/tempo.ts';
import { fail, ok, type Result } from '../result.ts';
import { keyName } from '../music/key.ts';
import { keyFromSignature } from './key-signature.ts';
import { MIDI_LIMITS } from './limits.ts';
import { quartersToStep } from './monophony.ts';
import { scanSmf, type ScannedSmf } from './scan.ts';
import { byteStringToText, decodeSmf, type SmfData } from './smf.ts';

/** A time in MIDI ticks (see `ParsedMidi.ticksPerQuarter`). */
export type Ticks = number;

/** The MIDI channel (0-15) General MIDI reserves for drums ("channel 10" to people). */
export const DRUM_CHANNEL = 9;

/** One note as found in the file. */
export interface RawNote {
  /** Index of the track chunk, from 0. */
  readonly track: number;
  /** MIDI channel, 0-15. */
  readonly channel: number;
  readonly pitch: MidiPitch;
  /** Note-on velocity, 1-127. */
  readonly velocity: number;
  readonly startTick: Ticks;
  /** Exclusive; equal to `startTick` for a note switched off at once. */
  readonly endTick: Ticks;
}

export interface ChannelSummary {
  /** 0-15 */
  readonly channel: number;
  readonly noteCount: number;
  /** True for channel index 9 (channel 10), where General MIDI puts drums. */
  readonly isDrums: boolean;
  /** The first program change (0-127) for this channel in this track, if there is one. */
  readonly program: number | null;
  readonly lowest: MidiPitch;
  readonly highest: MidiPitch;
}

export interface TrackSummary {
  /** From 0, in file order. */
  readonly index: number;
  /** The track's first track-name event, trimmed; null when absent or blank. */
  readonly name: string | null;
  readonly noteCount: number;
  /** Tick of the track's last event (normally its end-of-track). */
  readonly endTick: Ticks;
  /** Channels that have notes in this track, by channel number. */
  readonly channels: readonly ChannelSummary[];
}

export interface ParsedMidi {
  readonly format: 0 | 1;
  readonly ticksPerQuarter: number;
  /** The first valid tempo, rounded to 2 decimals; 120 when the file has none. */
  readonly tempo: Bpm;
  /** Each later tempo that differs from the one before, in steps. */
  readonly tempoChanges: readonly TempoChange[];
  /**
   * The time signature of the first full bar; 4/4 when the file has none. With `pickup` and
   * `meterChanges`, the bars the file's time signatures state (music/bars.ts, `barsFromSignatures`).
   */
  readonly meter: Meter;
  /** Steps of an opening incomplete bar, 0 for none. */
  readonly pickup: Steps;
  readonly meterChanges: readonly MeterChange[];
  /** The first key signature, or null when the file declares none. */
  readonly key: Key | null;
  /** Each later key signature that differs from the one before, in steps. */
  readonly keyChanges: readonly KeyChange[];
  readonly tracks: readonly TrackSummary[];
  /** Every note, sorted by start tick, then track, channel and pitch. */
  readonly notes: readonly RawNote[];
  /** The tick of the last event in any track. */
  readonly durationTicks: Ticks;
}

/**
 * Reads MIDI file bytes. Never throws: a damaged, unsupported or hostile file gives a
 * problem with a `midi/...` code and a message a teacher can act on. Things Cantus reads
 * but simplifies are reported as warnings.
 */
export function readMidi(bytes: Uint8Array): Result<ParsedMidi> {
  let scanned: Result<ScannedSmf>;
  let data: SmfData;
  try {
    scanned = scanSmf(bytes);
    if (!scanned.ok) return scanned;
    data = decodeSmf(cleanFile(scanned.value));
  } catch {
    // The scan should make this impossible; whatever the library threw stays out of sight.
    return fail(
      'midi/decode-failed',
      'Cantus could not read the music in this MIDI file. The file may be damaged; try exporting it again.',
    );
  }
  try {
    return interpret(scanned.value, data, scanned.warnings ?? []);
  } catch {
    return fail(
      'midi/decode-failed',
      'Cantus could not read the music in this MIDI file. The file may be damaged; try exporting it again.',
    );
  }
}

/**
 * The file's events as the SMF library gives them (header and per-track event lists), after the
 * same checks as readMidi; for rewriting a file (write-into.ts). Never throws.
 */
export function decodeMidiEvents(bytes: Uint8Array): Result<SmfData> {
  try {
    const scanned = scanSmf(bytes);
    if (!scanned.ok) return scanned;
    return ok(decodeSmf(cleanFile(scanned.value)));
  } catch {
    return fail(
      'midi/decode-failed',
      'Cantus could not read the music in this MIDI file. The file may be damaged; try exporting it again.',
    );
  }
}

/** Header plus the MTrk chunks only: the shape the decoder expects, with unknown chunks gone. */
function cleanFile(scan: ScannedSmf): Uint8Array {
  const size = 14 + scan.tracks.reduce((s, t) => s + 8 + t.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set([0x4d, 0x54, 0x68, 0x64], 0);
  view.setUint32(4, 6);
  view.setUint16(8, scan.format);
  view.setUint16(10, scan.tracks.length);
  view.setUint16(12, scan.ticksPerQuarter);
  let at = 14;
  for (const track of scan.tracks) {
    out.set([0x4d, 0x54, 0x72, 0x6b], at);
    view.setUint32(at + 4, track.length);
    out.set(track, at + 8);
    at += 8 + track.length;
  }
  return out;
}

interface Timed<T> {
  readonly tick: Ticks;
  readonly track: number;
  readonly value: T;
}

function interpret(scan: ScannedSmf, data: SmfData, scanWarnings: readonly string[]): Result<ParsedMidi> {
  const warnings = [...scanWarnings];
  const tempos: Timed<number>[] = [];
  const meters: Timed<{ numerator: number; denominator: number }>[] = [];
  const keys: Timed<{ sharps: number; minor: number }>[] = [];
  const notes: RawNote[] = [];
  const tracks: TrackSummary[] = [];
  let durationTicks = 0;

  data.tracks.forEach((events, trackIndex) => {
    let tick = 0;
    let name: string | null = null;
    const programs = new Map<number, number>();
    /**
     * Notes sounding, by channel * 128 + pitch, in the order they began. A note-off ends
     * the oldest one (first in, first out). This also reads files that re-strike a note by
     * putting its note-on just before the old note-off at the same tick: the old note,
     * begun earlier, is the one that ends.
     */
    const open = new Map<number, { items: { start: Ticks; velocity: number }[]; head: number }>();
    const trackNotes: RawNote[] = [];
    const close = (channel: number, pitch: number, at: Ticks): void => {
      const queue = open.get(channel * 128 + pitch);
      if (!queue || queue.head >= queue.items.length) return; // a note-off without a note-on: ignore it
      const begun = queue.items[queue.head++]!;
      trackNotes.push({
        track: trackIndex,
        channel,
        pitch,
        velocity: begun.velocity,
        startTick: begun.start,
        endTick: at,
      });
    };

    for (const event of events) {
      tick += event.deltaTime;
      switch (event.type) {
        case 'noteOn': {
          const key = event.channel * 128 + event.noteNumber;
          const queue = open.get(key) ?? { items: [], head: 0 };
          queue.items.push({ start: tick, velocity: event.velocity });
          open.set(key, queue);
          break;
        }
        case 'noteOff':
          close(event.channel, event.noteNumber, tick);
          break;
        case 'programChange':
          if (!programs.has(event.channel)) programs.set(event.channel, event.programNumber);
          break;
        case 'trackName':
          if (name === null) {
            const text = byteStringToText(event.text).replace(/\0/g, '').trim();
            if (text !== '') name = text;
          }
          break;
        case 'setTempo':
          tempos.push({ tick, track: trackIndex, value: event.microsecondsPerBeat });
          break;
        case 'timeSignature':
          meters.push({
            tick,
            track: trackIndex,
            value: { numerator: event.numerator, denominator: event.denominator },
          });
          break;
        case 'keySignature':
          keys.push({ tick, track: trackIndex, value: { sharps: event.key, minor: event.scale } });
          break;
        default:
          break;
      }
    }
    // Notes still sounding when the track ends stop there.
    for (const [key, queue] of open) {
      for (const n of queue.items.slice(queue.head)) {
        trackNotes.push({
          track: trackIndex,
          channel: key >> 7,
          pitch: key & 127,
          velocity: n.velocity,
          startTick: n.start,
          endTick: tick,
        });
      }
    }
    durationTicks = Math.max(durationTicks, tick);
    for (const n of trackNotes) notes.push(n); // not push(...): a spread of 500,000 overflows the stack
    tracks.push(summarizeTrack(trackIndex, name, tick, trackNotes, programs));
  });

  if (durationTicks / scan.ticksPerQuarter > MIDI_LIMITS.maxQuarters) {
    return fail(
      'midi/too-long',
      `This MIDI file lasts more than ${MIDI_LIMITS.maxQuarters.toLocaleString('en')} beats, far longer than Cantus can show. Choose a shorter file.`,
    );
  }

  notes.sort(
    (a, b) => a.startTick - b.startTick || a.track - b.track || a.channel - b.channel || a.pitch - b.pitch,
  );
  const byTime = <T>(a: Timed<T>, b: Timed<T>): number => a.tick - b.tick || a.track - b.track;

  // Tempo: the first valid one; a tempo of 0 microseconds per beat is meaningless.
  tempos.sort(byTime);
  const validTempos = tempos.filter((t) => t.value > 0);
  if (validTempos.length < tempos.length) {
    warnings.push(
      `The file contains a tempo of zero, which was ignored; the tempo used is ${formatBpm(validTempos[0] ? toBpm(validTempos[0].value) : DEFAULT_TEMPO)} BPM.`,
    );
  }
  const tempo = validTempos[0] ? toBpm(validTempos[0].value) : DEFAULT_TEMPO;
  // Each later tempo that differs from the one before, at its step (of several at one step, the last).
  const tempoAt = new Map<Steps, Bpm>();
  for (const t of validTempos) tempoAt.set(quartersToStep(t.tick / scan.ticksPerQuarter), toBpm(t.value));
  const tempoChanges: TempoChange[] = [];
  for (const [at, bpm] of tempoAt) {
    if (at === 0) continue;
    if (bpm !== (tempoChanges.at(-1)?.bpm ?? tempoAt.get(0) ?? tempo)) tempoChanges.push({ at, bpm });
  }

  meters.sort(byTime);
  const validMeters = meters.filter((m) => isUsableMeter(m.value));
  if (validMeters.length < meters.length) {
    const bad = meters.find((m) => !isUsableMeter(m.value))!.value;
    warnings.push(
      `The time signature ${bad.numerator}/${bad.denominator} in this file cannot be used and was ignored.`,
    );
  }
  // Time signatures on the 16th grid: the tune's meter, its pickup and its changes (music/bars.ts).
  const bars = barsFromSignatures(
    validMeters.map((m) => ({
      at: quartersToStep(m.tick / scan.ticksPerQuarter),
      meter: { numerator: m.value.numerator, denominator: m.value.denominator },
    })),
    DEFAULT_METER,
  );

  keys.sort(byTime);
  const readKeys = keys.map((k) => keyFromSignature(k.value.sharps, k.value.minor));
  const validKeys = readKeys.filter((k): k is Key => k !== null);
  if (validKeys.length < readKeys.length) {
    warnings.push('The file contains a key signature that cannot be read; it was ignored.');
  }
  // The first signature is the melody's key; each later one that differs is a change. Of
  // signatures at one step, the last counts.
  const byStep = new Map<Steps, Key>();
  keys.forEach((k, i) => {
    const read = readKeys[i];
    if (read) byStep.set(quartersToStep(k.tick / scan.ticksPerQuarter), read);
  });
  const declared = [...byStep].map(([at, k]) => ({ at, key: k }));
  const key = declared[0]?.key ?? null;
  const keyChanges: KeyChange[] = [];
  for (const change of declared.slice(1)) {
    if (keyName(change.key) !== keyName(keyChanges.at(-1)?.key ?? key!)) keyChanges.push(change);
  }

  return ok(
    {
      format: scan.format,
      ticksPerQuarter: scan.ticksPerQuarter,
      tempo: tempoAt.get(0) ?? tempo,
      tempoChanges,
      meter: bars.meter,
      pickup: bars.pickup,
      meterChanges: bars.meterChanges,
      key,
      keyChanges,
      tracks,
      notes,
      durationTicks,
    },
    warnings,
  );
}

function summarizeTrack(
  index: number,
  name: string | null,
  endTick: Ticks,
  trackNotes: readonly RawNote[],
  programs: ReadonlyMap<number, number>,
): TrackSummary {
  const byChannel = new Map<number, { count: number; lowest: number; highest: number }>();
  for (const n of trackNotes) {
    const c = byChannel.get(n.channel);
    if (c) {
      c.count++;
      c.lowest = Math.min(c.lowest, n.pitch);
      c.highest = Math.max(c.highest, n.pitch);
    } else byChannel.set(n.channel, { count: 1, lowest: n.pitch, highest: n.pitch });
  }
  const channels: ChannelSummary[] = [...byChannel.entries()]
    .sort(([a], [b]) => a - b)
    .map(([channel, c]) => ({
      channel,
      noteCount: c.count,
      isDrums: channel === DRUM_CHANNEL,
      program: programs.get(channel) ?? null,
      lowest: c.lowest,
      highest: c.highest,
    }));
  return { index, name, noteCount: trackNotes.length, endTick, channels };
}

/** Quarter notes per minute for a MIDI tempo, rounded to 2 decimals. */
export function toBpm(microsecondsPerQuarter: number): Bpm {
  return Math.round(60_000_000_00 / microsecondsPerQuarter) / 100;
}

function formatBpm(bpm: Bpm): string {
  return String(bpm);
}

function isUsableMeter(m: { numerator: number; denominator: number }): boolean {
  return m.numerator >= 1 && m.numerator <= 32 && [2, 4, 8, 16].includes(m.denominator);
}
