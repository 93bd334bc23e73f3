import { describe, expect, it } from 'vitest';
import { abcTuneToMelody, chooseAbcTune, MAX_ABC_CHARS, readAbc } from '../../../src-core/abc/read.ts';
import { formatNotes, type Melody } from '../../../src-core/music/melody.ts';

/** The first tune of `text` as a melody; fails the test on any refusal. */
function melodyOf(text: string, x?: string): Melody {
  const book = readAbc(text);
  if (!book.ok) throw new Error(book.error.message);
  const tune = chooseAbcTune(book.value.tunes, x);
  if (!tune.ok) throw new Error(tune.error.message);
  const m = abcTuneToMelody(tune.value);
  if (!m.ok) throw new Error(m.error.message);
  return m.value;
}

const tune = (header: string, body: string) => `X:1\nT:Test\n${header}\n${body}\n`;

describe('readAbc: pitches and keys', () => {
  it.each([
    ['K:D', 'DEFG|', 'D4/2 E4/2 F#4/2 G4/2', { tonic: 'D', mode: 'major' }],
    ['K:Ador', 'ABcf|', 'A4/2 B4/2 C5/2 F#5/2', { tonic: 'A', mode: 'dorian' }],
    ['K:Gmix', 'GBdf|', 'G4/2 B4/2 D5/2 F5/2', { tonic: 'G', mode: 'mixolydian' }],
    ['K:Em', 'EFGd|', 'E4/2 F#4/2 G4/2 D5/2', { tonic: 'E', mode: 'minor' }],
    ['K:F lydian', 'FGAB|', 'F4/2 G4/2 A4/2 B4/2', { tonic: 'F', mode: 'lydian' }],
    ['K:Bb', 'Bcde|', 'A#4/2 C5/2 D5/2 D#5/2', { tonic: 'Bb', mode: 'major' }],
  ])('K:%s', (k, body, notes, key) => {
    const m = melodyOf(tune(`M:2/4\nL:1/8\n${k}`, body));
    expect(formatNotes(m.notes)).toBe(notes);
    expect(m.key).toEqual(key);
  });

  it('keeps an accidental to the barline, on its own octave only, and a tie across the barline', () => {
    const m = melodyOf(tune('M:2/4\nL:1/8\nK:C', '^F F f F-|F F C2|'));
    expect(formatNotes(m.notes)).toBe('F#4/2 F#4/2 F5/2 F#4 F4/2 C4');
  });

  it('reads octave marks', () => {
    expect(formatNotes(melodyOf(tune('M:2/4\nL:1/4\nK:C', "C, c'|")).notes)).toBe('C3 C6');
  });
});

describe('readAbc: rhythm', () => {
  it('reads broken rhythm both ways', () => {
    const m = melodyOf(tune('M:2/4\nL:1/8\nK:C', 'C>D E<F|'));
    expect(formatNotes(m.notes)).toBe('C4/3 D4/1 E4/1 F4/3');
  });

  it('keeps triplets as tuplets on their grid slots', () => {
    const m = melodyOf(tune('M:2/4\nL:1/8\nK:C', '(3CDE F2|'));
    expect(m.notes.map((n) => n.start)).toEqual([0, 1, 3, 4]);
    expect(m.tuplets).toEqual([{ start: 0, span: 4 }]);
  });

  it('follows M: and L: changes in the tune', () => {
    const m = melodyOf(tune('M:2/4\nL:1/8\nK:C', 'CDEF|\nM:3/4\nL:1/4\nGAB|'));
    expect(formatNotes(m.notes)).toBe('C4/2 D4/2 E4/2 F4/2 G4 A4 B4');
    expect(m.meter).toEqual({ numerator: 2, denominator: 4 });
    expect(m.meterChanges).toEqual([{ at: 8, meter: { numerator: 3, denominator: 4 } }]);
  });

  it('reads an upbeat as the pickup', () => {
    const m = melodyOf(tune('M:6/8\nL:1/8\nK:G', 'D|GAB c2A|'));
    expect(m.pickup).toBe(2);
  });
});

describe('readAbc: repeats and endings are played out', () => {
  it('plays a repeat with first and second endings', () => {
    const m = melodyOf(tune('M:2/4\nL:1/4\nK:C', 'C D|:E F|1 G A:|2 B c|]'));
    expect(formatNotes(m.notes)).toBe('C4 D4 E4 F4 G4 A4 E4 F4 B4 C5');
  });

  it('repeats from the start when there is no |:, and from the last double bar', () => {
    const m = melodyOf(tune('M:2/4\nL:1/4\nK:C', 'C D:|E F||G A:|'));
    expect(formatNotes(m.notes)).toBe('C4 D4 C4 D4 E4 F4 G4 A4 G4 A4');
  });
});

