/**
 * The key evaluation (`npm run eval:analysis`) on the real folk-pd corpus (../shared, not part of
 * this repository): its ABC reader, its MIREX scoring, and the figures the README quotes, held as
 * floors. Skipped with a message when the corpus is absent on a developer machine; on CI
 * (CI=true) a missing corpus is a failure. CANTUS_FOLK_PD points at another copy.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readAbcKey, readAbcTunes } from '../../../scripts/eval/abc.ts';
import {
  declaredUnder,
  isExact,
  loadEvalTunes,
  mirexScore,
  newReading,
} from '../../../scripts/eval/analysis.ts';
import { parseKey } from '../../../src-core/music/key.ts';

const corpus = process.env.CANTUS_FOLK_PD
  ? pathToFileURL(`${process.env.CANTUS_FOLK_PD.replace(/\/$/, '')}/`)
  : new URL('../../../../shared/datasets/folk-pd/', import.meta.url);
const present = existsSync(new URL('abc/', corpus));
const onCi = process.env.CI === 'true';
if (!present && !onCi)
  console.warn('Skipping the folk-pd key evaluation: the corpus is not here (required when CI=true).');

describe('the ABC reader of the evaluation', () => {
  it('reads K: fields with modes, and counts key and meter changes', () => {
    expect(readAbcKey('A Dorian')).toEqual({ tonic: 'A', mode: 'dorian' });
    expect(readAbcKey('Bb clef=treble')).toEqual({ tonic: 'Bb', mode: 'major' });
    expect(readAbcKey('HP')).toBeNull();
    expect(readAbcKey('none')).toBeNull();
    const tunes = readAbcTunes(
      'X:1\nT:One\nM:6/8\nK:Em\n|:EFG B2e|[K:G]d2B G3:|\nM:9/8\nGAB d2e g3|\n\nX:2\nT:Two\nK:D mix % modal\nABcd|\n',
    );
    expect(tunes).toEqual([
      {
        x: 1,
        title: 'One',
        keyText: 'Em',
        key: { tonic: 'E', mode: 'minor' },
        meterText: '6/8',
        keyChanges: 1,
        meterChanges: 1,
      },
      {
        x: 2,
        title: 'Two',
        keyText: 'D mix',
        key: { tonic: 'D', mode: 'mixolydian' },
        meterText: '',
        keyChanges: 0,
        meterChanges: 0,
      },
    ]);
  });

  it('scores keys the MIREX way, modes folded to major or minor', () => {
    const k = (t: string) => parseKey(t)!;
    expect(mirexScore(k('G'), k('G'))).toBe(1);
    expect(mirexScore(k('D'), k('G'))).toBe(0.5);
    expect(mirexScore(k('E minor'), k('G'))).toBe(0.3);
    expect(mirexScore(k('G'), k('E minor'))).toBe(0.3);
    expect(mirexScore(k('G minor'), k('G'))).toBe(0.2);
    expect(mirexScore(k('A dorian'), k('A minor'))).toBe(1);
    expect(mirexScore(k('F#'), k('G'))).toBe(0);
  });
});

describe.skipIf(!present && !onCi)('keys of unseen folk tunes (folk-pd eval split)', () => {
  it('reads minor tunes stored with the relative major signature as minor, at least 90% of them', () => {
    expect(present, `${fileURLToPath(corpus)} is missing`).toBe(true);
    const tunes = loadEvalTunes(fileURLToPath(corpus)).tunes.filter((t) => t.split === 'eval');
    expect(tunes.length).toBeGreaterThan(400);
    const rate = (group: (mode: string) => boolean, condition: 'flag removed' | 'no signature') => {
      const chosen = tunes.filter((t) => group(t.truth.mode));
      const right = chosen.filter((t) =>
        isExact(newReading(t.melody, declaredUnder(t.melody, condition)), t.truth),
      );
      return right.length / chosen.length;
    };
    // Measured on this code (README): 91.2% of the 57 minor tunes with the flag removed; without
    // a signature 90.0% of all tunes (goal 85%), 93.2% of the major and minor ones (goal 90%).
    expect(rate((m) => m === 'minor', 'flag removed')).toBeGreaterThanOrEqual(0.9);
    expect(rate(() => true, 'no signature')).toBeGreaterThanOrEqual(0.88);
    expect(rate((m) => m === 'major' || m === 'minor', 'no signature')).toBeGreaterThanOrEqual(0.9);
  });
});
