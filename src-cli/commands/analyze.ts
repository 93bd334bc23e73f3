/**
 * `cantus analyze FILE.mid|FILE.abc [--json] [--part ID] [--tune X] [--key KEY]`: the melody's key, intervals,
 * contour, motifs, phrases and form, as src-core/analysis finds them.
 *
 * `--json` prints one JSON object (stable: add fields, never rename). Note and bar numbers
 * count from 0 (bar 0 is the first bar, a pickup if there is one); shares are 0..1, rounded to 4 decimals:
 *   file, part        the path as given; the part the melody came from ("track:channel")
 *   key               { tonic, mode (major, minor, dorian, mixolydian, phrygian, lydian,
 *                       locrian), name, source: "given" | "declared" | "signature" | "estimated",
 *                       declared: { tonic, mode } | null (the file's), explanation (in words),
 *                       candidates: [{ tonic, mode, score }] (best three, music/key-finding.ts),
 *                       regions: [{ firstBar, lastBar, tonic, mode, name }] (the key bar by bar;
 *                       more than one when the key changes) }
 *   meter, bars       { numerator, denominator } (of the first full bar); bars counted from bar 0 to the last note
 *   firstBarNumber    the number a score prints on bar 0: 0 for a pickup, else 1
 *   meterWords        the time signatures in words, bars as printed: "6/8 with an eighth note
 *                        pickup; 4/4 from bar 5"
 *   notes             [{ index, name (spelled in its bar's key, e.g. "F#4"), pitch (MIDI), start,
 *                        end (16th-note steps), bar }]
 *   intervals         [{ from, to (note indices), semitones (signed), name ("M3", "A2",
 *                        "m9"), direction ("up" | "down" | "same"), quality, number,
 *                        simpleName, compound, fullName ("major third"), motion ("repeat" |
 *                        "step" | "skip" | "leap"), stepOrLeap, consonance ("perfect" |
 *                        "imperfect" | "dissonant"), consonant, acrossRest }]
 *                     between consecutive notes: interval i goes from note i to note i + 1
 *   summary           { count, range: { lowest, highest (note indices), semitones, name,
 *                        fullName }, motion: { repeat, step, skip, leap } (counts), shares
 *                        (the same as shares), stepShare, leapShare, consonantShare,
 *                        directions: { up, down, same }, commonest: [{ name, count, share }],
 *                        largestLeap: { from, to, name, semitones } | null }
 *   contour           the Parsons code: "*" then U, D or R for each later note
 *   shape             { name ("level" | "ascending" | "descending" | "arch" | "inverted-arch"
 *                        | "wave"), turningPoints (note indices), highest: { pitch, notes },
 *                        lowest: { pitch, notes }, climax (note index), climaxIsUnique,
 *                        climaxPosition (0..1 through the melody) }
 *   motifs            [{ label ("x", "y", ...), kind ("melodic" | "rhythmic"), length (notes),
 *                        span (steps), coverage, coveredNotes, withinRepeatedPhrases (true
 *                        when it returns only as part of a repeated phrase), sequence ("real" | "tonal" |
 *                        null), intervals (semitones), rhythm (onsets from the first note),
 *                        occurrences: [{ start (note index), notes (note indices), onset,
 *                        bar, transposition (semitones from the first occurrence), degrees
 *                        (staff steps from it), relation ("exact" | "transposed" | "tonal" |
 *                        "inverted" | "rhythm"), follows }] }]
 *                     the first occurrence is the reference, its relation "exact"
 *   phrases           [{ index, label ("A", "A'"), letter, firstNote, lastNote, firstBar,
 *                        lastBar, pickup, relation ("new" | "exact" | "transposed" | "tonal" |
 *                        "varied"), of (phrase index | null), similarity, transposition,
 *                        degrees, contour (shape name) }]
 *   form              the phrase labels run together, e.g. "AA'BA"
 *   strains           [{ index, letter ("A", "B"), relation ("new" | "repeat" | "varied"), of
 *                        (strain index | null), similarity, firstPhrase, lastPhrase, firstNote,
 *                        lastNote, firstBar, lastBar, pickup, phraseLabels (["a", "a'"]) }]: the
 *                        big sections, usually 8 bars played twice
 *   strainForm        the strain letters run together, e.g. "AABB"
 *   formSummary       both levels, e.g. "AABB; A = a a', B = b b'"
 *   barOffset         steps from the file's barlines to the ones phrases are counted from (0
 *                        unless the file starts on an upbeat not padded with rests)
 *   barRepeats        [{ bar, of, relation ("exact" | "transposed" | "tonal" | "varied" |
 *                        "rhythm"), transposition }]
 *   restatement       { share, notes (indices) }: the notes that restate earlier material
 *   warnings          [string]  things Cantus simplified while reading the file or analysing
 *                     (a melody past 5000 notes is analysed up to there; motifs are looked
 *                     for in the first 1000 notes)
 */
