/**
 * Findings in the words a teacher uses, shared by the command line and the Analyse panel so
 * both say the same thing. Bars, notes and phrases are numbered from 1 here, as on a score.
 */
import type { Analysis, AnalysedMotif, Phrase } from './analyze.ts';
import type { MotifOccurrence } from './motifs.ts';
import { displayNoteName } from '../music/describe.ts';

export const percent = (x: number): string => `${Math.round(x * 100)}%`;
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const TIMES = ['', 'once', 'twice'];

const RELATION_WORDS = {
  exact: 'exact repeat',
  transposed: 'transposed',
  tonal: 'tonal (diatonic) transposition',
  inverted: 'inverted',
  rhythm: 'same rhythm, other notes',
} as const;

/** "up 2 scale steps", "down 1 scale step". */
export function signed(n: number, unit: string): string {
  return `${n > 0 ? 'up' : 'down'} ${plural(Math.abs(n), unit)}`;
}

const WITHIN_OCTAVE = [
  'unison',
  'minor second',
  'major second',
  'minor third',
  'major third',
  'perfect fourth',
  'tritone',
  'perfect fifth',
  'minor sixth',
  'major sixth',
  'minor seventh',
  'major seventh',
];
const OCTAVES = [
  '',
  'an octave',
  'two octaves',
  'three octaves',
  'four octaves',
  'five octaves',
  'six octaves',
  'seven octaves',
  'eight octaves',
  'nine octaves',
  'ten octaves',
];

/**
 * A transposition by `semitones` in musical words: "up a perfect fifth", "down a minor third",
 * "up an octave and a perfect fourth" (17), "down two octaves" (-24). A student reads these, so
 * never a count of semitones; the interval is named by its size, as a transposition has no
 * spelling of its own (6 is "a tritone").
 */
export function transpositionWords(semitones: number): string {
  const size = Math.abs(Math.round(semitones));
  if (size === 0) return 'at the same pitch';
  const octaves = Math.floor(size / 12);
  const rest = WITHIN_OCTAVE[size % 12]!;
  const article = (w: string) => (/^[aeiou]/.test(w) ? `an ${w}` : `a ${w}`);
  const octaveWords = OCTAVES[octaves] ?? `${octaves} octaves`;
  const words =
    octaves === 0 ? article(rest) : size % 12 === 0 ? octaveWords : `${octaveWords} and ${article(rest)}`;
  return `${semitones > 0 ? 'up' : 'down'} ${words}`;
}

/** "bars 5-8", "bar 3". */
export function barsText(firstBar: number, lastBar: number, firstBarNumber = 1): string {
  const n = (bar: number): number => bar + firstBarNumber;
  return firstBar === lastBar ? `bar ${n(firstBar)}` : `bars ${n(firstBar)}-${n(lastBar)}`;
}

/** How a phrase relates to earlier ones: "new", "repeats phrase 1", "varies phrase 1 (75% the same)". */
export function describePhrase(p: Phrase): string {
  if (p.relation === 'new') return 'new';
  if (p.relation === 'varied') return `varies phrase ${p.of! + 1} (${percent(p.similarity)} the same)`;
  if (p.relation === 'exact') return `repeats phrase ${p.of! + 1}`;
  return `phrase ${p.of! + 1} ${
    p.relation === 'tonal'
      ? `moved ${signed(p.degrees, 'scale step')}`
      : `transposed ${transpositionWords(p.transposition)}`
  }`;
}

/** How an occurrence relates to the motif's first: "first", "transposed up a perfect fifth", ... */
export function describeOccurrence(m: AnalysedMotif, o: MotifOccurrence): string {
  if (o === m.occurrences[0]) return 'first';
  if (o.relation === 'transposed') return `transposed ${transpositionWords(o.transposition)}`;
  if (o.relation === 'tonal') return `moved ${signed(o.degrees, 'scale step')} (tonal)`;
  return RELATION_WORDS[o.relation];
}

/** "A4 B4 A4 G4 F♯4: twice, 16% of the notes". */
export function describeMotif(a: Analysis, m: AnalysedMotif): string {
  const names = m.occurrences[0]!.notes.map((i) => displayNoteName(a.notes[i]!.name)).join(' ');
  const count = TIMES[m.occurrences.length] ?? `${m.occurrences.length} times`;
  return `${m.kind === 'rhythmic' ? 'rhythm of ' : ''}${names}: ${count}, ${percent(m.coverage)} of the notes${
    m.sequence ? `, a ${m.sequence} sequence` : ''
  }${m.withinRepeatedPhrases ? ' (comes back only where its phrase is repeated)' : ''}`;
}

/** How a bar restates an earlier one: "bar 1 again", "the rhythm of bar 9". */
export function describeBarRepeat(r: Analysis['barRepeats'][number], firstBarNumber = 1): string {
  const of = `bar ${r.of + firstBarNumber}`;
  switch (r.relation) {
    case 'exact':
      return `${of} again`;
    case 'transposed':
      return `${of} transposed ${transpositionWords(r.transposition)}`;
    case 'tonal':
      return `${of} moved along the scale`;
    case 'varied':
      return `${of} varied`;
    case 'rhythm':
      return `the rhythm of ${of}`;
  }
}

/**
 * A form for reading at any length: short forms as they are ("AA'BA"); a long one with each run
 * of three or more equal labels written once with its count, spaced, and cut after `maxGroups`
 * groups with the total said.
 * @example groupedForm(['A', 'A', 'A', 'A', "A'", 'B', 'B', 'B']) // => "A×4 A' B×3"
 */
export function groupedForm(labels: readonly string[], maxGroups = 12): string {
  if (labels.join('').length <= 16) return labels.join('');
  const groups: string[] = [];
  for (let i = 0; i < labels.length;) {
    let j = i;
    while (j < labels.length && labels[j] === labels[i]) j++;
    const run = j - i;
    if (run >= 3) groups.push(`${labels[i]}×${run}`);
    else for (let k = i; k < j; k++) groups.push(labels[k]!);
    i = j;
  }
  if (groups.length <= maxGroups) return groups.join(' ');
  return `${groups.slice(0, maxGroups).join(' ')} … (${labels.length.toLocaleString('en')} in all)`;
}
