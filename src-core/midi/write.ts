/**
 * Writing a melody as a Standard MIDI File that any program (and `readMidi`) opens.
 */
import { signaturesOfBars } from '../music/bars.ts';
import { STEPS_PER_QUARTER, isMonophonic, type Melody } from '../music/melody.ts';
import { soundingTimes } from '../music/tuplets.ts';
import { signatureOfKey } from './key-signature.ts';
import { WRITE_TICKS_PER_QUARTER } from './limits.ts';
import { encodeSmf, textToByteString, type SmfEvent } from './smf.ts';

const TICKS_PER_STEP = WRITE_TICKS_PER_QUARTER / STEPS_PER_QUARTER;

/** The longest title written, in characters (the window accepts titles this long). */
export const MAX_TITLE_CHARS = 500;

/**
 * A format 0 file, 480 ticks per quarter (120 per step): track name (the title, if any),
 * tempo (and each change), time signatures (a pickup's, the meter's, each change's), key signatures (if the melody has a key, and each change), program 0 and the notes
 * on channel 1, ending at `melody.length`. Throws on a melody that breaks the `Melody`
 * rules (overlapping notes, a tempo that is not positive): those are programmer errors.
 */
export function writeMelodyMidi(melody: Melody): Uint8Array<ArrayBuffer> {
  if (!isMonophonic(melody.notes)) throw new RangeError('writeMelodyMidi: notes overlap or are off the grid');
  if (!(melody.tempo > 0) || !Number.isFinite(melody.tempo))
    throw new RangeError('writeMelodyMidi: tempo must be positive');

  const timed: { tick: number; order: number; event: SmfEvent }[] = [];
  const at = (tick: number, order: number, event: SmfEvent): void => {
    timed.push({ tick, order, event });
  };
  // Capped: the MIDI library cannot read back a text event of hundreds of thousands of bytes.
  const title = melody.title?.trim().slice(0, MAX_TITLE_CHARS).trim();
  if (title) at(0, 0, { deltaTime: 0, meta: true, type: 'trackName', text: textToByteString(title) });
  const microseconds = Math.min(0xffffff, Math.max(1, Math.round(60_000_000 / melody.tempo)));
  at(0, 1, { deltaTime: 0, meta: true, type: 'setTempo', microsecondsPerBeat: microseconds });
  for (const change of melody.tempoChanges ?? []) {
    const later = Math.min(0xffffff, Math.max(1, Math.round(60_000_000 / change.bpm)));
    at(change.at * TICKS_PER_STEP, 1, {
      deltaTime: 0,
      meta: true,
      type: 'setTempo',
      microsecondsPerBeat: later,
    });
  }
  // The pickup's own short signature, the meter and each change (music/bars.ts reads them back).
  for (const { at: step, meter } of signaturesOfBars(melody)) {
    const { numerator, denominator } = meter;
    at(step * TICKS_PER_STEP, 2, {
      deltaTime: 0,
      meta: true,
      type: 'timeSignature',
      numerator,
      denominator,
      metronome: metronomeClocks(numerator, denominator),
      thirtyseconds: 8,
    });
  }
  if (melody.key) {
    for (const { at: step, key } of [{ at: 0, key: melody.key }, ...(melody.keyChanges ?? [])]) {
      at(step * TICKS_PER_STEP, 3, {
        deltaTime: 0,
        meta: true,
        type: 'keySignature',
        key: signatureOfKey(key),
        scale: key.mode === 'minor' ? 1 : 0,
      });
    }
  }
  at(0, 4, { deltaTime: 0, type: 'programChange', channel: 0, programNumber: 0 });
  const times = soundingTimes(melody);
  melody.notes.forEach((note, index) => {
    const velocity = Math.min(127, Math.max(1, Math.round(note.velocity)));
    // Triplets at their true thirds (whole ticks: a third of a quarter is 160).
    const start = Math.round(times[index]!.start * TICKS_PER_STEP);
    const end = Math.round(times[index]!.end * TICKS_PER_STEP);
    // Note-offs sort before note-ons at the same tick, so repeated pitches stay separate.
    at(start, 6, {
      deltaTime: 0,
      type: 'noteOn',
      channel: 0,
      noteNumber: note.pitch,
      velocity,
    });
    at(end, 5, {
      deltaTime: 0,
      type: 'noteOff',
      channel: 0,
      noteNumber: note.pitch,
      velocity: 0,
    });
  });
  const lastNoteEnd = melody.notes.reduce((m, n) => Math.max(m, n.end), 0);
  at(Math.max(melody.length, lastNoteEnd) * TICKS_PER_STEP, 7, {
    deltaTime: 0,
    meta: true,
    type: 'endOfTrack',
  });

  timed.sort((a, b) => a.tick - b.tick || a.order - b.order);
  let previous = 0;
  const events = timed.map(({ tick, event }) => {
    const withDelta = { ...event, deltaTime: tick - previous };
    previous = tick;
    return withDelta;
  });
  return encodeSmf({
    header: { format: 0, numTracks: 1, ticksPerBeat: WRITE_TICKS_PER_QUARTER },
    tracks: [events],
  });
}

/** MIDI clocks (24 per quarter) per metronome click: the dotted quarter in 6/8, else the beat. */
function metronomeClocks(numerator: number, denominator: number): number {
  const beat = (24 * 4) / denominator;
  const compound = denominator >= 8 && numerator % 3 === 0 && numerator > 3;
  return Math.round(compound ? beat * 3 : beat);
}