describe('readAbc: files with several tunes', () => {
  const book = 'X:1\nT:First\nK:C\nCDE|\n\nX:7\nT:Second\nK:G\nGAB|\n';

  it('lists the tunes and reads the one chosen', () => {
    const read = readAbc(book);
    expect(read.ok && read.value.tunes.map((t) => [t.x, t.title])).toEqual([
      ['1', 'First'],
      ['7', 'Second'],
    ]);
    expect(formatNotes(melodyOf(book, '7').notes)).toBe('G4/2 A4/2 B4/2');
  });

  it('names the tunes there are when the one asked for is missing', () => {
    const read = readAbc(book);
    if (!read.ok) throw new Error('unreadable');
    const missing = chooseAbcTune(read.value.tunes, '3');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.message).toContain('1 (First), 7 (Second)');
  });
});

describe('readAbc: hostile input', () => {
  it('refuses a file that is too large', () => {
    const r = readAbc('X:1\nK:C\n' + 'C'.repeat(MAX_ABC_CHARS));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('abc/too-large');
  });

  it('refuses binary data', () => {
    const bytes = String.fromCharCode(...Array.from({ length: 2000 }, (_, i) => (i * 37) % 256));
    const r = readAbc(bytes);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('abc/not-text');
  });

  it('refuses text without a tune', () => {
    const r = readAbc('just some words\n');
    expect(!r.ok && r.error.code).toBe('abc/no-tunes');
  });

  it('reads deep nesting without throwing', () => {
    const deep = tune(
      'M:2/4\nL:1/8\nK:C',
      '('.repeat(5000) + '[[[[' + '{'.repeat(3000) + 'C' + ')'.repeat(5000) + '|',
    );
    const read = readAbc(deep);
    expect(read.ok).toBe(true);
    if (read.ok) expect(() => abcTuneToMelody(read.value.tunes[0]!)).not.toThrow();
  });

  it('refuses a tune whose repeats play too many notes', () => {
    const body = Array.from({ length: 3000 }, () => '|:CDEFGABc:|').join('') + '\n';
    const big = tune('M:4/4\nL:1/8\nK:C', body.repeat(3));
    const read = readAbc(big);
    if (!read.ok) throw new Error(read.error.message);
    const m = abcTuneToMelody(read.value.tunes[0]!);
    expect(!m.ok && m.error.code).toBe('abc/too-many-notes');
  });
});

/** The first tune of `text` as abc2midi 4.84 plays it (each case checked against abc2midi's own file). */
function performed(text: string): string {
  const book = readAbc(text);
  if (!book.ok) throw new Error(book.error.message);
  const m = abcTuneToMelody(book.value.tunes[0]!, { performance: 'abc2midi' });
  if (!m.ok) throw new Error(m.error.message);
  return formatNotes(m.value.notes);
}

describe("readAbc: abc2midi's performance", () => {
  it('holds an accidental in every octave of its letter until the barline', () => {
    expect(performed(tune('M:2/4\nL:1/8\nK:D', '=f F ^F F,|F f z2|'))).toBe(
      'F5/2 F4/2 F#4/2 F#3/2 F#4/2 F#5/2',
    );
  });

  it('times a grace note by its written length in L: units, not in eighths', () => {
    // L:1/16: {g} lasts a 64th, so f starts on g's step and only g is kept (as from abc2midi's
    // file); {g2} lasts a 32nd, so e starts on the next step.
    expect(performed(tune('M:2/4\nL:1/16\nK:C', '{g}f2 {g2}e2 d4|'))).toBe('G5/1 r/1 G5/1 E5/1 D5');
  });

  it.each([
    ['Q:1/4=160', 'Tf2 A2', 'G5/1 F#5/1 G5/1 F#5/1 A4'],
    ['Q:1/2=240', 'Tf4', 'G5/2 F#5/2 G5/2 F#5/2'],
  ])('trills in the shortest notes lasting over 50 ms at %s', (q, body, notes) => {
    expect(performed(tune(`M:C\nL:1/8\n${q}\nK:D`, `${body} z4|`))).toBe(notes);
  });

  it.each([
    ['M:C', 'GA BG', 'G4/3 A4/1 B4/3 G4/1'],
    ['M:4/4', 'GA BG', 'G4/3 A4/1 B4/3 G4/1'],
    ['M:C|', 'GA BG', 'G4/2 A4/2 B4/2 G4/2'],
    ['M:2/4\nL:1/16', 'G2A2 BG', 'G4/2 A4/2 B4/1 G4/1'],
  ])('swings a hornpipe in %s only in common time with L:1/8', (meter, body, notes) => {
    const header = meter.includes('L:') ? meter : `${meter}\nL:1/8`;
    expect(performed(tune(`R:hornpipe\n${header}\nK:G`, `${body} z4|`))).toBe(notes);
  });
});
