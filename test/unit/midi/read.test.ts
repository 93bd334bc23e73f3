import { describe, expect, it } from 'vitest';
import { readMidi, toBpm, type ParsedMidi, type RawNote } from '../../../src-core/midi/read.ts';
import { MAX_META_BYTES } from '../../../src-core/midi/scan.ts';
import {
  END,
  ascii,
  chunk,
  file,
  header,
  keySig,
  name,
  off,
  on,
  tempo,
  timeSig,
  track,
  twoNotes,
  vlq,
} from './smf-bytes.ts';

function read(bytes: Uint8Array): { parsed: ParsedMidi; warnings: readonly string[] } {
  const result = readMidi(bytes);
  if (!result.ok)
    throw new Error(`expected a readable file, got ${result.error.code}: ${result.error.message}`);
  return { parsed: result.value, warnings: result.warnings ?? [] };
}

const notesOf = (bytes: Uint8Array): Pick<RawNote, 'pitch' | 'startTick' | 'endTick'>[] =>
  read(bytes).parsed.notes.map(({ pitch, startTick, endTick }) => ({ pitch, startTick, endTick }));

describe('readMidi: header facts', () => {
  it('reads format, resolution, tracks and duration', () => {
    const { parsed } = read(twoNotes());
    expect(parsed.format).toBe(0);
    expect(parsed.ticksPerQuarter).toBe(480);
    expect(parsed.durationTicks).toBe(960);
    expect(parsed.tracks).toEqual([
      {
        index: 0,
        name: null,
        noteCount: 2,
        endTick: 960,
        channels: [{ channel: 0, noteCount: 2, isDrums: false, program: null, lowest: 60, highest: 64 }],
      },
    ]);
  });

  it('uses 120 BPM, 4/4 and no key when the file says nothing', () => {
    const { parsed } = read(twoNotes());
    expect([parsed.tempo, parsed.meter, parsed.key]).toEqual([120, { numerator: 4, denominator: 4 }, null]);
  });

  it('accepts a header longer than 6 bytes, as the standard allows', () => {
    const bytes = file(
      ascii('MThd'),
      [0, 0, 0, 8, 0, 0, 0, 1, 0x01, 0xe0, 0xaa, 0xbb],
      track(on(0, 0, 60), off(480, 0, 60), END),
    );
    expect(read(bytes).parsed.notes).toHaveLength(1);
  });
});

describe('readMidi: tempo', () => {
  // [microseconds per quarter, BPM] checked by hand: 60,000,000 / µs, to 2 decimals
  const table: [number, number][] = [
    [500_000, 120],
    [600_000, 100],
    [666_667, 90],
    [428_571, 140],
    [700_000, 85.71],
    [1_000_000, 60],
    [250_000, 240],
  ];
  it.each(table)('%i µs per quarter is %f BPM', (us, bpm) => {
    expect(toBpm(us)).toBe(bpm);
    expect(read(file(header(), track(tempo(0, us), END))).parsed.tempo).toBe(bpm);
  });

  it('ignores a tempo of zero with a warning and uses the next one', () => {
    const { parsed, warnings } = read(
      file(header(), track(tempo(0, 0), tempo(0, 600_000), on(0, 0, 60), off(480, 0, 60), END)),
    );
    expect(parsed.tempo).toBe(100);
    expect(warnings.join(' ')).toMatch(/tempo of zero/);
  });

  it('uses 120 when the only tempo is zero', () => {
    const { parsed, warnings } = read(file(header(), track(tempo(0, 0), END)));
    expect(parsed.tempo).toBe(120);
    expect(warnings).toHaveLength(1);
  });

  it('keeps the first tempo and each later change, at its step', () => {
    const { parsed, warnings } = read(
      file(
        header(),
        track(tempo(0, 500_000), on(0, 0, 60), off(480, 0, 60), tempo(0, 400_000), tempo(480, 300_000), END),
      ),
    );
    expect(parsed.tempo).toBe(120);
    // 150 a minute from step 4 (one quarter in), 200 from step 8.
    expect(parsed.tempoChanges).toEqual([
      { at: 4, bpm: 150 },
      { at: 8, bpm: 200 },
    ]);
    expect(warnings).toEqual([]);
  });

  it('does not warn when tracks repeat the same tempo', () => {
    const bytes = file(
      header({ format: 1, tracks: 2 }),
      track(tempo(0, 500_000), END),
      track(tempo(0, 500_000), END),
    );
    expect(read(bytes).warnings).toEqual([]);
  });

  it('takes the earliest tempo in any track of a format 1 file', () => {
    const bytes = file(
      header({ format: 1, tracks: 2 }),
      track(tempo(960, 600_000), END),
      track(tempo(0, 500_000), END),
    );
    expect(read(bytes).parsed.tempo).toBe(120);
  });
});

