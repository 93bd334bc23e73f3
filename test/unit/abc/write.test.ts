import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { abcTuneToMelody, readAbc } from '../../../src-core/abc/read.ts';
import { writeAbc } from '../../../src-core/abc/write.ts';
import { extractMelody } from '../../../src-core/midi/extract.ts';
import { readMidi } from '../../../src-core/midi/read.ts';
import { formatNotes, makeMelody, parseNotes, type Melody } from '../../../src-core/music/melody.ts';

function readBack(text: string): Melody {
  const book = readAbc(text);
  if (!book.ok) throw new Error(book.error.message);
  const m = abcTuneToMelody(book.value.tunes[0]!);
  if (!m.ok) throw new Error(m.error.message);
  return m.value;
}

const D_MAJOR = { tonic: 'D', mode: 'major' } as const;
/** Eight bars of eighths in D: each bar a different turn of the scale, so no bar repeats another. */
function strainOf(base: readonly string[]): string {
  return Array.from({ length: 8 }, (_, bar) =>
    Array.from({ length: 8 }, (_, k) => `${base[(bar * 3 + k * ((bar % 3) + 1)) % base.length]}/2`).join(' '),
  ).join(' ');
}
const A = strainOf(['D5', 'E5', 'F#5', 'G5', 'A5', 'B5', 'C#6']);
const B = strainOf(['A4', 'B4', 'C#5', 'D5', 'E5', 'F#5', 'G5', 'A5', 'B5']);
// Two eight-bar strains, each played twice exactly (AABB), in 4/4 with a quarter-note upbeat.
const reel = makeMelody({
  notes: parseNotes(`A4 ${A} ${A} ${B} ${B}`),
  meter: { numerator: 4, denominator: 4 },
  pickup: 4,
  key: D_MAJOR,
  title: 'Test Reel',
});

describe('writeAbc', () => {
  it('writes the header and key-relative accidentals', () => {
    const m = makeMelody({ notes: parseNotes('D4 F#4 F4 F4 C5/2 C#5/2 G5/8'), key: D_MAJOR, title: 'Small' });
    const text = writeAbc(m);
    expect(text).toMatch(/^X:1\nT:Small\nM:4\/4\nL:1\/8\nQ:1\/4=120\nK:D\n/);
    expect(text).toContain('D2 F2 =F2 F2|=c ^c g4|]');
  });

  it('ties a note across the barline and uses L:1/16 for sixteenths', () => {
    const m = makeMelody({ notes: parseNotes('r/12 C4/1 D4/1 E4/8'), key: { tonic: 'C', mode: 'major' } });
    const text = writeAbc(m);
    expect(text).toContain('L:1/16');
    expect(text).toContain('z12 C D E2-|E6');
  });

  it('writes an exact strain repeat with |: :|', () => {
    const text = writeAbc(reel);
    expect(text).toContain('|:');
    expect(text).toContain(':|');
  });

  it.each([
    ['a reel with a pickup and repeats', reel],
    [
      'a tune in E minor with a triplet',
      makeMelody({
        notes: [
          ...parseNotes('E4 G4/2 F#4/2 E4/8'),
          { pitch: 64, start: 16, end: 17, velocity: 80 },
          { pitch: 66, start: 17, end: 19, velocity: 80 },
          { pitch: 67, start: 19, end: 20, velocity: 80 },
        ],
        meter: { numerator: 2, denominator: 4 },
        key: { tonic: 'E', mode: 'minor' },
        tuplets: [{ start: 16, span: 4 }],
      }),
    ],
    [
      'a tune that changes meter and key',
      makeMelody({
        notes: parseNotes('G4 A4 B4 C5 D5 E5 F#5 G5 A#4 C5 D5 D#5'),
        meter: { numerator: 4, denominator: 4 },
        meterChanges: [{ at: 16, meter: { numerator: 3, denominator: 4 } }],
        key: { tonic: 'G', mode: 'major' },
        keyChanges: [{ at: 32, key: { tonic: 'Bb', mode: 'major' } }],
      }),
    ],
  ])('round trip: %s reads back with the same notes', (_, melody) => {
    const back = readBack(writeAbc(melody));
    expect(formatNotes(back.notes)).toBe(formatNotes(melody.notes));
    expect(back.pickup ?? 0).toBe(melody.pickup ?? 0);
  });
});

function hasAbc2midi(): boolean {
  try {
    execFileSync('abc2midi', ['-ver'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const abc2midi = hasAbc2midi();
if (!abc2midi && process.env.CI !== 'true') {
  console.warn(
    'abc2midi is not installed (Debian package abcmidi): skipping the check of exported ABC against it.',
  );
}

describe.skipIf(!abc2midi && process.env.CI !== 'true')('writeAbc checked against abc2midi', () => {
  it('abc2midi plays the exported reel with the melody notes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cantus-abc-'));
    writeFileSync(join(dir, 'reel.abc'), writeAbc(reel));
    execFileSync('abc2midi', ['reel.abc', '-o', 'reel.mid'], { cwd: dir, stdio: 'ignore' });
    const parsed = readMidi(new Uint8Array(readFileSync(join(dir, 'reel.mid'))));
    if (!parsed.ok) throw new Error(parsed.error.message);
    const melody = extractMelody(parsed.value);
    if (!melody.ok) throw new Error(melody.error.message);
    expect(formatNotes(melody.value.notes)).toBe(formatNotes(reel.notes));
  });
});
