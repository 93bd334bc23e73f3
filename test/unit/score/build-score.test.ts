import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  makeMelody,
  parseNotes,
  stepsPerBar,
  type Key,
  type Melody,
  type Meter,
  type Note,
} from '../../../src-core/music/melody.ts';
import { keyFromPitchClass } from '../../../src-core/music/key.ts';
import { spelledName, spelledToMidi } from '../../../src-core/music/spelling.ts';
import { buildScore } from '../../../src-core/score/build-score.ts';
import { valueSteps } from '../../../src-core/score/rhythm.ts';
import type { Score, ScoreEvent } from '../../../src-core/score/types.ts';

const M24: Meter = { numerator: 2, denominator: 4 };
const M34: Meter = { numerator: 3, denominator: 4 };
const M44: Meter = { numerator: 4, denominator: 4 };
const M68: Meter = { numerator: 6, denominator: 8 };
const C_MAJOR: Key = { tonic: 'C', mode: 'major' };

/**
 * A score as one line per test: measures split by " | ", each event as
 * pitch (or r), printed accidental in brackets, ":" value and dots, "~" when tied,
 * and "=n" for its beam group.
 */
function describeScore(score: Score): string {
  return score.measures
    .map((m) =>
      m.events
        .map((e) => {
          const what = e.pitch ? spelledName(e.pitch) : 'r';
          const acc = e.accidental ? `(${e.accidental})` : '';
          const beam = e.beam === null ? '' : `=${e.beam}`;
          return `${what}${acc}:${e.value}${'.'.repeat(e.dots)}${e.tieToNext ? '~' : ''}${beam}`;
        })
        .join(' '),
    )
    .join(' | ');
}

function score(text: string, meter: Meter = M44, key: Key | null = C_MAJOR, length = 0): Score {
  return buildScore(makeMelody({ notes: parseNotes(text), meter, key, length }));
}

