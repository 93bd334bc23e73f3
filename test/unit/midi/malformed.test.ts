import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readMidi } from '../../../src-core/midi/read.ts';
import { extractMelody } from '../../../src-core/midi/extract.ts';
import { MIDI_LIMITS } from '../../../src-core/midi/limits.ts';
import { isMonophonic } from '../../../src-core/music/melody.ts';
import {
  END,
  ascii,
  chunk,
  file,
  header,
  isReadableSentence,
  name,
  off,
  on,
  tempo,
  track,
  twoNotes,
  u32,
  vlq,
} from './smf-bytes.ts';

/** [what, bytes, expected code] — each one a way a file can be broken. */
const CASES: [string, () => Uint8Array, string][] = [
  ['an empty file', () => file([]), 'midi/empty'],
  ['plain text', () => file(ascii('Hello, this is not music at all.')), 'midi/not-midi'],
  [
    'a PNG signature',
    () => file([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    'midi/not-midi',
  ],
  ['"MThd" and nothing else', () => file(ascii('MThd')), 'midi/truncated-header'],
  ['the first 3 bytes of a header', () => file(ascii('MTh')), 'midi/truncated-header'],
  ['a header cut off after 10 bytes', () => file(header().slice(0, 10)), 'midi/truncated-header'],
  [
    'a header that says it is 4 bytes long',
    () => file(header({ length: 4 }), track(END)),
    'midi/bad-header-length',
  ],
  [
    'a header that says it is 4 GB long',
    () => file(header({ length: 0xffffffff }), track(END)),
    'midi/bad-chunk-length',
  ],
  ['format 2', () => file(header({ format: 2 }), track(END)), 'midi/format-2'],
  ['format 7', () => file(header({ format: 7 }), track(END)), 'midi/unknown-format'],
  [
    'SMPTE timing (25 fps, 40 ticks per frame)',
    () => file(header({ division: 0xe728 }), track(END)),
    'midi/smpte-timing',
  ],
  ['zero ticks per quarter note', () => file(header({ division: 0 }), track(END)), 'midi/zero-ticks'],
  ['a header declaring no tracks', () => file(header({ tracks: 0 })), 'midi/no-tracks'],
  ['a header with no track after it', () => file(header()), 'midi/no-tracks'],
  [
    'a header declaring 1000 tracks',
    () => file(header({ format: 1, tracks: 1000 }), track(END)),
    'midi/too-many-tracks',
  ],
  [
    'a track longer than the file',
    () => file(header(), chunk('MTrk', [...on(0, 0, 60), ...END], 100)),
    'midi/truncated',
  ],
  ['a track declaring 2 GB', () => file(header(), chunk('MTrk', END, 0x7fffffff)), 'midi/bad-chunk-length'],
  ['a track chunk header cut short', () => file(header(), ascii('MTrk'), [0, 0]), 'midi/truncated'],
  [
    'binary garbage where a track should be',
    () => file(header(), [0x00, 0x01, 0x02, 0xfe, 0, 0, 0, 4, 1, 2, 3, 4]),
    'midi/bad-chunk',
  ],
  [
    'a second track missing its end',
    () => file(header({ format: 1, tracks: 2 }), track(END), chunk('MTrk', END, 50)),
    'midi/truncated',
  ],
  ['a forbidden status byte (0xF4)', () => file(header(), track([0x00, 0xf4, 0x00], END)), 'midi/bad-event'],
  [
    'note data before any status byte',
    () => file(header(), track([0x00, 0x3c, 0x40], END)),
    'midi/bad-event',
  ],
  [
    'a note-on missing its velocity',
    () => file(header(), track(END, [0x00, 0x90, 0x3c])),
    'midi/truncated-event',
  ],
  [
    'a text event longer than its track',
    () => file(header(), track([0x00, 0xff, 0x01, 0x20, ...ascii('short')])),
    'midi/truncated-event',
  ],
  [
    'a delta time of five bytes',
    () => file(header(), track([0x81, 0x81, 0x81, 0x81, 0x01, 0x90, 0x3c, 0x40], END)),
    'midi/bad-event',
  ],
  [
    'a tempo event of two bytes',
    () => file(header(), track([0x00, 0xff, 0x51, 0x02, 0x07, 0xa1], END)),
    'midi/bad-event',
  ],
  [
    'an end-of-track event with data',
    () => file(header(), track([0x00, 0xff, 0x2f, 0x01, 0x00])),
    'midi/bad-event',
  ],
  [
    'a status byte where a note number should be',
    () => file(header(), track([0x00, 0x90, 0x3c, 0x90], END)),
    'midi/bad-event',
  ],
  ['a track that ends inside a delta time', () => file(header(), track(END, [0x81])), 'midi/truncated-event'],
  ['a file larger than the limit', () => new Uint8Array(MIDI_LIMITS.maxFileBytes + 1), 'midi/too-large'],
  [
    'a song over 100,000 beats long',
    () => file(header({ division: 1 }), track(on(0, 0, 60), off(0x0fffffff, 0, 60), END)),
    'midi/too-long',
  ],
];

describe('readMidi refuses broken files with a clear problem', () => {
  it('covers at least 15 kinds of damage', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(15);
  });

  it.each(CASES)('%s', (_what, bytes, code) => {
    const result = readMidi(bytes());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(isReadableSentence(result.error.message), result.error.message).toBe(true);
  });

  it('refuses more notes than the limit', () => {
    const count = MIDI_LIMITS.maxNotes + 1;
    const events = new Uint8Array(4 + count * 3 + 4);
    events.set([0x00, 0x90, 0x3c, 0x40], 0); // first note-on, then running status
    for (let i = 1; i < count; i++) events.set([0x00, 0x3c, 0x40], 1 + i * 3);
    events.set(END, 4 + (count - 1) * 3);
    const bytes = file(header(), ascii('MTrk'), u32(events.length), [...events]);
    const result = readMidi(bytes);
    expect(result.ok ? 'ok' : result.error.code).toBe('midi/too-many-notes');
    if (!result.ok) expect(isReadableSentence(result.error.message)).toBe(true);
  });
});

describe('melody extraction problems', () => {
  const cases: [string, Uint8Array, string][] = [
    [
      'a file with no notes',
      file(header(), track(name(0, 'Empty'), tempo(0, 500_000), END)),
      'midi/no-notes',
    ],
    [
      'drums only',
      file(header(), track(on(0, 9, 36), off(240, 9, 36), on(0, 9, 38), off(240, 9, 38), END)),
      'midi/drums-only',
    ],
  ];
  it.each(cases)('%s', (_what, bytes, code) => {
    const parsed = readMidi(bytes);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const melody = extractMelody(parsed.value);
    expect(melody.ok ? 'ok' : melody.error.code).toBe(code);
    if (!melody.ok) expect(isReadableSentence(melody.error.message), melody.error.message).toBe(true);
  });

  it('says which parts exist when asked for one that does not', () => {
    const parsed = readMidi(twoNotes());
    if (!parsed.ok) throw new Error('fixture');
    const melody = extractMelody(parsed.value, '4:2');
    expect(melody.ok ? 'ok' : melody.error.code).toBe('midi/no-such-part');
    if (!melody.ok) {
      expect(melody.error.message).toContain('0:0');
      expect(isReadableSentence(melody.error.message)).toBe(true);
    }
  });
});

describe('readMidi on damaged versions of a good file', () => {
  const good = file(
    header({ format: 1, tracks: 2, division: 96 }),
    track(name(0, 'Song'), tempo(0, 500_000), END),
    track(on(0, 0, 60), off(96, 0, 60), on(0, 0, 62), off(48, 0, 62), on(0, 0, 64), off(96, 0, 64), END),
  );

  it('never throws, and either reads a monophonic melody or gives a readable problem', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.nat(good.length),
        (edits, cut) => {
          const bytes = good.slice(0, Math.max(cut, good.length - 40));
          for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
          const result = readMidi(bytes);
          if (!result.ok) {
            expect(isReadableSentence(result.error.message), result.error.message).toBe(true);
            return;
          }
          const melody = extractMelody(result.value);
          if (melody.ok) expect(isMonophonic(melody.value.notes)).toBe(true);
          else expect(isReadableSentence(melody.error.message), melody.error.message).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws on random bytes, even ones that start like a MIDI file', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (tail, withHeader) => {
        const bytes = withHeader ? file(header({ format: 1, tracks: 2 }), ascii('MTrk'), [...tail]) : tail;
        const result = readMidi(bytes);
        if (!result.ok) expect(isReadableSentence(result.error.message), result.error.message).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('starts from bytes the helpers write correctly', () => {
    expect(vlq(480)).toEqual([0x83, 0x60]);
    expect(vlq(0x0fffffff)).toEqual([0xff, 0xff, 0xff, 0x7f]);
    expect(readMidi(twoNotes()).ok).toBe(true);
  });
});
