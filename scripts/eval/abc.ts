/**
 * What the analysis evaluation needs from an ABC file (abc standard 2.1, abcnotation.com): each
 * tune's reference number, title, meter and key as the transcriber wrote them, and whether the
 * key or meter changes inside the tune. Not a music reader: the notes come from the MIDI files
 * abc2midi made of the same tunes (../shared/datasets/folk-pd/README.md).
 */
import type { Key, Mode } from '../../src-core/music/melody.ts';

export interface AbcTune {
  /** The X: reference number. */
  readonly x: number;
  readonly title: string;
  /** The header's K: field as written, e.g. "A Dorian". */
  readonly keyText: string;
  /** The header key, or null for K:none, highland pipes or an unreadable field. */
  readonly key: Key | null;
  /** The header's M: field, e.g. "6/8". */
  readonly meterText: string;
  /** K: fields after the header (own lines or inline [K:...]) that name a different key. */
  readonly keyChanges: number;
  /** M: fields after the header that name a different meter. */
  readonly meterChanges: number;
}

const MODE_WORDS: readonly [string, Mode][] = [
  ['maj', 'major'],
  ['ion', 'major'],
  ['min', 'minor'],
  ['aeo', 'minor'],
  ['dor', 'dorian'],
  ['phr', 'phrygian'],
  ['lyd', 'lydian'],
  ['mix', 'mixolydian'],
  ['loc', 'locrian'],
];

/**
 * Reads an ABC K: field's tonic and mode. Mode words count by their first three letters, any
 * case; "m" alone is minor; no word is major. Clefs and explicit accidentals after the key are
 * ignored. Null for "none", "HP"/"Hp" and anything else without a tonic.
 * @example readAbcKey('A Dorian') // => { tonic: 'A', mode: 'dorian' }
 * @example readAbcKey('F#m') // => { tonic: 'F#', mode: 'minor' }
 */
export function readAbcKey(text: string): Key | null {
  const m = /^\s*([A-G])([#b]?)\s*([A-Za-z]*)/.exec(text);
  if (!m) return null;
  const tonic = `${m[1]}${m[2] ?? ''}`;
  const word = (m[3] ?? '').toLowerCase();
  if (word === '' || word === 'clef' || word === 'exp') return { tonic, mode: 'major' };
  if (word === 'm') return { tonic, mode: 'minor' };
  const found = MODE_WORDS.find(([prefix]) => word.startsWith(prefix));
  return found ? { tonic, mode: found[1] } : null;
}

/** Every tune in an ABC file's text, in order. */
export function readAbcTunes(text: string): AbcTune[] {
  const tunes: AbcTune[] = [];
  const blocks = text.split(/\r?\n(?=X:)/);
  for (const block of blocks) {
    const lines = block.split(/\r?\n/).map((l) => l.replace(/%.*$/, ''));
    const x = /^X:\s*(\d+)/.exec(lines[0] ?? '');
    if (!x) continue;
    let title = '';
    let meterText = '';
    let keyText: string | null = null;
    let keyChanges = 0;
    let meterChanges = 0;
    let currentKey = '';
    let currentMeter = '';
    for (const line of lines.slice(1)) {
      const field = /^([A-Za-z]):\s*(.*)$/.exec(line);
      if (keyText === null) {
        if (!field) continue;
        const [, name, value] = field;
        if (name === 'T' && !title) title = value!.trim();
        if (name === 'M' && !meterText) meterText = value!.trim();
        if (name === 'K') {
          keyText = value!.trim();
          currentKey = normalizedField(keyText);
          currentMeter = normalizedField(meterText);
        }
        continue;
      }
      const fields: [string, string][] = [];
      if (field && (field[1] === 'K' || field[1] === 'M')) fields.push([field[1], field[2]!]);
      for (const inline of line.matchAll(/\[([KM]):([^\]]*)\]/g)) fields.push([inline[1]!, inline[2]!]);
      for (const [name, value] of fields) {
        const v = normalizedField(value);
        if (!v) continue;
        if (name === 'K' && v !== currentKey) {
          keyChanges++;
          currentKey = v;
        }
        if (name === 'M' && v !== currentMeter) {
          meterChanges++;
          currentMeter = v;
        }
      }
    }
    if (keyText === null) continue;
    tunes.push({
      x: Number(x[1]),
      title,
      keyText,
      key: readAbcKey(keyText),
      meterText,
      keyChanges,
      meterChanges,
    });
  }
  return tunes;
}

function normalizedField(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}