describe('buildScore: rhythm', () => {
  it.each([
    ['a whole note in 4/4', 'C4/16', M44, 'C4:w'],
    [
      'a note crossing the barline is split and tied',
      'C4/12 D4/8 E4/12',
      M44,
      'C4:h. D4:q~ | D4:q E4:q~ E4:h',
    ],
    [
      'a quarter on the "and" of 1 is two tied eighths',
      'C4/2 D4/4 E4/2 F4/8',
      M44,
      'C4:8=0 D4:8~=0 D4:8=1 E4:8=1 F4:h',
    ],
    ['a dotted quarter on beat 1 stays one', 'C4/6 D4/2 E4/8', M44, 'C4:q. D4:8 E4:h'],
    ['a dotted quarter on beat 3 stays one', 'C4/8 D4/6 E4/2', M44, 'C4:h D4:q. E4:8'],
    ['a half on beat 2 of 4/4 keeps the middle visible', 'C4 D4/8 E4', M44, 'C4:q D4:q~ D4:q E4:q'],
    ['three beats from beat 2 of 4/4 are q tied to h', 'C4 D4/12', M44, 'C4:q D4:q~ D4:h'],
    ['a dotted half on beat 1 of 4/4', 'C4/12 D4', M44, 'C4:h. D4:q'],
    ['a half and a quarter in 3/4', 'C4/8 D4/4', M34, 'C4:h D4:q'],
    ['a quarter and a half in 3/4', 'C4/4 D4/8', M34, 'C4:q D4:h'],
    ['a dotted half fills a bar of 3/4', 'C4/12 D4/12', M34, 'C4:h. | D4:h.'],
    ['a dotted quarter on beat 2 of 3/4', 'C4/4 D4/6 E4/2', M34, 'C4:q D4:q. E4:8'],
    [
      '6/8: three eighths beamed per beat',
      'C4/2 D4/2 E4/2 F4/2 G4/2 A4/2',
      M68,
      'C4:8=0 D4:8=0 E4:8=0 F4:8=1 G4:8=1 A4:8=1',
    ],
    ['6/8: quarter and eighth per beat', 'C4/4 D4/2 E4/4 F4/2', M68, 'C4:q D4:8 E4:q F4:8'],
    ['6/8: two dotted quarters', 'C4/6 D4/6', M68, 'C4:q. D4:q.'],
    ['6/8: a dotted half fills the bar', 'C4/12', M68, 'C4:h.'],
    ['6/8: a half note is split at the beat', 'C4/8 D4/4', M68, 'C4:q.~ C4:8 D4:q'],
    ['2/4: a half fills the bar', 'C4/8 D4/4 E4/4', M24, 'C4:h | D4:q E4:q'],
    ['2/4: a dotted quarter then an eighth', 'C4/6 D4/2', M24, 'C4:q. D4:8'],
    [
      'sixteenths beamed by beat',
      'C4/1 D4/1 E4/1 F4/1 G4/2 A4/2 B4/8',
      M44,
      'C4:16=0 D4:16=0 E4:16=0 F4:16=0 G4:8=1 A4:8=1 B4:h',
    ],
    ['a dotted eighth and a sixteenth share a beam', 'C4/3 D4/1 E4/4 F4/8', M44, 'C4:8.=0 D4:16=0 E4:q F4:h'],
    ['a lone eighth is not beamed', 'C4/2 r/2 D4/4 E4/2 F4/6', M44, 'C4:8 r:8 D4:q E4:8=0 F4:8~=0 F4:q'],
    ['6/8: a quarter after an eighth is not beamed', 'C4/2 D4/4 E4/6', M68, 'C4:8 D4:q E4:q.'],
  ])('%s', (_, text, meter, expected) => {
    expect(describeScore(score(text, meter))).toBe(expected);
  });

  it.each([
    ['an empty bar is one whole rest', '', M44, 16, 'r:w'],
    ['an empty bar of 3/4 is one whole rest', '', M34, 12, 'r:w'],
    ['an empty bar of 6/8 is one whole rest', '', M68, 12, 'r:w'],
    ['rests fill a partial bar by beats', 'C4', M44, 0, 'C4:q r:q r:h'],
    ['rests after an off-beat end', 'C4/2', M44, 0, 'C4:8 r:8 r:q r:h'],
    ['a rest before the note', 'r/4 C4/12', M44, 0, 'r:q C4:q~ C4:h'],
    ['a rest gap in the middle and an empty last bar', 'C4/4 r/8 D4/4', M44, 32, 'C4:q r:q r:q D4:q | r:w'],
    ['rests in simple meters are not dotted', 'r/6 C4/2 r/4', M34, 0, 'r:q r:8 C4:8 r:q'],
    ['rests in 6/8 may be dotted', 'r/6 C4/2 r/4', M68, 0, 'r:q. C4:8 r:q'],
    ['a rest in 6/8 is split at the beat', 'C4/2 r/8 D4/2', M68, 0, 'C4:8 r:q r:q D4:8'],
  ])('%s', (_, text, meter, length, expected) => {
    const s = score(text, meter, C_MAJOR, length);
    expect(describeScore(s)).toBe(expected);
  });

  it('gives a whole-bar rest the full bar as duration in every meter', () => {
    for (const meter of [M24, M34, M44, M68]) {
      const rest = score('', meter, C_MAJOR, stepsPerBar(meter)).measures[0]!.events[0]!;
      expect(rest).toMatchObject({ kind: 'rest', value: 'w', dots: 0, duration: stepsPerBar(meter) });
    }
  });

  it('counts bars from the melody length or the last note, at least one', () => {
    expect(score('', M44, C_MAJOR, 0).measures).toHaveLength(1);
    expect(score('C4/17', M44).measures).toHaveLength(2);
    expect(score('C4/4', M44, C_MAJOR, 33).measures).toHaveLength(3);
    expect(score('C4/24', M68).measures.map((m) => m.start)).toEqual([0, 12]);
  });

  it('keeps going for other meters', () => {
    expect(describeScore(score('C4/16', { numerator: 2, denominator: 2 }))).toBe('C4:w');
    expect(describeScore(score('C4/2 D4/2 E4/2 F4/2 G4/2', { numerator: 5, denominator: 8 }))).toBe(
      'C4:8=0 D4:8=0 E4:8=1 F4:8=1 G4:8=1',
    );
    expect(describeScore(score('C4/6 D4/6 E4/6 F4/6', { numerator: 12, denominator: 8 }))).toBe(
      'C4:q. D4:q. E4:q. F4:q.',
    );
    expect(describeScore(score('C4/20', { numerator: 5, denominator: 4 }))).toBe('C4:w~ C4:q');
  });
});

