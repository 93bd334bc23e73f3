/** The melody open at first launch: a short tune written for Cantus, in G major. */
import { makeMelody, parseNotes, type Melody } from '../../src-core/music/melody.ts';

export const WELCOME_TITLE = 'Welcome tune';

export function welcomeMelody(): Melody {
  return makeMelody({
    title: WELCOME_TITLE,
    tempo: 100,
    meter: { numerator: 4, denominator: 4 },
    key: { tonic: 'G', mode: 'major' },
    notes: parseNotes(
      [
        'G4/4 B4/2 D5/2 G5/6 F#5/2',
        'E5/4 D5/4 B4/8',
        'C5/4 E5/2 C5/2 A4/4 C5/4',
        'B4/2 A4/2 G4/2 A4/2 B4/8',
        'G4/4 B4/2 D5/2 G5/4 A5/4',
        'B5/6 A5/2 G5/4 E5/4',
        'D5/2 E5/2 D5/2 B4/2 A4/4 F#4/4',
        'G4/12 r/4',
      ].join(' '),
    ),
    length: 8 * 16,
  });
}
