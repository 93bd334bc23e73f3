/**
 * Marks drawn over the score: analysis findings, lesson answers, model surprise. Each mark
 * refers to melody notes by index, so any feature can show itself on the score without
 * knowing how the score is drawn. Colour is never the only carrier: groups carry a label
 * (a letter) and a line style too.
 */

export type MarkStyle = 'solid' | 'dashed' | 'dotted';

export type ScoreMark =
  /** A set of notes lit in one colour, e.g. one occurrence of a motif; the label sits above the first. */
  | {
      readonly kind: 'notes';
      readonly notes: readonly number[];
      readonly colour: number;
      readonly label?: string;
      readonly style?: MarkStyle;
      /** The one chosen among several (a motif occurrence picked in the list): drawn stronger. */
      readonly emphasis?: boolean;
      /** A box round each note (the default), or a ring. */
      readonly shape?: 'box' | 'ring';
      /** Diagonal lines across each box. */
      readonly hatched?: boolean;
      /** A sign written under every note (a lesson's ✓, ✗ or ○), not only a label above the first. */
      readonly symbol?: string;
    }
  /** A name written between two notes, e.g. an interval ("M3 ↑"). */
  | { readonly kind: 'interval'; readonly from: number; readonly to: number; readonly label: string }
  /** A bracket over a stretch of notes, e.g. a phrase with its letter. */
  | {
      readonly kind: 'bracket';
      readonly from: number;
      readonly to: number;
      readonly label: string;
      /** A strain's bracket sits above its phrases' (drawn lower when strains are shown). */
      readonly level?: 'strain' | 'phrase';
    }
  /** One note shaded by a value from 0 to 1 (how surprising it is), with the value written under it. */
  | { readonly kind: 'shade'; readonly note: number; readonly level: number; readonly label: string };

/**
 * Eight colours that stay distinct for the common colour-vision deficiencies
 * (the Okabe–Ito palette, Okabe & Ito 2008, "Color Universal Design"), darkest first.
 */
export const MARK_COLOURS = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#8C6D1F',
  '#000000',
] as const;

export function markColour(index: number): string {
  return MARK_COLOURS[((index % MARK_COLOURS.length) + MARK_COLOURS.length) % MARK_COLOURS.length]!;
}

export const DASHES: Readonly<Record<MarkStyle, string>> = {
  solid: 'none',
  dashed: '5 3',
  dotted: '1.5 2.5',
};