describe('buildScore: accidentals', () => {
  it.each([
    [
      'carried through the bar, cancelled by a natural, re-stated in the next bar',
      'F#4 F#4 F4 F#4 | F#4',
      'F#4(#):q F#4:q F4(n):q F#4(#):q | F#4(#):q r:q r:h',
    ],
    ['only on the same octave', 'F#4 F#5 F#4 C4', 'F#4(#):q F#5(#):q F#4:q C4:q'],
    [
      'a tie into the next bar does not repeat it; the next note does',
      'C4/12 F#4/8 F#4/4 r/8',
      'C4:h. F#4(#):q~ | F#4:q F#4(#):q r:h',
    ],
    ['a courtesy natural after a tied sharp', 'C4/12 F#4/8 F4/4 r/8', 'C4:h. F#4(#):q~ | F#4:q F4(n):q r:h'],
    ['no accidental within a tie inside the bar', 'F#4/8 F#4/8', 'F#4(#):h F#4:h'],
  ])('%s', (_, text, expected) => {
    expect(describeScore(score(text.replace('|', ''), M44))).toBe(expected);
  });

  it.each([
    [
      'D major: F# and C# come from the signature',
      { tonic: 'D', mode: 'major' },
      'D4 F#4 A4 C#5 C5 C#5 | F4 F#4',
      'D4:q F#4:q A4:q C#5:q | C5(n):q C#5(#):q F4(n):q F#4(#):q',
    ],
    [
      'F major: Bb from the signature, B natural printed',
      { tonic: 'F', mode: 'major' },
      'F4 Bb4 B4 C5',
      'F4:q Bb4:q B4(n):q C5:q',
    ],
    [
      'D minor: Bb from the signature, C# printed',
      { tonic: 'D', mode: 'minor' },
      'D4 Bb4 A4 C#5',
      'D4:q Bb4:q A4:q C#5(#):q',
    ],
    ['A minor: G# printed', { tonic: 'A', mode: 'minor' }, 'A4 G#4 A4 G4', 'A4:q G#4(#):q A4:q G4(n):q'],
  ] as const)('%s', (_, key, text, expected) => {
    expect(describeScore(score(text.replace('|', ''), M44, key))).toBe(expected);
  });

  it('spells double sharps in G# minor with a double-sharp sign', () => {
    const s = score('G#4 F##4 G#4', M34, { tonic: 'G#', mode: 'minor' });
    expect(describeScore(s)).toBe('G#4:q F##4(##):q G#4:q');
  });
});

describe('buildScore: key, clef and note indices', () => {
  it('takes the key from the options, then the melody, then estimates it', () => {
    const notes = parseNotes('D4 E4 F#4 G4 A4 B4 C#5 D5');
    const melody = makeMelody({ notes, key: { tonic: 'A', mode: 'major' } });
    expect(buildScore(melody, { key: { tonic: 'G', mode: 'major' } }).keySignature).toEqual({
      key: { tonic: 'G', mode: 'major' },
      fifths: 1,
    });
    expect(buildScore(melody).keySignature.fifths).toBe(3);
    expect(buildScore(makeMelody({ notes })).keySignature).toEqual({
      key: { tonic: 'D', mode: 'major' },
      fifths: 2,
    });
    const gSharp = parseNotes('G#3 A#3 C4 C#4 D#4 F4 G4 G#4');
    expect(
      buildScore(makeMelody({ notes: gSharp, key: { tonic: 'G#', mode: 'major' } })).keySignature,
    ).toEqual({
      key: { tonic: 'Ab', mode: 'major' },
      fifths: -4,
    });
  });

  it('chooses the bass clef when the median pitch is below G3', () => {
    expect(score('C3 D3 E3 G4').clef).toBe('bass');
    expect(score('C3 G3 A3').clef).toBe('treble');
    expect(score('F3 G3').clef).toBe('bass'); // median 54
    expect(score('F#3 G#3').clef).toBe('treble'); // median 55
    expect(score('').clef).toBe('treble');
  });

  it('marks each written note with its melody note', () => {
    const s = score('C4/2 D4/20 E4');
    const notes = s.measures.flatMap((m) => m.events).filter((e) => e.kind === 'note');
    expect(notes.map((e) => e.noteIndex)).toEqual([0, 1, 1, 1, 1, 2, 2]);
    expect(s.noteCount).toBe(3);
  });

  it('lays out 512 bars', () => {
    const notes = parseNotes(
      Array.from({ length: 512 * 4 }, (_, i) => `${['C4/3', 'E4/5', 'G4/6', 'B4/2'][i % 4]}`).join(' '),
    );
    const s = buildScore(makeMelody({ notes, key: C_MAJOR }));
    expect(s.measures).toHaveLength(512);
  });
});

