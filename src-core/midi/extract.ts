/**
 * Choosing a part of a MIDI file and turning it into a Cantus melody.
 */
import {
  makeMelody,
  pitchName,
  stepsPerBar,
  type Melody,
  type MidiPitch,
  type Note,
} from '../music/melody.ts';
import { barGrid, countBars } from '../music/bars.ts';
import type { Tuplet } from '../music/tuplets.ts';
import { fail, ok, type Result } from '../result.ts';
import { quantizeNote, quartersToStep, reduceToMonophony } from './monophony.ts';
import { findTriplets } from './triplets.ts';
import type { ParsedMidi } from './read.ts';

/** One channel of one track that has notes: something a person could pick as "the tune". */
export interface Part {
  /** "track:channel", both from 0, e.g. "1:0". Stable for a given file. */
  readonly id: string;
  readonly track: number;
  /** 0-15 */
  readonly channel: number;
  /** e.g. "Melody, channel 1: 64 notes, C4–G5" */
  readonly label: string;
  readonly noteCount: number;
  readonly lowest: MidiPitch;
  readonly highest: MidiPitch;
  readonly meanPitch: number;
}

/** Every (track, channel) pair with notes, drums left out, in track then channel order. */
export function listParts(parsed: ParsedMidi): Part[] {
  const pitchSums = new Map<string, number>();
  for (const n of parsed.notes) {
    const id = `${n.track}:${n.channel}`;
    pitchSums.set(id, (pitchSums.get(id) ?? 0) + n.pitch);
  }
  const parts: Part[] = [];
  for (const track of parsed.tracks) {
    for (const ch of track.channels) {
      if (ch.isDrums) continue;
      const sum = pitchSums.get(`${track.index}:${ch.channel}`) ?? 0;
      const trackLabel = track.name ?? `Track ${track.index + 1}`;
      const range =
        ch.lowest === ch.highest ? pitchName(ch.lowest) : `${pitchName(ch.lowest)}–${pitchName(ch.highest)}`;
      parts.push({
        id: `${track.index}:${ch.channel}`,
        track: track.index,
        channel: ch.channel,
        label: `${trackLabel}, channel ${ch.channel + 1}: ${ch.noteCount} note${ch.noteCount === 1 ? '' : 's'}, ${range}`,
        noteCount: ch.noteCount,
        lowest: ch.lowest,
        highest: ch.highest,
        meanPitch: sum / ch.noteCount,
      });
    }
  }
  return parts;
}

/**
 * The part most likely to carry the melody. Rule: ignore parts with fewer than a quarter
 * as many notes as the busiest part (a few high fills or a sparse descant are rarely the
 * tune); of the rest, take the one with the highest mean pitch, the first listed on a tie.
 * Null when there are no parts.
 */
export function defaultPart(parts: readonly Part[]): Part | null {
  const most = parts.reduce((m, p) => Math.max(m, p.noteCount), 0);
  let best: Part | null = null;
  for (const p of parts) {
    if (p.noteCount * 4 < most) continue;
    if (!best || p.meanPitch > best.meanPitch) best = p;
  }
  return best;
}

/** The longest melody Cantus opens, in bars: far beyond any tune, small enough to draw and analyse. */
export const MAX_MELODY_BARS = 10_000;

/**
 * Silence a track may keep after its last note's bar: 16 bars, and at least 256 steps (16 bars
 * of 4/4), so a saved melody's empty closing bars come back, and an end of track far away does not.
 */
const TRAILING_SILENCE_BARS = 16;
const TRAILING_SILENCE_STEPS = 256;

/**
 * A monophonic melody from one part of the file (by default `defaultPart`). Notes are
 * rounded to the 16th-note grid and reduced to one line with `reduceToMonophony`; drums
 * are never used. The melody's length is its last note's end, or the end of the part's
 * track if that is later; silence far past the last note (see TRAILING_SILENCE_BARS) is
 * dropped at the end of its bar. A melody longer than MAX_MELODY_BARS is refused with a message. Its title is the
 * track's name, else the first track's name.
 */