import {
  barsText,
  describeBarRepeat,
  describeMotif,
  describeOccurrence,
  describePhrase,
  percent,
  plural,
} from '../../src-core/analysis/describe.ts';
import { parseArgs } from 'node:util';
import { analyzeMelody, type Analysis } from '../../src-core/analysis/analyze.ts';
import type { MelodicInterval } from '../../src-core/analysis/intervals.ts';
import { keyChangeWords } from '../../src-core/music/describe.ts';
import { parseKey } from '../../src-core/music/key.ts';
import type { Key } from '../../src-core/music/melody.ts';
import { extractMelody, defaultPart, listParts } from '../../src-core/midi/extract.ts';
import { readMidi } from '../../src-core/midi/read.ts';
import { EXIT, UsageError, type Command, type CliOutput } from '../command.ts';
import { isAbcFile, readAbcFile, readMidiFile } from '../files.ts';

const round = (x: number): number => Math.round(x * 10000) / 10000;

/** The JSON report: the analysis in the stable shape documented above. */
export function analysisReport(
  file: string,
  part: string,
  analysis: Analysis,
  warnings: readonly string[],
): Record<string, unknown> {
  const a = analysis;
  const intervalRef = (iv: MelodicInterval | null) =>
    iv ? { from: iv.from, to: iv.to, name: iv.name, semitones: iv.semitones } : null;
  return {
    file,
    part,
    key: {
      tonic: a.key.tonic,
      mode: a.key.mode,
      name: a.key.name,
      source: a.key.source,
      declared: a.key.declared ? { tonic: a.key.declared.tonic, mode: a.key.declared.mode } : null,
      explanation: a.key.explanation,
      regions: a.key.regions.map((r) => ({
        firstBar: r.firstBar,
        lastBar: r.lastBar,
        tonic: r.tonic,
        mode: r.mode,
        name: r.name,
      })),
      candidates: a.key.candidates.map((c) => ({
        tonic: c.key.tonic,
        mode: c.key.mode,
        score: round(c.score),
      })),
    },
    meter: { numerator: a.meter.numerator, denominator: a.meter.denominator },
    bars: a.bars,
    firstBarNumber: a.firstBarNumber,
    meterWords: a.meterWords,
    notes: a.notes.map((n) => ({
      index: n.index,
      name: n.name,
      pitch: n.pitch,
      start: n.start,
      end: n.end,
      bar: n.bar,
    })),
    intervals: a.intervals.map((iv) => ({
      from: iv.from,
      to: iv.to,
      semitones: iv.semitones,
      name: iv.name,
      direction: iv.direction,
      quality: iv.quality,
      number: iv.number,
      simpleName: iv.simpleName,
      compound: iv.compound,
      fullName: iv.fullName,
      motion: iv.motion,
      stepOrLeap: iv.stepOrLeap,
      consonance: iv.consonance,
      consonant: iv.consonant,
      acrossRest: iv.acrossRest,
    })),
    summary: {
      count: a.summary.count,
      range: a.summary.range,
      motion: a.summary.motion,
      shares: mapValues(a.summary.shares, round),
      stepShare: round(a.summary.stepShare),
      leapShare: round(a.summary.leapShare),
      consonantShare: round(a.summary.consonantShare),
      directions: a.summary.directions,
      commonest: a.summary.commonest.map((c) => ({ ...c, share: round(c.share) })),
      largestLeap: intervalRef(a.summary.largestLeap),
    },
    contour: a.contour.parsons,
    shape: {
      name: a.contour.shape,
      turningPoints: a.contour.turningPoints,
      highest: a.contour.highest,
      lowest: a.contour.lowest,
      climax: a.contour.climax,
      climaxIsUnique: a.contour.climaxIsUnique,
      climaxPosition: a.contour.climaxPosition === null ? null : round(a.contour.climaxPosition),
    },
    motifs: a.motifs.map((m) => ({
      label: m.label,
      kind: m.kind,
      length: m.length,
      span: m.span,
      coverage: round(m.coverage),
      coveredNotes: m.coveredNotes,
      withinRepeatedPhrases: m.withinRepeatedPhrases,
      sequence: m.sequence,
      intervals: m.intervals,
      rhythm: m.rhythm,
      occurrences: m.occurrences.map((o) => ({
        start: o.start,
        notes: o.notes,
        onset: o.onset,
        bar: a.notes[o.start]!.bar,
        transposition: o.transposition,
        degrees: o.degrees,
        relation: o.relation,
        follows: o.follows,
      })),
    })),
    phrases: a.phrases.map((p) => ({
      index: p.index,
      label: p.label,
      letter: p.letter,
      firstNote: p.firstNote,
      lastNote: p.lastNote,
      firstBar: p.firstBar,
      lastBar: p.lastBar,
      pickup: p.pickup,
      relation: p.relation,
      of: p.of,
      similarity: round(p.similarity),
      transposition: p.transposition,
      degrees: p.degrees,
      contour: p.contour,
    })),
    form: a.form,
    strains: a.strains.map((st) => ({
      index: st.index,
      letter: st.letter,
      relation: st.relation,
      of: st.of,
      similarity: round(st.similarity),
      firstPhrase: st.firstPhrase,
      lastPhrase: st.lastPhrase,
      firstNote: st.firstNote,
      lastNote: st.lastNote,
      firstBar: st.firstBar,
      lastBar: st.lastBar,
      pickup: st.pickup,
      phraseLabels: st.phraseLabels,
    })),
    strainForm: a.strainForm,
    formSummary: a.formSummary,
    barOffset: a.barOffset,
    barRepeats: a.barRepeats,
    restatement: { share: round(a.restatement.share), notes: a.restatement.notes },
    warnings: [...warnings, ...a.warnings],
  };
}

