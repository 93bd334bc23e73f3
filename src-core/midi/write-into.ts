/**
 * Saving a melody back into the file it came from: the notes of its part (one channel of one
 * track) are replaced by the melody's, and everything else the file holds stays as it was
 * (other tracks and channels, drums, tempo, meter and key changes, program changes, controllers,
 * names, lyrics). So keeping a variation of a song's tune and saving never loses the song.
 *
 * A melody step is a 16th note from the start of the file (as extractMelody reads it), so a
 * note at step s goes to tick s * ticksPerQuarter / 4.
 */
import { isMonophonic, type Melody } from '../music/melody.ts';
import { fail, ok, type Result } from '../result.ts';
import { extractMelody } from './extract.ts';
import { decodeMidiEvents, readMidi } from './read.ts';
import { encodeSmf, type SmfEvent } from './smf.ts';

const isNoteEvent = (e: SmfEvent, channel: number): boolean =>
  (e.type === 'noteOn' || e.type === 'noteOff') && 'channel' in e && e.channel === channel;

/**
 * The bytes of `file` with the part `partId` ("track:channel") holding `melody`'s notes, or a
 * problem. The result is read back and checked to give the melody's notes.
 */
export function writeMelodyIntoFile(file: Uint8Array, partId: string, melody: Melody): Result<Uint8Array> {
  if (!isMonophonic(melody.notes)) return fail('midi/not-monophonic', 'The melody has overlapping notes.');
  const match = /^(\d+):(\d+)$/.exec(partId);
  const decoded = decodeMidiEvents(file);
  if (!decoded.ok) return decoded;
  const data = decoded.value;
  const track = match ? Number(match[1]) : -1;
  const channel = match ? Number(match[2]) : -1;
  const events = data.tracks[track];
  if (!events || channel > 15)
    return fail('midi/no-such-part', `The file no longer has the part "${partId}" the melody came from.`);
  const ppq = data.header.ticksPerBeat;
  if (!ppq || ppq % 4 !== 0)
    return fail(
      'midi/odd-ticks',
      `This file counts ${ppq} ticks to a quarter note, so Cantus cannot put 16th notes back into it exactly. Save the melody under a new name instead.`,
    );
  const perStep = ppq / 4;

  // The track's events at absolute ticks, the part's notes left out; the end of the track apart.
  const kept: { tick: number; order: number; event: SmfEvent }[] = [];
  let tick = 0;
  let end = 0;
  events.forEach((event, i) => {
    tick += event.deltaTime;
    if (event.type === 'endOfTrack') end = Math.max(end, tick);
    else if (!isNoteEvent(event, channel)) kept.push({ tick, order: 2 * i, event });
  });
  // The melody's notes: at one tick, note-offs first, then what the file had there, then note-ons.
  for (const note of melody.notes) {
    const velocity = Math.min(127, Math.max(1, Math.round(note.velocity)));
    kept.push({
      tick: note.start * perStep,
      order: Number.MAX_SAFE_INTEGER,
      event: { deltaTime: 0, type: 'noteOn', channel, noteNumber: note.pitch, velocity },
    });
    kept.push({
      tick: note.end * perStep,
      order: -1,
      event: { deltaTime: 0, type: 'noteOff', channel, noteNumber: note.pitch, velocity: 0 },
    });
  }
  kept.sort((a, b) => a.tick - b.tick || a.order - b.order);
  const last = kept.reduce((m, k) => Math.max(m, k.tick), 0);
  const rewritten: SmfEvent[] = [];
  let previous = 0;
  for (const { tick: at, event } of kept) {
    rewritten.push({ ...event, deltaTime: at - previous });
    previous = at;
  }
  rewritten.push({ deltaTime: Math.max(end, last) - previous, meta: true, type: 'endOfTrack' });
  const bytes = encodeSmf({ ...data, tracks: data.tracks.map((t, i) => (i === track ? rewritten : t)) });

  // What Cantus writes it must read back as the same melody.
  const back = readMidi(bytes);
  const again = back.ok ? extractMelody(back.value, partId) : null;
  const same =
    again?.ok === true &&
    again.value.notes.length === melody.notes.length &&
    again.value.notes.every(
      (n, i) =>
        n.pitch === melody.notes[i]!.pitch &&
        n.start === melody.notes[i]!.start &&
        n.end === melody.notes[i]!.end,
    );
  if (!same)
    return fail(
      'midi/write-back-failed',
      'Cantus could not put the melody back into this file so that it reads the same. Save it under a new name instead.',
    );
  return ok(bytes);
}
