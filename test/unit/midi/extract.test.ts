import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultPart, extractMelody, listParts, type Part } from '../../../src-core/midi/extract.ts';
import { readMidi, type ParsedMidi, type RawNote } from '../../../src-core/midi/read.ts';
import { isMonophonic } from '../../../src-core/music/melody.ts';
import { polyphonicNotes } from './arbitraries.ts';
import { END, file, header, keySig, name, off, on, tempo, timeSig, track, vlq } from './smf-bytes.ts';

function parse(bytes: Uint8Array): ParsedMidi {
  const result = readMidi(bytes);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const part = (id: string, noteCount: number, meanPitch: number): Part => ({
  id,
  track: Number(id.split(':')[0]),
  channel: Number(id.split(':')[1]),
  label: id,
  noteCount,
  lowest: meanPitch,
  highest: meanPitch,
  meanPitch,
});

describe('defaultPart', () => {
  // [what, parts, chosen id]
  const table: [string, Part[], string | null][] = [
    ['no parts', [], null],
    ['one part', [part('0:0', 10, 60)], '0:0'],
    ['the higher of two busy parts', [part('1:0', 40, 48), part('2:1', 30, 72)], '2:1'],
    ['not a sparse high part', [part('1:0', 100, 60), part('2:0', 24, 84)], '1:0'],
    ['a part with exactly a quarter of the notes counts', [part('1:0', 100, 60), part('2:0', 25, 84)], '2:0'],
    ['the first on a tie', [part('1:0', 10, 60), part('2:0', 10, 60)], '1:0'],
  ];
  it.each(table)('%s', (_what, parts, id) => {
    expect(defaultPart(parts)?.id ?? null).toBe(id);
  });
});

describe('listParts', () => {
  it('lists every track and channel with notes, leaving drums out, with readable labels', () => {
    const parsed = parse(
      file(
        header({ format: 1, tracks: 3 }),
        track(name(0, 'Conductor'), tempo(0, 500_000), END),
        track(
          name(0, 'Flute'),
          on(0, 0, 72),
          off(480, 0, 72),
          on(0, 0, 79),
          off(480, 0, 79),
          on(0, 1, 60),
          off(480, 1, 60),
          END,
        ),
        track(on(0, 9, 36), off(480, 9, 36), on(0, 2, 43), off(480, 2, 43), END),
      ),
    );
    expect(listParts(parsed).map(({ id, label, meanPitch }) => [id, label, meanPitch])).toEqual([
      ['1:0', 'Flute, channel 1: 2 notes, C5–G5', 75.5],
      ['1:1', 'Flute, channel 2: 1 note, C4', 60],
      ['2:2', 'Track 3, channel 3: 1 note, G2', 43],
    ]);
  });
});

describe('extractMelody', () => {
  it("drops silence far past the last note: a 1/16 meter, one note, the end 396,000 bars away (within the reader's 100,000-beat limit)", () => {
    // division 4: a step is one tick; in 1/16 a bar is one step.
    const bytes = file(
      header({ division: 4 }),
      track(timeSig(0, 1, 4), on(0, 0, 60), off(4, 0, 60), [...vlq(396_000), 0xff, 0x2f, 0x00]),
    );
    expect(bytes.length).toBeLessThan(60);
    const melody = extractMelody(parse(bytes));
    expect(melody.ok && melody.value.length).toBe(4);
    // Silence within the allowance stays (a saved melody's empty closing bars come back).
    const near = extractMelody(
      parse(
        file(header({ division: 4 }), track(on(0, 0, 60), off(4, 0, 60), [...vlq(60), 0xff, 0x2f, 0x00])),
      ),
    );
    expect(near.ok && near.value.length).toBe(64);
  });

  it('refuses a melody of more than 10,000 bars, in words', () => {
    const bytes = file(
      header({ division: 4 }),
      track(timeSig(0, 1, 4), on(0, 0, 60), off(1, 0, 60), on(20_000, 0, 62), off(1, 0, 62), END),
    );
    const melody = extractMelody(parse(bytes));
    expect(melody.ok).toBe(false);
    if (!melody.ok) {
      expect(melody.error.code).toBe('midi/too-long');
      expect(melody.error.message).toBe(
        'This melody is 20,002 bars long; Cantus shows melodies of up to 10,000 bars. Choose a shorter file, or another part.',
      );
    }
  });

  it('quantizes, keeps meter, tempo, key and title, and takes the track end as length', () => {
    const parsed = parse(
      file(
        header({ division: 96 }),
        track(
          name(0, 'Little Tune'),
          tempo(0, 600_000),
          timeSig(0, 3, 2),
          keySig(0, -1, 0),
          on(2, 0, 65), // starts 2 ticks late: rounds to step 0
          off(46, 0, 65), // ends at tick 48: step 2
          on(1, 0, 70), // tick 49: step 2
          off(140, 0, 70), // tick 189: rounds to step 8
          [...vlq(411 - 189), 0xff, 0x2f, 0x00], // track ends at tick 411: step 17
        ),
      ),
    );
    const melody = extractMelody(parsed);
    expect(melody).toEqual({
      ok: true,
      value: {
        notes: [
          { pitch: 65, start: 0, end: 2, velocity: 80 },
          { pitch: 70, start: 2, end: 8, velocity: 80 },
        ],
        meter: { numerator: 3, denominator: 4 },
        tempo: 100,
        key: { tonic: 'F', mode: 'major' },
        length: 17,
        title: 'Little Tune',
      },
    });
  });

  it('takes the title from the first track when the melody track has no name', () => {
    const parsed = parse(
      file(
        header({ format: 1, tracks: 2 }),
        track(name(0, 'Song Title'), END),
        track(on(0, 0, 60), off(480, 0, 60), END),
      ),
    );
    const melody = extractMelody(parsed);
    expect(melody.ok && melody.value.title).toBe('Song Title');
  });

  it('has no title when no track is named', () => {
    const melody = extractMelody(parse(file(header(), track(on(0, 0, 60), off(480, 0, 60), END))));
    expect(melody.ok && 'title' in melody.value).toBe(false);
  });

  it('uses the part asked for, and ignores drums even in the same track', () => {
    const parsed = parse(
      file(
        header(),
        track(on(0, 9, 81), on(0, 0, 60), on(0, 1, 48), off(480, 9, 81), off(0, 0, 60), off(0, 1, 48), END),
      ),
    );
    const top = extractMelody(parsed);
    const bass = extractMelody(parsed, '0:1');
    expect(top.ok && top.value.notes.map((x) => x.pitch)).toEqual([60]);
    expect(bass.ok && bass.value.notes.map((x) => x.pitch)).toEqual([48]);
  });

  it('a note too short for the grid still gets one step', () => {
    const melody = extractMelody(
      parse(file(header(), track(on(0, 0, 60), off(10, 0, 60), on(470, 0, 62), off(480, 0, 62), END))),
    );
    expect(melody.ok && melody.value.notes.map((x) => [x.start, x.end])).toEqual([
      [0, 1],
      [4, 8],
    ]);
  });

  it('says when a part plays chords and only the top notes were kept', () => {
    // A tune with a three-note chord on beats 1 and 3, and a plain melody.
    const chords = parse(
      file(
        header(),
        track(
          on(0, 0, 60),
          on(0, 0, 64),
          on(0, 0, 67),
          off(960, 0, 60),
          off(0, 0, 64),
          off(0, 0, 67),
          on(0, 0, 62),
          on(0, 0, 65),
          off(960, 0, 62),
          off(0, 0, 65),
          on(0, 0, 72),
          off(480, 0, 72),
          END,
        ),
      ),
    );
    const melody = extractMelody(chords);
    expect(melody.ok && melody.value.notes.map((n) => n.pitch)).toEqual([67, 65, 72]);
    expect(melody.ok && melody.warnings).toEqual([
      'This part plays chords (2 of its 3 note starts); Cantus shows the top note of each as the melody.',
    ]);
    const plain = extractMelody(parse(file(header(), track(on(0, 0, 60), off(480, 0, 60), END))));
    expect(plain.ok && plain.warnings).toBeUndefined();
  });

  it('always gives a monophonic melody that keeps the top note of each onset', () => {
    fc.assert(
      fc.property(polyphonicNotes(60), fc.constantFrom(96, 480, 100, 7), (notes, ppq) => {
        fc.pre(notes.length > 0);
        const raw: RawNote[] = notes.map((x) => ({
          track: 0,
          channel: 0,
          pitch: x.pitch,
          velocity: x.velocity,
          startTick: Math.round((x.start * ppq) / 4),
          endTick: Math.round((x.end * ppq) / 4),
        }));
        const parsed: ParsedMidi = {
          format: 0,
          ticksPerQuarter: ppq,
          tempo: 120,
          tempoChanges: [],
          meter: { numerator: 4, denominator: 4 },
          pickup: 0,
          meterChanges: [],
          key: null,
          keyChanges: [],
          tracks: [
            {
              index: 0,
              name: null,
              noteCount: raw.length,
              endTick: 0,
              channels: [
                {
                  channel: 0,
                  noteCount: raw.length,
                  isDrums: false,
                  program: null,
                  lowest: 21,
                  highest: 108,
                },
              ],
            },
          ],
          notes: raw,
          durationTicks: 0,
        };
        const melody = extractMelody(parsed);
        expect(melody.ok).toBe(true);
        if (!melody.ok) return;
        expect(isMonophonic(melody.value.notes)).toBe(true);
        for (const kept of melody.value.notes) {
          const rivals = melody.value.notes.filter((x) => x.start === kept.start);
          expect(rivals).toHaveLength(1);
          const sameOnset = raw.filter((r) => Math.round((r.startTick * 4) / ppq) === kept.start);
          expect(kept.pitch).toBe(Math.max(...sameOnset.map((r) => r.pitch)));
        }
      }),
    );
  });
});
