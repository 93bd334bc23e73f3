import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeMelody } from '../../../src-core/analysis/analyze.ts';
import { resolveMelodySource } from '../../../src-core/lessons/melody-source.ts';
import { poseQuestion } from '../../../src-core/lessons/questions.ts';
import type { LessonPack } from '../../../src-core/lessons/schema.ts';
import { createRng } from '../../../src-core/model/rng.ts';
import { formatNotes, parseNotes, stepsPerBar } from '../../../src-core/music/melody.ts';
import { buildLesson } from '../../../src-core/lessons/build-lesson.ts';
import { checkPack } from '../../../src-cli/commands/lessons.ts';

const ROOT = join(import.meta.dirname, '../../../lessons');
const folders = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(ROOT, d.name, 'pack.json')))
  .map((d) => d.name)
  .sort();

const packs = new Map<string, LessonPack>();
const load = async (name: string): Promise<LessonPack> => {
  const cached = packs.get(name);
  if (cached) return cached;
  const { pack, problems } = await checkPack(join(ROOT, name));
  expect(problems.map((p) => p.message)).toEqual([]);
  expect(pack).not.toBeNull();
  packs.set(name, pack!);
  return pack!;
};

describe('built-in lesson packs', () => {
  it.each(folders)('%s reads with no problems', async (name) => {
    const pack = await load(name);
    expect(pack.id).toBe(name);
    expect(pack.author).toBe('Cantus');
    expect(pack.language).toBe('en');
    expect(pack.version).toBe('1.0.0');
    expect(pack.lessons.length).toBeGreaterThanOrEqual(5);
  });

  it('has at least 3 packs and 15 lessons, with ids unique across packs', async () => {
    expect(folders.length).toBeGreaterThanOrEqual(3);
    const all = (await Promise.all(folders.map(load))).flatMap((p) => p.lessons);
    expect(all.length).toBeGreaterThanOrEqual(15);
    const ids = all.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(folders)('every question of a fixed-melody lesson in %s can be posed', async (name) => {
    const pack = await load(name);
    for (const lesson of pack.lessons) {
      const source = lesson.melody;
      if (source.source !== 'fixed' || source.notes === undefined) continue;
      expect(parseNotes(source.notes).length, lesson.id).toBeGreaterThan(0);
      const resolved = await resolveMelodySource(source, {
        files: new Map(),
        file: 'pack.json',
        path: lesson.id,
        model: null,
      });
      if (!resolved.ok) throw new Error(`${lesson.id}: ${resolved.error.message}`);
      const analysis = analyzeMelody(resolved.value.melody);
      for (const [i, spec] of lesson.questions.entries()) {
        for (const seed of [1, 2, 3]) {
          const rng = createRng(seed * 100 + i);
          const posed = poseQuestion(spec, { analysis }, () => rng.next());
          if (!posed.ok) throw new Error(`${lesson.id}/${spec.id}: ${posed.error.message}`);
        }
      }
    }
  });

  it.each(folders)(
    'every generated lesson in %s keeps a melody that carries all its questions',
    async (name) => {
      const pack = await load(name);
      for (const [index, lesson] of pack.lessons.entries()) {
        if (lesson.melody.source !== 'generate') continue;
        expect(
          lesson.melody.kept,
          `${lesson.id} keeps no melody (npx tsx scripts/lessons/keep-melodies.ts)`,
        ).toBeDefined();
        // No model: what a student gets when no fresh melody comes in time.
        for (const seed of [1, 2, 3]) {
          const built = await buildLesson(lesson, {
            files: new Map(),
            file: 'pack.json',
            path: `lessons[${index}]`,
            model: null,
            seed,
            useKept: true,
          });
          if (!built.ok) throw new Error(`${lesson.id}: ${built.error.message}`);
          expect(built.value.skipped, lesson.id).toEqual([]);
          expect(formatNotes(built.value.melody.notes)).toBe(lesson.melody.kept!.notes);
          expect(built.value.melody.length).toBe(lesson.melody.bars * stepsPerBar(built.value.melody.meter));
        }
      }
    },
  );
});
