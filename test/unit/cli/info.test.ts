import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src-cli/main.ts';
import { COMMANDS } from '../../../src-cli/commands/index.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = (name: string): string => `test/fixtures/midi/${name}`;

/** Runs the real `cantus` shim in a child process, from the project root. */
function cantus(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/cantus.mjs', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs main() in this process, recording what it writes. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

describe('cantus info (child process)', () => {
  it('prints the stable JSON report for the folk tune', () => {
    const { status, stdout, stderr } = cantus('info', fixture('folk-d-major.mid'), '--json');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual([
      'file',
      'format',
      'ticksPerQuarter',
      'tracks',
      'parts',
      'melody',
      'meter',
      'tempo',
      'key',
      'length',
      'warnings',
    ]);
    expect(report).toMatchObject({
      file: fixture('folk-d-major.mid'),
      format: 0,
      ticksPerQuarter: 480,
      tracks: [
        {
          index: 0,
          name: 'Morning on the Hill',
          noteCount: 61,
          channels: [{ channel: 0, noteCount: 61, isDrums: false, program: 0 }],
        },
      ],
      parts: [{ id: '0:0', noteCount: 61 }],
      melody: { part: '0:0', noteCount: 61, title: 'Morning on the Hill' },
      meter: { numerator: 4, denominator: 4 },
      tempo: 100,
      key: { tonic: 'D', mode: 'major', name: 'D major', source: 'declared' },
      length: { steps: 256, bars: 16, seconds: 38.4 },
      warnings: [],
    });
  });

  it('refuses a file that is not MIDI with exit 1 and exactly one line on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cantus-cli-'));
    const bad = join(dir, 'song.mid');
    writeFileSync(bad, 'This is a text file, not a song.');
    const { status, stdout, stderr } = cantus('info', bad);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(lines(stderr)).toEqual([
      `cantus: cannot read ${bad}: This file is not a MIDI file (it does not start with 'MThd'). Choose a .mid file.`,
    ]);
  });

  it('reports a missing file with exit 1 and one line', () => {
    const { status, stderr } = cantus('info', 'no-such-song.mid');
    expect(status).toBe(1);
    expect(lines(stderr)).toEqual([
      'cantus: cannot read no-such-song.mid: There is no file with this name. Check the spelling and the folder.',
    ]);
  });

  it('answers an unknown command with one line and exit 2', () => {
    const { status, stderr } = cantus('fly');
    expect(status).toBe(2);
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toContain('unknown command "fly"');
  });

  it('prints help', () => {
    const { status, stdout } = cantus('--help');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: cantus <command>/m);
    expect(stdout).toContain('info');
  });
});

describe('cantus (in process)', () => {
  it('lists every command in its help', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const c of COMMANDS) expect(stdout).toMatch(new RegExp(`${c.name}\\s+${escape(c.summary)}`));
  });

  it('shows a command help', async () => {
    const { code, stdout } = await run('info', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: cantus info FILE\.mid/);
  });

  it.each(COMMANDS.map((c) => c.name))(
    'shows the help of "%s --help", and of -h after other options',
    async (name) => {
      for (const args of [
        [name, '--help'],
        [name, '--json', '-h'],
      ]) {
        const { code, stdout } = await run(...args);
        expect(code).toBe(0);
        expect(stdout).toMatch(new RegExp(`Usage: cantus ${name}`));
      }
    },
  );

  // [arguments, exit code, start of the single stderr line]
  const usage: [string[], number, string][] = [
    [[], 2, 'cantus: a melody lab'],
    [['info'], 2, 'cantus info: missing FILE.mid'],
    [['info', '--loud', 'x.mid'], 2, 'cantus info: unknown option "--loud"'],
    [['info', 'a.mid', 'b.mid'], 2, 'cantus info: one file at a time'],
    [['--frobnicate'], 2, 'cantus: unknown option "--frobnicate"'],
    [
      ['info', fixture('two-tracks.mid'), '--part', '7:7'],
      2,
      'cantus: test/fixtures/midi/two-tracks.mid: This file has no part "7:7"',
    ],
    [['info', 'test/fixtures'], 1, 'cantus: cannot read test/fixtures: This is a folder, not a file.'],
  ];
  it.each(usage)('%j exits %i', async (args, code, start) => {
    const result = await run(...args);
    expect(result.code).toBe(code);
    expect(result.stderr.startsWith(start), result.stderr).toBe(true);
    if (args.length > 0) expect(lines(result.stderr)).toHaveLength(1);
  });

  it('describes a format 1 file: drums listed, melody from the Melody track, key estimated', async () => {
    const { code, stdout } = await run('info', fixture('two-tracks.mid'), '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.tracks.map((t: { name: string }) => t.name)).toEqual([
      'Two Tracks',
      'Melody',
      'Bass',
      'Drums',
    ]);
    expect(report.tracks[3].channels[0]).toMatchObject({ channel: 9, isDrums: true });
    expect(report.parts.map((p: { id: string }) => p.id)).toEqual(['1:0', '2:1']);
    expect(report.melody).toEqual({ part: '1:0', noteCount: 15, title: 'Melody' });
    expect(report.key.source).toBe('estimated');
    expect(report.length).toEqual({ steps: 64, bars: 4, seconds: 10.67 });
  });

  it('takes the melody from another part with --part', async () => {
    const { stdout } = await run('info', fixture('two-tracks.mid'), '--json', '--part', '2:1');
    expect(JSON.parse(stdout).melody).toEqual({ part: '2:1', noteCount: 4, title: 'Bass' });
  });

  it('prints a readable text report', async () => {
    const { code, stdout } = await run('info', fixture('jig-6-8.mid'));
    expect(code).toBe(0);
    expect(stdout).toContain('Meter:   6/8');
    expect(stdout).toContain('Key:     A minor (declared in the file)');
    expect(stdout).toContain('Length:  8 bars');
    expect(stdout).toContain('channel 1: 34 notes, A3–A5, program 1');
  });
});