describe('readMidi: meter and key', () => {
  // [numerator, power of two, expected meter]
  const meters: [number, number, string][] = [
    [4, 2, '4/4'],
    [3, 2, '3/4'],
    [2, 2, '2/4'],
    [6, 3, '6/8'],
    [12, 3, '12/8'],
    [2, 1, '2/2'],
    [5, 2, '5/4'],
  ];
  it.each(meters)('%i over 2^%i is %s', (num, power, expected) => {
    const { meter } = read(file(header(), track(timeSig(0, num, power), END))).parsed;
    expect(`${meter.numerator}/${meter.denominator}`).toBe(expected);
  });

  it('ignores an unusable time signature with a warning', () => {
    const { parsed, warnings } = read(file(header(), track(timeSig(0, 0, 2), END)));
    expect(parsed.meter).toEqual({ numerator: 4, denominator: 4 });
    expect(warnings).toHaveLength(1);
  });

  it('keeps each change of time signature, at its step', () => {
    // 3/4 for a bar (three quarters of 480 ticks), then 2/4.
    const { parsed, warnings } = read(file(header(), track(timeSig(0, 3, 2), timeSig(1440, 2, 2), END)));
    expect(parsed.meter).toEqual({ numerator: 3, denominator: 4 });
    expect(parsed.pickup).toBe(0);
    expect(parsed.meterChanges).toEqual([{ at: 12, meter: { numerator: 2, denominator: 4 } }]);
    expect(warnings).toEqual([]);
  });

  it('reads a first bar of its own signature, shorter than the next, as a pickup', () => {
    // One quarter of 1/4, then 3/4: a waltz with a one-beat upbeat.
    const { parsed } = read(file(header(), track(timeSig(0, 1, 2), timeSig(480, 3, 2), END)));
    expect(parsed.meter).toEqual({ numerator: 3, denominator: 4 });
    expect(parsed.pickup).toBe(4);
    expect(parsed.meterChanges).toEqual([]);
  });

  // [sharps or flats, 0 major / 1 minor, tonic, mode]
  const keys: [number, number, string, string][] = [
    [0, 0, 'C', 'major'],
    [2, 0, 'D', 'major'],
    [-1, 0, 'F', 'major'],
    [6, 0, 'F#', 'major'],
    [-6, 0, 'Gb', 'major'],
    [7, 0, 'C#', 'major'],
    [-7, 0, 'Cb', 'major'],
    [0, 1, 'A', 'minor'],
    [1, 1, 'E', 'minor'],
    [-3, 1, 'C', 'minor'],
    [3, 1, 'F#', 'minor'],
    [-2, 1, 'G', 'minor'],
    [6, 1, 'D#', 'minor'],
    [-6, 1, 'Eb', 'minor'],
  ];
  it.each(keys)('key signature %i/%i is %s %s', (sharps, minor, tonic, mode) => {
    expect(read(file(header(), track(keySig(0, sharps, minor), END))).parsed.key).toEqual({ tonic, mode });
  });

  it('keeps each change of key signature, the last of one tick counting', () => {
    const { parsed, warnings } = read(
      file(header(), track(keySig(0, 2, 0), keySig(1920, 0, 0), keySig(0, -1, 0), keySig(1920, -1, 0), END)),
    );
    expect(parsed.key).toEqual({ tonic: 'D', mode: 'major' });
    expect(parsed.keyChanges).toEqual([{ at: 16, key: { tonic: 'F', mode: 'major' } }]);
    expect(warnings).toEqual([]);
  });

  it('ignores a key signature out of range', () => {
    const { parsed, warnings } = read(file(header(), track(keySig(0, 9, 0), END)));
    expect(parsed.key).toBeNull();
    expect(warnings).toHaveLength(1);
  });
});