describe('buildScore: properties', () => {
  const meters = [M24, M34, M44, M68];
  const melodyArb = fc
    .record({
      meter: fc.constantFrom(...meters),
      key: fc.option(
        fc.tuple(fc.integer({ min: 0, max: 11 }), fc.constantFrom('major' as const, 'minor' as const)),
        {
          nil: null,
        },
      ),
      notes: fc.array(
        fc.record({
          gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 20 })),
          length: fc.integer({ min: 1, max: 40 }),
          pitch: fc.integer({ min: 36, max: 96 }),
        }),
        { maxLength: 40 },
      ),
      tail: fc.integer({ min: 0, max: 30 }),
    })
    .map(({ meter, key, notes, tail }): Melody => {
      let at = 0;
      const placed: Note[] = notes.map(({ gap, length, pitch }) => {
        const start = at + gap;
        at = start + length;
        return { pitch, start, end: at, velocity: 80 };
      });
      return makeMelody({
        notes: placed,
        meter,
        key: key ? keyFromPitchClass(key[0], key[1]) : null,
        length: at + tail,
      });
    });

  it('fills every measure exactly, with contiguous events that stay inside it', () => {
    fc.assert(
      fc.property(melodyArb, (melody) => {
        const s = buildScore(melody);
        const bar = stepsPerBar(melody.meter);
        expect(s.measures).toHaveLength(Math.max(1, Math.ceil(melody.length / bar)));
        s.measures.forEach((m, i) => {
          expect(m.index).toBe(i);
          expect(m.start).toBe(i * bar);
          let at = m.start;
          for (const e of m.events) {
            expect(e.start).toBe(at);
            expect(e.duration).toBeGreaterThan(0);
            at += e.duration;
          }
          expect(at).toBe(m.start + bar);
        });
      }),
    );
  });

  it('writes each melody note as tied pieces adding up to its length, with its pitch', () => {
    fc.assert(
      fc.property(melodyArb, (melody) => {
        const s = buildScore(melody);
        const events = s.measures.flatMap((m) => m.events);
        const byNote = new Map<number, typeof events>();
        for (const e of events) {
          if (e.kind === 'rest') {
            expect(e).toMatchObject({
              noteIndex: null,
              pitch: null,
              accidental: null,
              tieToNext: false,
              beam: null,
            });
            continue;
          }
          expect(e.noteIndex).not.toBeNull();
          const list = byNote.get(e.noteIndex!) ?? [];
          list.push(e);
          byNote.set(e.noteIndex!, list);
        }
        expect(s.noteCount).toBe(melody.notes.length);
        expect([...byNote.keys()].sort((a, b) => a - b)).toEqual(melody.notes.map((_, i) => i));
        melody.notes.forEach((note, i) => {
          const pieces = byNote.get(i)!;
          expect(pieces[0]!.start).toBe(note.start);
          expect(pieces.reduce((sum, e) => sum + e.duration, 0)).toBe(note.end - note.start);
          pieces.forEach((e, j) => {
            expect(e.tieToNext).toBe(j < pieces.length - 1);
            expect(spelledToMidi(e.pitch!)).toBe(note.pitch);
          });
        });
      }),
    );
  });

  it('gives every event a duration matching its value, except whole-bar rests', () => {
    fc.assert(
      fc.property(melodyArb, (melody) => {
        const s = buildScore(melody);
        const bar = stepsPerBar(melody.meter);
        for (const e of s.measures.flatMap((m) => m.events)) {
          if (e.kind === 'rest' && e.value === 'w' && e.duration === bar) continue;
          expect(e.dots).toBeLessThan(2);
          expect(e.duration).toBe(valueSteps(e.value, e.dots));
        }
      }),
    );
  });

  it('beams only groups of two or more eighths and sixteenths inside one beat', () => {
    fc.assert(
      fc.property(melodyArb, (melody) => {
        const s = buildScore(melody);
        const beat = melody.meter.denominator === 8 ? 6 : 4;
        for (const m of s.measures) {
          const groups = new Map<number, number[]>();
          m.events.forEach((e, i) => {
            if (e.beam === null) return;
            expect(e.kind).toBe('note');
            expect(['8', '16']).toContain(e.value);
            groups.set(e.beam, [...(groups.get(e.beam) ?? []), i]);
          });
          for (const indices of groups.values()) {
            expect(indices.length).toBeGreaterThanOrEqual(2);
            // Consecutive events, all inside the beat of the first one.
            indices.forEach((idx, j) => j > 0 && expect(idx).toBe(indices[j - 1]! + 1));
            const first = m.events[indices[0]!]!;
            const last = m.events[indices[indices.length - 1]!]!;
            const beatStart = m.start + Math.floor((first.start - m.start) / beat) * beat;
            expect(last.start + last.duration).toBeLessThanOrEqual(beatStart + beat);
          }
        }
      }),
    );
  });

  it('prints accidentals that, read by the usual rules, give back every pitch', () => {
    fc.assert(
      fc.property(melodyArb, (melody) => {
        const s = buildScore(melody);
        // The signature in force: the score's, then each key change from its bar on.
        let fifths = s.keySignature.fifths;
        let previous: ScoreEvent | null = null;
        for (const m of s.measures) {
          if (m.keyChange) fifths = m.keyChange.fifths;
          const sharps = 'FCGDAEB'.slice(0, Math.max(0, fifths));
          const flats = 'BEADGCF'.slice(0, Math.max(0, -fifths));
          const inForce = new Map<string, number>();
          for (const e of m.events) {
            if (e.kind === 'note') {
              const p = e.pitch!;
              const slot = `${p.letter}${p.octave}`;
              const continuing = previous !== null && previous.tieToNext;
              if (e.accidental) {
                const alter = { n: 0, '#': 1, b: -1, '##': 2, bb: -2 }[e.accidental];
                inForce.set(slot, alter);
              }
              const read =
                continuing && !e.accidental
                  ? p.alter // a tied note sounds as the note it continues
                  : (inForce.get(slot) ??
                    (sharps.includes(p.letter) ? 1 : flats.includes(p.letter) ? -1 : 0));
              expect(read).toBe(p.alter);
            }
            previous = e;
          }
        }
      }),
    );
  });
});

