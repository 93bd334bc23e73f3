/**
 * `cantus info FILE.mid [--json] [--part ID]`: what is in a MIDI file, as Cantus sees it.
 *
 * `--json` prints one JSON object with these fields (stable: add fields, never rename):
 *   file            the path as given
 *   format          0 or 1 (the MIDI file format)
 *   ticksPerQuarter the file's time resolution
 *   tracks          [{ index (from 0), name (string|null), noteCount, endTick (last event),
 *                      channels: [{ channel (0-15), noteCount, isDrums, program (0-127|null),
 *                                   lowest, highest (MIDI note numbers) }] }]
 *   parts           [{ id ("track:channel", both from 0), label, noteCount, lowest, highest }]
 *                   every track/channel pair with notes, drums left out
 *   melody          { part (the id used), noteCount, title (string|null) } or null when the
 *                   file has nothing to extract (see melodyProblem)
 *   melodyProblem   { code, message } when melody is null, else absent
 *   meter           { numerator, denominator }   the first time signature (4/4 if none)
 *   tempo           quarter notes per minute, 2 decimals (the first tempo; 120 if none)
 *   key             { tonic, mode, name, source: "declared" | "estimated" } or null;
 *                   "declared" is the file's key signature, "estimated" is found from the
 *                   melody's notes when the file declares none
 *   length          { steps (16th notes), bars (whole bars, as the score shows them), seconds }
 *                   of the melody (of the whole file when there is no melody)
 *   warnings        [string]  things Cantus simplified (tempo changes and the like)
 */
import { parseArgs } from 'node:util';
import { findKey } from '../../src-core/music/key-finding.ts';
import { keyName } from '../../src-core/music/key.ts';
import {
  barCount,
  pitchName,
  secondsPerStep,
  stepsPerBar,
  type Key,
  type Melody,
} from '../../src-core/music/melody.ts';
import { extractMelody, listParts, defaultPart } from '../../src-core/midi/extract.ts';
import { quartersToStep } from '../../src-core/midi/monophony.ts';
import { readMidi, type ParsedMidi } from '../../src-core/midi/read.ts';
import type { Problem } from '../../src-core/result.ts';
import { EXIT, UsageError, type Command, type CliOutput } from '../command.ts';
import { readMidiFile } from '../files.ts';

export interface InfoKey extends Key {
  readonly name: string;
  readonly source: 'declared' | 'estimated';
}

/** The report `info` prints; `--json` prints exactly this object. */
export interface InfoReport {
  readonly file: string;
  readonly format: 0 | 1;
  readonly ticksPerQuarter: number;
  readonly tracks: ParsedMidi['tracks'];
  readonly parts: readonly {
    id: string;
    label: string;
    noteCount: number;
    lowest: number;
    highest: number;
  }[];
  readonly melody: { part: string; noteCount: number; title: string | null } | null;
  readonly melodyProblem?: { code: string; message: string };
  readonly meter: { numerator: number; denominator: number };
  readonly tempo: number;
  readonly key: InfoKey | null;
  readonly length: { steps: number; bars: number; seconds: number };
  readonly warnings: readonly string[];
}

/**
 * Where an estimated key comes from when the file declares none. A parameter so the
 * report can be built without key finding (pass `null`) or with another method.
 */
export type KeyEstimator = (melody: Melody) => Key;

/** The key the analysis finds from the notes alone (music/key-finding.ts), so `info` and `analyze` agree. */
export const estimateMelodyKey: KeyEstimator = (melody) =>
  findKey(melody.notes, stepsPerBar(melody.meter), null).key;

/** Builds the report for a parsed file. Pure; `partId` picks the melody part (default: `defaultPart`). */
export function describeMidi(
  file: string,
  parsed: ParsedMidi,
  warnings: readonly string[],
  options: { partId?: string; estimator?: KeyEstimator | null } = {},
): { ok: true; report: InfoReport } | { ok: false; error: Problem } {
  const estimator = options.estimator === undefined ? estimateMelodyKey : options.estimator;
  const parts = listParts(parsed);
  const extracted = extractMelody(parsed, options.partId);
  if (!extracted.ok && extracted.error.code === 'midi/no-such-part') return extracted;
  const melody = extracted.ok ? extracted.value : null;
  const partId = options.partId ?? defaultPart(parts)?.id ?? null;

  let key: InfoKey | null = null;
  if (parsed.key) key = { ...parsed.key, name: keyName(parsed.key), source: 'declared' };
  else if (melody && melody.notes.length > 0 && estimator) {
    const estimated = estimator(melody);
    key = { ...estimated, name: keyName(estimated), source: 'estimated' };
  }

  const steps = melody ? melody.length : quartersToStep(parsed.durationTicks / parsed.ticksPerQuarter);
  const report: InfoReport = {
    file,
    format: parsed.format,
    ticksPerQuarter: parsed.ticksPerQuarter,
    tracks: parsed.tracks,
    parts: parts.map(({ id, label, noteCount, lowest, highest }) => ({
      id,
      label,
      noteCount,
      lowest,
      highest,
    })),
    melody:
      melody && partId !== null
        ? { part: partId, noteCount: melody.notes.length, title: melody.title ?? null }
        : null,
    ...(extracted.ok
      ? {}
      : { melodyProblem: { code: extracted.error.code, message: extracted.error.message } }),
    meter: { numerator: parsed.meter.numerator, denominator: parsed.meter.denominator },
    tempo: parsed.tempo,
    key,
    length: {
      steps,
      bars: barCount(steps, parsed.meter),
      seconds: Math.round(steps * secondsPerStep(parsed.tempo) * 100) / 100,
    },
    warnings,
  };
  return { ok: true, report };
}