export function extractMelody(parsed: ParsedMidi, partId?: string): Result<Melody> {
  const parts = listParts(parsed);
  if (parts.length === 0) {
    if (parsed.notes.length > 0) {
      return fail(
        'midi/drums-only',
        'This file has only drum notes (MIDI channel 10), and drums have no melody to show. Choose a file with a tune in it.',
      );
    }
    return fail(
      'midi/no-notes',
      'This file has no notes to show. Choose a MIDI file that contains a melody.',
    );
  }
  const part = partId === undefined ? defaultPart(parts) : parts.find((p) => p.id === partId);
  if (!part) {
    return fail(
      'midi/no-such-part',
      `This file has no part "${partId}". Choose one of: ${parts.map((p) => p.id).join(', ')}.`,
    );
  }
  const ppq = parsed.ticksPerQuarter;
  const partNotes = parsed.notes.filter((n) => n.track === part.track && n.channel === part.channel);
  const onGrid: Note[] = partNotes.map((n) =>
    quantizeNote({
      pitch: n.pitch,
      startQuarters: n.startTick / ppq,
      endQuarters: n.endTick / ppq,
      velocity: n.velocity,
    }),
  );
  const notes = reduceToMonophony(onGrid);
  // Where notes start together (chords), only the top one is kept: say so.
  const pitchesAt = new Map<number, Set<number>>();
  for (const n of onGrid) pitchesAt.set(n.start, (pitchesAt.get(n.start) ?? new Set()).add(n.pitch));
  const chords = [...pitchesAt.values()].filter((p) => p.size > 1).length;
  const track = parsed.tracks[part.track];
  const trackEnd = track ? quartersToStep(track.endTick / ppq) : 0;
  const title = track?.name ?? parsed.tracks[0]?.name ?? undefined;
  // A track may end far after its last note (one file's end was 400,000 bars away): silence
  // past the allowance is dropped at the end of the last note's bar.
  const barred = { meter: parsed.meter, pickup: parsed.pickup, meterChanges: parsed.meterChanges };
  const lastEnd = notes.reduce((m, n) => Math.max(m, n.end), 0);
  const noteBars = countBars(barred, lastEnd);
  if (noteBars > MAX_MELODY_BARS) return tooLong(noteBars);
  const lastBar = barGrid({ ...barred, notes, length: lastEnd }).bars.at(-1)!;
  const lastBarEnd = lastBar.start + lastBar.length;
  const allowance = Math.max(TRAILING_SILENCE_BARS * stepsPerBar(lastBar.meter), TRAILING_SILENCE_STEPS);
  const length = trackEnd > lastBarEnd + allowance ? lastBarEnd : trackEnd;
  const bars = countBars(barred, Math.max(lastEnd, length));
  if (bars > MAX_MELODY_BARS) return tooLong(bars);
  const warnings =
    chords > 0
      ? [
          `This part plays chords (${chords.toLocaleString('en')} of its ${pitchesAt.size.toLocaleString('en')} note starts); Cantus shows the top note of each as the melody.`,
        ]
      : [];
  const plain = makeMelody({
    notes,
    ...barred,
    tempo: parsed.tempo,
    tempoChanges: parsed.tempoChanges,
    key: parsed.key,
    keyChanges: parsed.keyChanges,
    length,
    ...(title !== undefined ? { title } : {}),
  });
  const tuplets = findTriplets(partNotes, ppq, plain);
  const offGrid = offGridWords(partNotes, ppq, tuplets);
  if (offGrid) warnings.push(offGrid);
  return ok(tuplets.length > 0 ? { ...plain, tuplets } : plain, warnings);
}

function tooLong(bars: number): Result<never> {
  return fail(
    'midi/too-long',
    `This melody is ${bars.toLocaleString('en')} bars long; Cantus shows melodies of up to ${MAX_MELODY_BARS.toLocaleString('en')} bars. Choose a shorter file, or another part.`,
  );
}

/**
 * What reading on the 16th grid changed, in words, or null when nothing did: the triplets kept
 * (written as triplets, read as sixteenths by the model and the analysis), and how many other
 * note starts lie between 16ths and were rounded. A start within a 128th of a grid line counts
 * as on it: that is a player's (or a program's) timing, not a rhythm Cantus changes.
 */
function offGridWords(
  notes: readonly { readonly startTick: number }[],
  ppq: number,
  tuplets: readonly Tuplet[],
): string | null {
  const tolerance = ppq / 32;
  const grid = ppq / 4;
  // The steps the triplets span: a start off the grid lies inside one exactly when its step does.
  const covered = new Set<number>();
  for (const t of tuplets) for (let step = t.start; step < t.start + t.span; step++) covered.add(step);
  let off = 0;
  for (const tick of new Set(notes.map((n) => n.startTick))) {
    if (Math.abs(tick - Math.round(tick / grid) * grid) <= tolerance) continue;
    if (covered.has(Math.floor(tick / grid))) continue;
    off++;
  }
  const said: string[] = [];
  if (tuplets.length > 0) {
    said.push(
      `This part has ${tuplets.length.toLocaleString('en')} triplet${tuplets.length === 1 ? '' : 's'}: the score writes them as triplets and they play as triplets, but the analysis and the model read them rounded to sixteenth notes.`,
    );
  }
  if (off > 0) {
    said.push(
      `${said.length > 0 ? 'Besides, ' : 'In this part '}${off.toLocaleString('en')} note${off === 1 ? ' starts' : 's start'} between sixteenth notes; Cantus writes and plays them rounded to the nearest sixteenth.`,
    );
  }
  return said.length > 0 ? said.join(' ') : null;
}
