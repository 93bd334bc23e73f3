/**
 * Steering while sampling: at each step, the events that would break a condition are taken out
 * of the model's distribution before it is sampled, so every melody meets the conditions the
 * first time instead of being written again and again until one does.
 *
 * Everything here works on the sequence the model writes: events in the model's key (C major or
 * A minor) and range, position 0 at the start of the (possibly cut) primer. A `SteerFrame` says
 * how that sequence maps onto the melody the user sees: pitches differ by `shift`, steps by
 * `offset`, bars are `bar` steps long from melody step 0.
 *
 * Inside bars that repeat earlier ones the copy is given: the other conditions judge the notes
 * around it. Rules only ever remove events, so conditions that cannot all be met leave nothing
 * to sample, and generation says so instead of breaking one quietly. With "steps and thirds",
 * the bar before a fixed note (the home note at the end, the first note of a repeat) moves
 * only within a third of it, so that note can be reached.
 */
import { STEPS_PER_QUARTER, type Key, type MidiPitch, type Steps } from '../music/melody.ts';
import { fail, ok, type Result } from '../result.ts';
import { eventToPitch, NO_EVENT, NOTE_OFF, type MelodyEvent, type PitchRange } from './melody-events.ts';
import { isInKey, tonicPitchClass } from '../music/key.ts';

/** A condition the continuation must meet. Bars are numbered from 1, as musicians count them. */
export type SteerConstraint =
  /** Every new note belongs to the key (in minor, the raised 6th and 7th too). */
  | { readonly kind: 'in-key' }
  /** Every new note moves from the one before by a repeated note, a step or a third (up to 4 semitones). */
  | { readonly kind: 'steps-and-thirds' }
  /** Every new note lies within low-high (MIDI, in the melody's own register). */
  | { readonly kind: 'range'; readonly low: MidiPitch; readonly high: MidiPitch }
  /** No new note lasts longer than this many quarter-note beats. */
  | { readonly kind: 'longest-note'; readonly beats: number }
  /** The melody ends on the home note, reached on the downbeat of its last bar. */
  | { readonly kind: 'ends-on-tonic' }
  /** Bars `from`..`from + bars - 1` come back note for note at bar `at`. */
  | { readonly kind: 'repeat-bars'; readonly from: number; readonly at: number; readonly bars: number }
  /**
   * Rests a class reads easily: none shorter than an eighth note, and the last bar opens with a
   * note (or one held into it), not a rest.
   */
  | { readonly kind: 'classroom-rests' };

/** How the model's sequence maps onto the melody. */
export interface SteerFrame {
  /** The key in the model's space (C major or A minor). */
  readonly key: Key;
  /** Model pitch = melody pitch + shift. */
  readonly shift: number;
  /** Melody step = sequence position + offset. */
  readonly offset: Steps;
  readonly bar: Steps;
  /** Sequence positions from `primerLength` on are written by the model; the sequence ends at `end`. */
  readonly primerLength: number;
  readonly end: number;
  readonly range: PitchRange;
}

/** Sets out[e] to 1 for every event allowed at `position` after `history`, 0 for the rest. */
export type EventFilter = (history: readonly MelodyEvent[], position: number, out: Uint8Array) => void;

/** Leaves `event` as the only candidate, if the rules before allowed it (rules only ever remove). */
function only(out: Uint8Array, event: MelodyEvent): void {
  const was = out[event]!;
  out.fill(0);
  out[event] = was;
}

/** The melody step of the last bar's downbeat. */
function lastDownbeat(frame: SteerFrame): Steps {
  const melodyEnd = frame.end + frame.offset;
  return Math.floor((melodyEnd - 1) / frame.bar) * frame.bar;
}

/** The pitch of the last note started in `history` before `position`, or null. */
function previousPitch(
  history: readonly MelodyEvent[],
  position: number,
  range: PitchRange,
): MidiPitch | null {
  for (let p = position - 1; p >= 0; p--) {
    const pitch = eventToPitch(history[p]!, range);
    if (pitch !== null) return pitch;
  }
  return null;
}