/** The report as lines of text for people. */
export function formatInfo(report: InfoReport): string {
  const lines: string[] = [];
  const trackCount = report.tracks.length;
  lines.push(
    `File:    ${report.file} (MIDI format ${report.format}, ${trackCount} track${trackCount === 1 ? '' : 's'}, ${report.ticksPerQuarter} ticks per quarter note)`,
  );
  if (report.melody?.title) lines.push(`Title:   ${report.melody.title}`);
  lines.push(`Meter:   ${report.meter.numerator}/${report.meter.denominator}`);
  lines.push(`Tempo:   ${report.tempo} BPM`);
  lines.push(
    `Key:     ${report.key ? `${report.key.name} (${report.key.source === 'declared' ? 'declared in the file' : 'estimated from the notes; the file declares none'})` : 'unknown (no key signature and no notes)'}`,
  );
  const { bars, seconds } = report.length;
  lines.push(`Length:  ${bars} bar${bars === 1 ? '' : 's'}, ${seconds} seconds`);
  if (report.melody) {
    const part = report.parts.find((p) => p.id === report.melody!.part);
    lines.push(
      `Melody:  ${report.melody.noteCount} notes, from part ${report.melody.part}${part ? ` (${part.label})` : ''}`,
    );
  } else {
    lines.push(`Melody:  none. ${report.melodyProblem?.message ?? ''}`.trimEnd());
  }
  lines.push('Tracks:');
  for (const track of report.tracks) {
    lines.push(
      `  ${track.index + 1}. ${track.name ?? '(no name)'}: ${track.noteCount} note${track.noteCount === 1 ? '' : 's'}`,
    );
    for (const ch of track.channels) {
      const range =
        ch.lowest === ch.highest ? pitchName(ch.lowest) : `${pitchName(ch.lowest)}–${pitchName(ch.highest)}`;
      const program = ch.isDrums
        ? 'drums'
        : ch.program === null
          ? 'no program set'
          : `program ${ch.program + 1}`;
      lines.push(
        `       channel ${ch.channel + 1}: ${ch.noteCount} note${ch.noteCount === 1 ? '' : 's'}, ${range}, ${program}`,
      );
    }
  }
  if (report.parts.length > 1) {
    lines.push('Parts (choose one with --part ID):');
    for (const p of report.parts) lines.push(`  ${p.id.padEnd(6)} ${p.label}`);
  }
  for (const w of report.warnings) lines.push(`Note:    ${w}`);
  return lines.join('\n') + '\n';
}

const HELP = `Usage: cantus info FILE.mid [--json] [--part ID]

Shows what is in a MIDI file: its tracks and channels, the melody Cantus would take from
it, and its meter, tempo, key and length.

Options:
  --json       print one JSON object instead of text (fields are listed in src-cli/commands/info.ts)
  --part ID    take the melody from this part (an id such as 1:0 from the parts list)
  -h, --help   show this help
`;

export const infoCommand: Command = {
  name: 'info',
  summary: 'Show the tracks, melody, meter, tempo, key and length of a MIDI file',
  help: HELP,
  async run(args: readonly string[], out: CliOutput): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        json: { type: 'boolean', default: false },
        part: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      out.stdout(HELP);
      return EXIT.ok;
    }
    if (positionals.length === 0)
      throw new UsageError('missing FILE.mid (usage: cantus info FILE.mid [--json] [--part ID])');
    if (positionals.length > 1)
      throw new UsageError(`one file at a time, please (got ${positionals.length})`);
    const file = positionals[0]!;

    const bytes = await readMidiFile(file);
    if (!bytes.ok) {
      out.stderr(`cantus: cannot read ${file}: ${bytes.error.message}\n`);
      return EXIT.failed;
    }
    const parsed = readMidi(bytes.value);
    if (!parsed.ok) {
      out.stderr(`cantus: cannot read ${file}: ${parsed.error.message}\n`);
      return EXIT.failed;
    }
    const described = describeMidi(
      file,
      parsed.value,
      parsed.warnings ?? [],
      values.part === undefined ? {} : { partId: values.part },
    );
    if (!described.ok) {
      out.stderr(`cantus: ${file}: ${described.error.message}\n`);
      return EXIT.usage;
    }
    out.stdout(values.json ? `${JSON.stringify(described.report, null, 2)}\n` : formatInfo(described.report));
    return EXIT.ok;
  },
};