function mapValues<K extends string>(
  o: Readonly<Record<K, number>>,
  f: (x: number) => number,
): Record<K, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v as number)])) as Record<K, number>;
}

/** The analysis as lines of text for people. Bars and notes are numbered from 1 here, as on a score. */
export function formatAnalysis(
  file: string,
  part: string,
  a: Analysis,
  warnings: readonly string[] = [],
): string {
  const lines: string[] = [];
  const num = (bar: number): number => bar + a.firstBarNumber;
  const noteAt = (i: number): string => `${a.notes[i]!.name} (note ${i + 1}, bar ${num(a.notes[i]!.bar)})`;
  lines.push(`File:      ${file} (part ${part})`);
  lines.push(`Key:       ${a.key.explanation}`);
  if (a.key.regions.length > 1) lines.push(`Key changes: ${keyChangeWords(a.key.regions, a.firstBarNumber)}`);
  lines.push(`Meter:     ${a.meterWords}, ${plural(a.bars, 'bar')}, ${plural(a.notes.length, 'note')}`);
  if (a.notes.length === 0) return lines.join('\n') + '\n';
  const s = a.summary;
  if (s.range) {
    lines.push(
      `Range:     ${a.notes[s.range.lowest]!.name} to ${a.notes[s.range.highest]!.name}, a ${s.range.fullName} (${plural(s.range.semitones, 'semitone')})`,
    );
  }
  if (s.count > 0) {
    lines.push(
      `Motion:    ${plural(s.motion.step, 'step')} (${percent(s.shares.step)}), ${plural(s.motion.skip, 'skip')} (${percent(s.shares.skip)}), ${plural(s.motion.leap, 'leap')} (${percent(s.shares.leap)}), ${plural(s.motion.repeat, 'repeated note')} (${percent(s.shares.repeat)}); ${percent(s.consonantShare)} consonant`,
    );
    lines.push(`Commonest: ${s.commonest.map((c) => `${c.name} x${c.count}`).join(', ')}`);
    const big = s.largestLeap;
    lines.push(
      `Largest leap: ${big ? `${big.fullName} ${big.direction}, ${noteAt(big.from)} to ${a.notes[big.to]!.name}` : 'none (the melody moves only by step)'}`,
    );
  }
  const c = a.contour;
  lines.push(
    `Contour:   ${c.shape}; highest ${c.climax !== null ? noteAt(c.climax) : '-'}${c.highest && c.highest.notes.length > 1 ? `, heard ${plural(c.highest.notes.length, 'time')}` : ''}; lowest ${c.lowest ? a.notes[c.lowest.notes[0]!]!.name : '-'}`,
  );
  lines.push(`Parsons:   ${c.parsons}`);
  lines.push(
    `Form:      ${a.strains.length > 1 ? a.formSummary : a.form}; ${percent(a.restatement.share)} of the notes restate earlier material`,
  );
  lines.push('Phrases:');
  for (const p of a.phrases) {
    const bars = barsText(p.firstBar, p.lastBar, a.firstBarNumber);
    lines.push(
      `  ${p.label.padEnd(4)} ${bars}${p.pickup ? ' with a pickup' : ''}: ${describePhrase(p)}; ${p.contour}`,
    );
  }
  if (a.motifs.length > 0) {
    lines.push('Motifs:');
    for (const m of a.motifs) {
      lines.push(`  ${m.label}  ${describeMotif(a, m)}`);
      for (const o of m.occurrences) {
        const where = `bar ${num(a.notes[o.start]!.bar)}, notes ${o.start + 1}-${o.start + m.length}`;
        lines.push(`       ${where}: ${describeOccurrence(m, o)}`);
      }
    }
  }
  if (a.barRepeats.length > 0) {
    lines.push('Bars that restate earlier bars:');
    for (const r of a.barRepeats)
      lines.push(`  bar ${String(num(r.bar)).padStart(3)}: ${describeBarRepeat(r, a.firstBarNumber)}`);
  }
  lines.push('Intervals:');
  const byBar = new Map<number, string[]>();
  a.notes.forEach((n, i) => {
    const iv = a.intervals[i - 1];
    const step = iv ? `${iv.direction === 'up' ? '+' : iv.direction === 'down' ? '-' : ''}${iv.name} ` : '';
    const list = byBar.get(n.bar) ?? [];
    list.push(`${step}${n.name}`);
    byBar.set(n.bar, list);
  });
  for (const [bar, items] of byBar) lines.push(`  bar ${String(num(bar)).padStart(3)}: ${items.join(' ')}`);
  for (const w of [...warnings, ...a.warnings]) lines.push(`Note:      ${w}`);
  return lines.join('\n') + '\n';
}

