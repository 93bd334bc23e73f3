import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_TITLE_CHARS, writeMelodyMidi } from '../../../src-core/midi/write.ts';
import { readMidi } from '../../../src-core/midi/read.ts';
import { extractMelody } from '../../../src-core/midi/extract.ts';
import { decodeSmf, encodeSmf } from '../../../src-core/midi/smf.ts';
import { writeMidi } from 'midi-file';
import { signatureOfKey } from '../../../src-core/midi/key-signature.ts';
import { makeMelody, parseNotes, type Key, type Melody } from '../../../src-core/music/melody.ts';
import { melodies } from './arbitraries.ts';

function roundTrip(melody: Melody): Melody {
  const parsed = readMidi(writeMelodyMidi(melody));
  if (!parsed.ok) throw new Error(parsed.error.message);
  expect(parsed.warnings).toBeUndefined();
  const back = extractMelody(parsed.value);
  if (!back.ok) {
    if (melody.notes.length === 0 && back.error.code === 'midi/no-notes') return melody;
    throw new Error(back.error.message);
  }
  return back.value;
}

describe('writeMelodyMidi', () => {
  it('caps a very long title, so the file it writes reads back', () => {
    const title = 'Reel '.repeat(40_000);
    const bytes = writeMelodyMidi(makeMelody({ notes: parseNotes('D4 E4'), title }));
    const read = readMidi(bytes);
    expect(read.ok).toBe(true);
    const melody = read.ok ? extractMelody(read.value) : read;
    expect(melody.ok && melody.value.title).toBe(title.slice(0, MAX_TITLE_CHARS).trim());
  });

  it('writes a format 0 file at 480 ticks per quarter with name, tempo, meter, key, program and notes', () => {
    const melody = makeMelody({
      notes: parseNotes('D4/2 F#4/2'),
      meter: { numerator: 6, denominator: 8 },
      tempo: 100,
      key: { tonic: 'D', mode: 'major' },
      title: 'Tiny',
      length: 12,
    });
    const data = decodeSmf(writeMelodyMidi(melody));
    expect(data.header).toEqual({ format: 0, numTracks: 1, ticksPerBeat: 480 });
    expect(data.tracks).toHaveLength(1);
    expect(data.tracks[0]!.map((e) => [e.deltaTime, e.type])).toEqual([
      [0, 'trackName'],
      [0, 'setTempo'],
      [0, 'timeSignature'],
      [0, 'keySignature'],
      [0, 'programChange'],
      [0, 'noteOn'],
      [240, 'noteOff'],
      [0, 'noteOn'],
      [240, 'noteOff'],
      [960, 'endOfTrack'],
    ]);
    const events = data.tracks[0]!;
    expect(events[1]).toMatchObject({ microsecondsPerBeat: 600_000 });
    expect(events[2]).toMatchObject({ numerator: 6, denominator: 8, metronome: 36 });
    expect(events[3]).toMatchObject({ key: 2, scale: 0 });
  });

  it('encodes long tracks piece by piece to the same bytes as one call to midi-file', () => {
    const melody = makeMelody({
      notes: Array.from({ length: 700 }, (_, i) => ({
        pitch: 40 + (i % 50),
        start: i * 3,
        end: i * 3 + 2,
        velocity: 1 + (i % 127),
      })),
      title: 'Long',
    });
    const data = decodeSmf(writeMelodyMidi(melody));
    expect(data.tracks[0]!.length).toBeGreaterThan(1400);
    const once = Uint8Array.from(writeMidi(data, { running: false, useByte9ForNoteOff: false }));
    expect(encodeSmf(data)).toEqual(once);
  });

  it('leaves out the name and key when the melody has none', () => {
    const types = decodeSmf(writeMelodyMidi(makeMelody({ notes: parseNotes('C4') }))).tracks[0]!.map(
      (e) => e.type,
    );
    expect(types).not.toContain('trackName');
    expect(types).not.toContain('keySignature');
  });

  it('ends a repeated note before starting it again', () => {
    expect(roundTrip(makeMelody({ notes: parseNotes('A4 A4 A4/2 A4/2') })).notes).toEqual(
      parseNotes('A4 A4 A4/2 A4/2'),
    );
  });

  it('refuses overlapping notes and a tempo of zero (programmer errors)', () => {
    const overlapping: Melody = {
      ...makeMelody({ notes: [] }),
      notes: [
        { pitch: 60, start: 0, end: 8, velocity: 80 },
        { pitch: 62, start: 4, end: 8, velocity: 80 },
      ],
    };
    expect(() => writeMelodyMidi(overlapping)).toThrow(RangeError);
    expect(() => writeMelodyMidi({ ...makeMelody({ notes: [] }), tempo: 0 })).toThrow(RangeError);
  });

  it('reads back the same melody: notes, meter, tempo, key, length and title', () => {
    fc.assert(
      fc.property(melodies, (melody) => {
        expect(roundTrip(melody)).toEqual(melody);
      }),
      { numRuns: 300 },
    );
  });
});

describe('signatureOfKey', () => {
  // [tonic, mode, sharps (+) or flats (-)]
  const table: [string, Key['mode'], number][] = [
    ['C', 'major', 0],
    ['G', 'major', 1],
    ['F', 'major', -1],
    ['Bb', 'major', -2],
    ['F#', 'major', 6],
    ['Gb', 'major', -6],
    ['A', 'minor', 0],
    ['E', 'minor', 1],
    ['D', 'minor', -1],
    ['G#', 'minor', 5],
    ['G#', 'major', -4], // 8 sharps has no signature: written as Ab major
    ['D#', 'major', -3], // as Eb major
  ];
  it.each(table)('%s %s has %i', (tonic, mode, sharps) => {
    expect(signatureOfKey({ tonic, mode })).toBe(sharps);
  });
});