describe('a pickup is written as the end of a short bar 0', () => {
  const written = (melody: Melody) =>
    buildScore(melody).measures.map((m) =>
      m.events
        .map(
          (e) =>
            `${e.kind === 'rest' ? 'r' : ''}${e.value}${'.'.repeat(e.dots)}${e.beam !== null ? 'b' : ''}`,
        )
        .join(' '),
    );

  it.each([
    // [meter, pickup steps, notes, bars as written]
    ['4/4', 4, 'G4 C5/16', ['q', 'w']],
    ['3/4', 4, 'D5/2 E5/2 F#5/12', ['8b 8b', 'h.']],
    ['6/8', 2, 'A4/2 D5/6 F#5/6', ['8', 'q. q.']],
    ['6/8', 6, 'A4/2 B4/2 C#5/2 D5/12', ['8b 8b 8b', 'h.']],
    ['2/4', 2, 'B4/2 C5/8', ['8', 'h']],
  ] as const)('%s with a pickup of %i steps', (meter, pickup, notes, bars) => {
    const [numerator, denominator] = meter.split('/').map(Number) as [number, number];
    const melody = makeMelody({ notes: parseNotes(notes), meter: { numerator, denominator }, pickup });
    expect(written(melody)).toEqual(bars);
    expect(buildScore(melody).measures[0]!.pickup).toBe(true);
  });
});