describe('readMidi: notes', () => {
  // [what, track events, notes as pitch/start/end ticks]
  const table: [string, (readonly number[])[], [number, number, number][]][] = [
    ['note-on with velocity 0 ends a note', [on(0, 0, 60), on(480, 0, 60, 0), END], [[60, 0, 480]]],
    [
      'a note-off without a note-on is ignored',
      [off(0, 0, 62), on(0, 0, 60), off(240, 0, 60), END],
      [[60, 0, 240]],
    ],
    [
      'a note never switched off ends with its track',
      [on(0, 0, 60), [...vlq(960), 0xff, 0x2f, 0x00]],
      [[60, 0, 960]],
    ],
    [
      'a re-struck note whose note-on comes before the old note-off',
      [on(0, 0, 60), on(480, 0, 60), off(0, 0, 60), off(480, 0, 60), END],
      [
        [60, 0, 480],
        [60, 480, 960],
      ],
    ],
    [
      'running status (one status byte for several notes)',
      [[0x00, 0x90, 60, 80], [0x83, 0x60, 60, 0], [0x00, 64, 80], [0x83, 0x60, 64, 0], END],
      [
        [60, 0, 480],
        [64, 480, 960],
      ],
    ],
    [
      'a chord',
      [on(0, 0, 60), on(0, 0, 64), on(0, 0, 67), off(480, 0, 60), off(0, 0, 64), off(0, 0, 67), END],
      [
        [60, 0, 480],
        [64, 0, 480],
        [67, 0, 480],
      ],
    ],
    ['a note switched off at once', [on(0, 0, 60), off(0, 0, 60), END], [[60, 0, 0]]],
    [
      'running status kept across a meta event',
      [[0x00, 0x90, 60, 80], [...name(0, 'x')], [0x83, 0x60, 60, 0], END],
      [[60, 0, 480]],
    ],
  ];
  it.each(table)('%s', (_what, events, expected) => {
    expect(notesOf(file(header(), track(...events)))).toEqual(
      expected.map(([pitch, startTick, endTick]) => ({ pitch, startTick, endTick })),
    );
  });

  it('keeps velocity, track and channel, and sorts notes by time', () => {
    const bytes = file(
      header({ format: 1, tracks: 2 }),
      track(on(480, 3, 70, 99), off(480, 3, 70), END),
      track(on(0, 0, 50, 20), off(960, 0, 50), END),
    );
    expect(read(bytes).parsed.notes).toEqual([
      { track: 1, channel: 0, pitch: 50, velocity: 20, startTick: 0, endTick: 960 },
      { track: 0, channel: 3, pitch: 70, velocity: 99, startTick: 480, endTick: 960 },
    ]);
  });

  it('summarises channels with their first program and drums', () => {
    const bytes = file(
      header(),
      track(
        [0x00, 0xc0, 40],
        [0x00, 0xc0, 41],
        on(0, 0, 72),
        off(240, 0, 72),
        on(0, 9, 36),
        off(240, 9, 36),
        on(0, 0, 67),
        off(240, 0, 67),
        END,
      ),
    );
    expect(read(bytes).parsed.tracks[0]!.channels).toEqual([
      { channel: 0, noteCount: 2, isDrums: false, program: 40, lowest: 67, highest: 72 },
      { channel: 9, noteCount: 1, isDrums: true, program: null, lowest: 36, highest: 36 },
    ]);
  });
});

describe('readMidi: file structure', () => {
  it('skips chunks of unknown type', () => {
    const bytes = file(header(), chunk('XFIH', [1, 2, 3, 4, 5]), track(on(0, 0, 60), off(480, 0, 60), END));
    const { parsed, warnings } = read(bytes);
    expect(parsed.notes).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('ignores bytes after the last declared track', () => {
    expect(read(file([...twoNotes()], ascii('junk at the end'))).parsed.notes).toHaveLength(2);
  });

  it('warns when fewer tracks are found than the header declares', () => {
    const { parsed, warnings } = read(
      file(header({ format: 1, tracks: 3 }), track(END), track(on(0, 0, 60), off(480, 0, 60), END)),
    );
    expect(parsed.tracks).toHaveLength(2);
    expect(warnings).toEqual(['The file says it has 3 tracks but only 2 were found; it may be incomplete.']);
  });

  it('reads a file with a 200,000-character lyric and track name, keeping the start of each and saying so', () => {
    const lyric = ascii('la '.repeat(66_667));
    const title = ascii('A long title '.repeat(15_385));
    const bytes = file(
      header(),
      track(
        [0x00, 0xff, 0x03, ...vlq(title.length), ...title],
        [0x00, 0xff, 0x05, ...vlq(lyric.length), ...lyric],
        on(0, 0, 60),
        off(480, 0, 60),
        on(0, 0, 62),
        off(480, 0, 62),
        END,
      ),
    );
    expect(lyric.length).toBeGreaterThan(150_000);
    const { parsed, warnings } = read(bytes);
    expect(parsed.notes.map((n) => n.pitch)).toEqual([60, 62]);
    expect(parsed.tracks[0]!.name?.startsWith('A long title A long title')).toBe(true);
    expect(parsed.tracks[0]!.name!.length).toBeLessThanOrEqual(MAX_META_BYTES);
    expect(warnings).toEqual([
      'Track 1 has 2 text events longer than 16,384 bytes; only the start of each was read.',
    ]);
  });

  it('reads track names as UTF-8, falling back to Latin-1', () => {
    const utf8 = [...new TextEncoder().encode('Chanson à deux')];
    const latin1 = [...ascii('Caf'), 0xe9];
    const bytes = file(
      header({ format: 1, tracks: 3 }),
      track([0x00, 0xff, 0x03, utf8.length, ...utf8], END),
      track([0x00, 0xff, 0x03, latin1.length, ...latin1], END),
      track(name(0, '   '), END),
    );
    expect(read(bytes).parsed.tracks.map((t) => t.name)).toEqual(['Chanson à deux', 'Café', null]);
  });
});
