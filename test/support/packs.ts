/** Lesson packs built in tests. */
import { strToU8 } from 'fflate';
import type { PackFiles } from '../../src-core/lessons/pack-files.ts';

/** A pack of `lessons` lessons that all use one MIDI file, `tune.mid`, holding `midi`. */
export function packSharingOneMidi(midi: Uint8Array, lessons: number, id = 'shared-file'): PackFiles {
  const json = {
    formatVersion: 1,
    id,
    title: 'One tune, many lessons',
    author: 'A. Teacher',
    version: '1.0.0',
    language: 'en',
    lessons: Array.from({ length: lessons }, (_, i) => ({
      id: `l${i}`,
      title: `Lesson ${i}`,
      introduction: 'Listen.',
      melody: { source: 'fixed', midi: 'tune.mid' },
      questions: [{ id: 'q1', kind: 'step-skip-leap' }],
    })),
  };
  return new Map([
    ['pack.json', strToU8(JSON.stringify(json))],
    ['tune.mid', midi],
  ]);
}
