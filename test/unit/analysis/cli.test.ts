import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKey } from '../../../src-core/music/key.ts';
import { parseConstraints } from '../../../src-cli/commands/generate.ts';
import { UsageError } from '../../../src-cli/command.ts';
import { main } from '../../../src-cli/main.ts';
import { writeMelodyMidi } from '../../../src-core/midi/write.ts';
import { AABA } from './melodies.ts';

const fixture = (name: string): string => `test/fixtures/midi/${name}`;

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('cantus analyze', () => {
  it('reads a tune of an ABC file, chosen by its X: number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cantus-abc-'));
    const file = join(dir, 'two.abc');
    // Two tunes of our own: a D major jig and an A minor march with a pickup.
    writeFileSync(
      file,
      [
        'X:1\nT:First\nM:6/8\nL:1/8\nK:D\nDFA dAF|GBd gfe|dcB AFD|E3 D3|]\n',
        'X:2\nT:Second\nM:2/4\nL:1/8\nK:Am\nE|A2 cB|A2 E2|cB AG|A3|]\n',
      ].join('\n'),
    );
    const first = await run('analyze', file, '--json');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.part).toBe('X:1');
    expect(report.key.name).toBe('D major');
    expect(report.notes).toHaveLength(20);
    const second = JSON.parse((await run('analyze', file, '--tune', '2', '--json')).stdout);
    expect(second.part).toBe('X:2');
    expect(second.key.name).toBe('A minor');
    expect(second.firstBarNumber).toBe(0);
    const missing = await run('analyze', file, '--tune', '7');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no tune X:7. Choose one of: 1 (First), 2 (Second)');
  });

  it('prints the JSON report with the documented fields', async () => {
    const { code, stdout, stderr } = await run('analyze', fixture('folk-d-major.mid'), '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual([
      'file',
      'part',
      'key',
      'meter',
      'bars',
      'firstBarNumber',
      'meterWords',
      'notes',
      'intervals',
      'summary',
      'contour',
      'shape',
      'motifs',
      'phrases',
      'form',
      'strains',
      'strainForm',
      'formSummary',
      'barOffset',
      'barRepeats',
      'restatement',
      'warnings',
    ]);
    expect(report.key).toMatchObject({
      tonic: 'D',
      mode: 'major',
      source: 'declared',
      declared: { tonic: 'D', mode: 'major' },
    });
    expect(report.key.regions).toEqual([
      { firstBar: 0, lastBar: 15, tonic: 'D', mode: 'major', name: 'D major' },
    ]);
    expect([report.firstBarNumber, report.meterWords]).toEqual([1, '4/4']);
    expect(report.strainForm).toBe(report.strains.map((s: { letter: string }) => s.letter).join(''));
    expect(report.formSummary.startsWith(report.strainForm)).toBe(true);
    expect(report.intervals[0]).toMatchObject({ from: 0, to: 1, semitones: 4, name: 'M3', direction: 'up' });
    expect(report.intervals).toHaveLength(report.notes.length - 1);
    expect(report.contour).toMatch(/^\*[UDR]+$/);
    expect(report.contour).toHaveLength(report.notes.length);
    expect(report.form).toBe('ABCD');
    for (const m of report.motifs) {
      expect(m.length).toBeGreaterThanOrEqual(3);
      for (const o of m.occurrences) {
        expect(o).toEqual({
          start: expect.any(Number),
          notes: expect.any(Array),
          onset: expect.any(Number),
          bar: expect.any(Number),
          transposition: expect.any(Number),
          degrees: expect.any(Number),
          relation: expect.stringMatching(/^(exact|transposed|tonal|inverted|rhythm)$/),
          follows: expect.any(Boolean),
        });
      }
    }
  });

  it("reads a melody written to MIDI and finds its form, AA'BA", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cantus-analyze-'));
    const file = join(dir, 'aaba.mid');
    writeFileSync(file, writeMelodyMidi({ ...AABA, key: null }));
    const { code, stdout } = await run('analyze', file, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.form).toBe("AA'BA");
    expect(report.key).toMatchObject({ name: 'D major', source: 'estimated' });
    expect(report.motifs[0].occurrences.map((o: { start: number }) => o.start)).toEqual([0, 6, 11, 33, 39]);
  });

  it('prints a text report for people, with bars counted from 1', async () => {
    const { code, stdout } = await run('analyze', fixture('jig-6-8.mid'));
    expect(code).toBe(0);
    expect(stdout).toContain('Key:       A minor, as the file says');
    expect(stdout).toContain('Meter:     6/8, 8 bars, 34 notes');
    expect(stdout).toMatch(/Form: {6}AB;/);
    expect(stdout).toContain('bar   1: A4 +m3 C5 +M3 E5 +P4 A5 -P4 E5');
  });

  it('reads the melody in a key given with --key', async () => {
    const { stdout } = await run('analyze', fixture('jig-6-8.mid'), '--json', '--key', 'C major');
    expect(JSON.parse(stdout).key).toMatchObject({ name: 'C major', source: 'given' });
  });

  it('refuses a wrong command line with exit 2 and a bad file with exit 1, one line each', async () => {
    const noFile = await run('analyze');
    expect(noFile.code).toBe(2);
    expect(noFile.stderr.trim().split('\n')).toHaveLength(1);
    const badKey = await run('analyze', fixture('jig-6-8.mid'), '--key', 'H minor');
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toContain('"H minor" is not a key');
    const noPart = await run('analyze', fixture('jig-6-8.mid'), '--part', '9:9');
    expect(noPart.code).toBe(2);
    const missing = await run('analyze', 'no-such-file.mid');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stdout).toBe('');
  });

  it('lists itself in the help', async () => {
    expect((await run('--help')).stdout).toContain('analyze');
    expect((await run('analyze', '--help')).stdout).toContain('Usage: cantus analyze FILE.mid');
  });
});

describe('parseKey', () => {
  it.each([
    ['D', { tonic: 'D', mode: 'major' }],
    ['F# minor', { tonic: 'F#', mode: 'minor' }],
    ['bb major', { tonic: 'Bb', mode: 'major' }],
    ['c#m', { tonic: 'C#', mode: 'minor' }],
    ['Eb min', { tonic: 'Eb', mode: 'minor' }],
  ])('%s', (text, key) => {
    expect(parseKey(text)).toEqual(key);
  });

  it('refuses what is not a key', () => {
    expect(parseKey('H')).toBeNull();
    expect(parseKey('C dorianish')).toBeNull();
    expect(parseKey('C m7')).toBeNull();
    expect(parseKey('')).toBeNull();
  });
});

describe('cantus generate --constrain', () => {
  it('reads every condition', () => {
    expect(
      parseConstraints('in-key, steps-and-thirds,ends-on-tonic,range=C4-C6,longest=1.5,repeat=1-2@5'),
    ).toEqual([
      { kind: 'in-key' },
      { kind: 'steps-and-thirds' },
      { kind: 'ends-on-tonic' },
      { kind: 'range', low: 60, high: 84 },
      { kind: 'longest-note', beats: 1.5 },
      { kind: 'repeat-bars', from: 1, at: 5, bars: 2 },
    ]);
  });

  it.each(['wobble', 'range=C6-C4', 'range=H2-C4', 'longest=0', 'repeat=3-4@2', 'repeat=0-1@3'])(
    'refuses %j with a usage message',
    (text) => {
      expect(() => parseConstraints(text)).toThrow(UsageError);
    },
  );
});