const HELP = `Usage: cantus analyze FILE.mid|FILE.abc [--json] [--part ID] [--tune X] [--key KEY]

Analyses the melody of a MIDI file (or a tune of an ABC file) as a music teacher would: its key, the interval between
each pair of notes (named from the notes as written in the key), its range and motion,
contour, motifs and where they come back, phrases, form and repeated bars.

Options:
  --json       print one JSON object instead of text (fields are listed in README.md
               under "cantus analyze" and in src-cli/commands/analyze.ts)
  --part ID    take the melody from this part (an id such as 1:0, see "cantus info")
  --tune X     in an ABC file, the tune with this X: number (default: the first)
  --key KEY    read the melody in this key, e.g. "D", "F# minor", "Bb major"
               (default: the key in the file, or an estimate from the notes)
  -h, --help   show this help
`;

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'Analyse the melody: key, intervals, contour, motifs, phrases and form',
  help: HELP,
  async run(args: readonly string[], out: CliOutput): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        json: { type: 'boolean', default: false },
        part: { type: 'string' },
        tune: { type: 'string' },
        key: { type: 'string' },
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
      throw new UsageError(
        'missing FILE.mid (usage: cantus analyze FILE.mid [--json] [--part ID] [--key KEY])',
      );
    if (positionals.length > 1)
      throw new UsageError(`one file at a time, please (got ${positionals.length})`);
    let key: Key | undefined;
    if (values.key !== undefined) {
      const parsedKey = parseKey(values.key);
      if (!parsedKey)
        throw new UsageError(`"${values.key}" is not a key; write it like "D", "F# minor" or "Bb major"`);
      key = parsedKey;
    }
    const file = positionals[0]!;

    if (isAbcFile(file)) {
      const read = await readAbcFile(file, values.tune ?? values.part);
      if (!read.ok) {
        out.stderr(`cantus: cannot use ${file}: ${read.error.message}\n`);
        return read.error.code === 'abc/no-such-tune' ? EXIT.usage : EXIT.failed;
      }
      const analysis = analyzeMelody(read.value.melody, key ? { key } : {});
      const part = `X:${read.value.x}`;
      out.stdout(
        values.json
          ? `${JSON.stringify(analysisReport(file, part, analysis, []), null, 2)}\n`
          : formatAnalysis(file, part, analysis, []),
      );
      return EXIT.ok;
    }
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
    const melody = extractMelody(parsed.value, values.part);
    if (!melody.ok) {
      out.stderr(`cantus: ${file}: ${melody.error.message}\n`);
      return melody.error.code === 'midi/no-such-part' ? EXIT.usage : EXIT.failed;
    }
    const part = values.part ?? defaultPart(listParts(parsed.value))?.id ?? '';
    const analysis = analyzeMelody(melody.value, key ? { key } : {});
    out.stdout(
      values.json
        ? `${JSON.stringify(analysisReport(file, part, analysis, parsed.warnings ?? []), null, 2)}\n`
        : formatAnalysis(file, part, analysis, parsed.warnings ?? []),
    );
    return EXIT.ok;
  },
};