/** The pitch of the first note started in history[from, to), as a list (empty when none). */
function firstOnsetPitch(
  history: readonly MelodyEvent[],
  from: number,
  to: number,
  range?: PitchRange,
): MidiPitch[] {
  for (let p = Math.max(0, from); p < to; p++) {
    const pitch = eventToPitch(history[p]!, range);
    if (pitch !== null) return [pitch];
  }
  return [];
}

/** Steps the note sounding at `position` has lasted, or -1 when none sounds. */
function soundingFor(history: readonly MelodyEvent[], position: number): number {
  for (let p = position - 1; p >= 0; p--) {
    const e = history[p]!;
    if (e === NOTE_OFF) return -1;
    if (e !== NO_EVENT) return position - p;
  }
  return -1;
}

/**
 * One filter for all of `constraints`, or a message when one cannot apply to this melody
 * (a repeat of bars that are not there, a range with no note of the model's in it).
 */
export function compileSteering(
  constraints: readonly SteerConstraint[],
  frame: SteerFrame,
): Result<EventFilter> {
  const { range, bar, offset, primerLength } = frame;
  const events = range.maxPitch - range.minPitch + 3;
  const pitchOf = (e: number): MidiPitch | null => eventToPitch(e, range);
  const rules: EventFilter[] = [];
  const copies: ((history: readonly MelodyEvent[], position: number, out: Uint8Array) => boolean)[] = [];
  // With "steps and thirds", the bar before a fixed note (the home note at the end, the first
  // note of a repeat) moves only within a third of it, so the fixed note can be reached.
  const approaches: { target: number; pitches: (history: readonly MelodyEvent[]) => MidiPitch[] }[] = [];
  const stepsAndThirds = constraints.some((c) => c.kind === 'steps-and-thirds');
  const tonic = tonicPitchClass(frame.key);
  for (const c of constraints) {
    switch (c.kind) {
      case 'in-key':
        rules.push((_h, _p, out) => {
          for (let e = 0; e < events; e++) {
            const pitch = pitchOf(e);
            if (pitch !== null && !isInKey(pitch, frame.key)) out[e] = 0;
          }
        });
        break;
      case 'steps-and-thirds':
        rules.push((history, position, out) => {
          const before = previousPitch(history, position, range);
          if (before === null) return;
          for (let e = 0; e < events; e++) {
            const pitch = pitchOf(e);
            if (pitch !== null && Math.abs(pitch - before) > 4) out[e] = 0;
          }
        });
        break;
      case 'range': {
        const low = c.low + frame.shift;
        const high = c.high + frame.shift;
        if (high < range.minPitch || low > range.maxPitch || high < low)
          return fail(
            'generate/bad-constraint',
            'The range asked for lies outside what the model can write; choose a wider or nearer range.',
          );
        rules.push((_h, _p, out) => {
          for (let e = 0; e < events; e++) {
            const pitch = pitchOf(e);
            if (pitch !== null && (pitch < low || pitch > high)) out[e] = 0;
          }
        });
        break;
      }
      case 'longest-note': {
        const limit = Math.max(1, Math.round(c.beats * STEPS_PER_QUARTER));
        rules.push((history, position, out) => {
          // A note that has sounded `limit` steps must end now (a note-off or a new note).
          if (soundingFor(history, position) >= limit) out[NO_EVENT] = 0;
        });
        break;
      }
      case 'classroom-rests': {
        const downbeat = lastDownbeat(frame) - offset;
        rules.push((history, position, out) => {
          if (position < primerLength) return;
          // A rest begun a step ago goes on: no sixteenth rests.
          if (history[position - 1] === NOTE_OFF) return only(out, NO_EVENT);
          // The last bar opens with a note: no rest begins on its downbeat or a step before it.
          if (position === downbeat - 1 || position === downbeat) out[NOTE_OFF] = 0;
          if (position === downbeat && soundingFor(history, position) < 0) out[NO_EVENT] = 0;
        });
        break;
      }
      case 'ends-on-tonic': {
        const target = lastDownbeat(frame) - offset;
        if (target < primerLength) break; // the primer already holds the last bar's downbeat
        if (stepsAndThirds) {
          const homes: MidiPitch[] = [];
          for (let p = range.minPitch; p <= range.maxPitch; p++)
            if ((((p - tonic) % 12) + 12) % 12 === 0) homes.push(p);
          approaches.push({ target, pitches: () => homes });
        }
        rules.push((_h, position, out) => {
          if (position < target) return;
          for (let e = 0; e < events; e++) {
            const pitch = pitchOf(e);
            const isTonic = pitch !== null && (((pitch - tonic) % 12) + 12) % 12 === 0;
            // On the downbeat: a home note. After it: hold it, stop it, or sing it again.
            if (position === target ? !isTonic : !(isTonic || e === NO_EVENT || e === NOTE_OFF)) out[e] = 0;
          }
        });
        break;
      }
      case 'repeat-bars': {
        const distance = (c.at - c.from) * bar;
        const start = (c.at - 1) * bar - offset;
        const stop = start + c.bars * bar;
        if (c.bars < 1 || c.at < c.from + c.bars || (c.from - 1) * bar - offset < 0)
          return fail(
            'generate/bad-constraint',
            `Bars ${c.from}-${c.from + c.bars - 1} cannot come back at bar ${c.at}: the repeat must come after them, and they must be in the melody.`,
          );
        if (start < primerLength)
          return fail(
            'generate/bad-constraint',
            `Bar ${c.at}, where bars ${c.from}-${c.from + c.bars - 1} would come back, is part of the opening already; add bars or start from a shorter opening.`,
          );
        if (stop > frame.end)
          return fail(
            'generate/bad-constraint',
            `The melody is too short for bars ${c.from}-${c.from + c.bars - 1} to come back at bar ${c.at}; add bars.`,
          );
        // Inside the repeat the copy is given: only the event of the same place in the bars repeated.
        copies.push((history, position, out) => {
          if (position < start || position >= stop) return false;
          out.fill(0);
          out[history[position - distance]!] = 1;
          return true;
        });
        if (stepsAndThirds && start >= primerLength)
          approaches.push({
            target: start,
            pitches: (history) => firstOnsetPitch(history, start - distance, stop - distance, range),
          });
        rules.push((history, position, out) => {
          if (position < stop) return;
          // Just after the repeat, the note it ends on lasts as long as in the bars it copies.
          for (let p = stop; p < position; p++) if (history[p] !== NO_EVENT) return;
          if (soundingFor(history, stop) < 0) return;
          if (history[position - distance] === NO_EVENT) only(out, NO_EVENT);
          else out[NO_EVENT] = 0;
        });
        break;
      }
    }
  }
  for (const { target, pitches } of approaches) {
    rules.push((history, position, out) => {
      if (position >= target || position < Math.max(primerLength, target - bar)) return;
      const goals = pitches(history);
      if (goals.length === 0) return;
      const near = (pitch: MidiPitch): boolean => goals.some((g) => Math.abs(g - pitch) <= 4);
      for (let e = 0; e < events; e++) {
        const pitch = pitchOf(e);
        if (pitch !== null && !near(pitch)) out[e] = 0;
      }
      // On the last step before it, a note too far from it must give way to one near it.
      const before = previousPitch(history, position, range);
      if (position === target - 1 && before !== null && !near(before)) {
        out[NO_EVENT] = 0;
        out[NOTE_OFF] = 0;
      }
    });
  }
  return ok((history, position, out) => {
    out.fill(1);
    if (position < primerLength) return;
    for (const copy of copies) if (copy(history, position, out)) return;
    for (const rule of rules) rule(history, position, out);
  });
}
