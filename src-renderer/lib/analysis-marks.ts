/**
 * What each finding of the Analyse panel draws on the score. Pure: a finding and the analysis
 * in, score marks out (see overlay.ts), so any choice in the panel lights the right notes.
 */
import type { Analysis } from '../../src-core/analysis/analyze.ts';
import type { MotifRelation } from '../../src-core/analysis/motifs.ts';
import type { MarkStyle, ScoreMark } from './overlay.ts';

export type Finding =
  | { readonly kind: 'intervals' }
  | { readonly kind: 'leap' }
  | { readonly kind: 'contour' }
  | { readonly kind: 'motif'; readonly index: number; readonly occurrence?: number }
  | { readonly kind: 'phrases' }
  | { readonly kind: 'bars' }
  | { readonly kind: 'surprise' };

/** The line style of an occurrence says how it relates to the first, besides its colour. */
export const RELATION_STYLE: Readonly<Record<MotifRelation, MarkStyle>> = {
  exact: 'solid',
  transposed: 'dashed',
  tonal: 'dashed',
  inverted: 'dotted',
  rhythm: 'dotted',
};

const arrow = (direction: string) => (direction === 'up' ? '↑' : direction === 'down' ? '↓' : '');

export function findingKey(f: Finding): string {
  return f.kind === 'motif' ? `motif-${f.index}` : f.kind;
}

export function marksFor(a: Analysis, finding: Finding | null): ScoreMark[] {
  if (!finding) return [];
  switch (finding.kind) {
    case 'intervals':
      return a.intervals.map((iv) => ({
        kind: 'interval',
        from: iv.from,
        to: iv.to,
        label: `${iv.name}${arrow(iv.direction)}`,
      }));
    case 'leap': {
      const leap = a.summary.largestLeap;
      if (!leap) return [];
      return [
        { kind: 'notes', notes: [leap.from, leap.to], colour: 1, label: 'largest leap' },
        { kind: 'interval', from: leap.from, to: leap.to, label: `${leap.name}${arrow(leap.direction)}` },
      ];
    }
    case 'contour': {
      const marks: ScoreMark[] = [];
      if (a.contour.highest)
        marks.push({ kind: 'notes', notes: a.contour.highest.notes, colour: 1, label: 'highest' });
      if (a.contour.lowest)
        marks.push({
          kind: 'notes',
          notes: a.contour.lowest.notes,
          colour: 0,
          label: 'lowest',
          style: 'dashed',
        });
      return marks;
    }
    case 'motif': {
      const motif = a.motifs[finding.index];
      if (!motif) return [];
      const marks: ScoreMark[] = motif.occurrences.map((o, i) => ({
        kind: 'notes',
        notes: o.notes,
        colour: finding.index,
        label: `${motif.label}${i + 1}`,
        style: i === 0 ? 'solid' : RELATION_STYLE[o.relation],
        ...(i === finding.occurrence ? { emphasis: true } : {}),
      }));
      // A chosen occurrence comes first, so the score scrolls to it.
      const chosen = finding.occurrence ?? 0;
      return [...marks.slice(chosen), ...marks.slice(0, chosen)];
    }
    case 'phrases': {
      // With more than one strain, the form is drawn at both levels, as formSummary writes it
      // ("AABB; A = a a'"): each strain's letter over its phrases', in lower case.
      if (a.strains.length < 2)
        return a.phrases.map((p) => ({ kind: 'bracket', from: p.firstNote, to: p.lastNote, label: p.label }));
      return [
        ...a.strains.map((s) => ({
          kind: 'bracket' as const,
          from: s.firstNote,
          to: s.lastNote,
          label: s.letter,
          level: 'strain' as const,
        })),
        ...a.phrases.map((p) => {
          const strain = a.strains[p.strain]!;
          return {
            kind: 'bracket' as const,
            from: p.firstNote,
            to: p.lastNote,
            label: strain.phraseLabels[p.index - strain.firstPhrase] ?? p.label.toLowerCase(),
            level: 'phrase' as const,
          };
        }),
      ];
    }
    case 'surprise':
      return []; // drawn from the model's probabilities: see surpriseMarks
    case 'bars': {
      // Each restated bar and the bar it restates share a colour; the label names the earlier bar.
      const sources = [...new Set(a.barRepeats.map((r) => r.of))];
      const notesIn = (bar: number) => a.notes.filter((n) => n.bar === bar).map((n) => n.index);
      return a.barRepeats.flatMap((r) => {
        const colour = sources.indexOf(r.of);
        return [
          { kind: 'notes', notes: notesIn(r.of), colour, label: `bar ${r.of + a.firstBarNumber}` },
          {
            kind: 'notes',
            notes: notesIn(r.bar),
            colour,
            label: `= bar ${r.of + a.firstBarNumber}`,
            style: r.relation === 'exact' ? 'solid' : 'dashed',
          },
        ] satisfies ScoreMark[];
      });
    }
  }
}

/**
 * Each note shaded by how surprising the model found it (darker = less expected), with the
 * probability written under it, so the numbers carry the meaning and the shade only helps.
 * The shade follows surprise in nats (-ln p), full at 1 in 50 or less, so a likely note is pale
 * and a 1-in-10 note mid-dark.
 */
export function surpriseMarks(probabilities: readonly (number | null)[]): ScoreMark[] {
  return probabilities.flatMap((p, note) =>
    p === null
      ? []
      : [
          {
            kind: 'shade',
            note,
            level: Math.min(1, Math.max(0, -Math.log(Math.max(p, 1e-9)) / Math.log(50))),
            label: `${Math.max(1, Math.round(p * 100))}%`,
          } satisfies ScoreMark,
        ],
  );
}
