/**
 * Writes the melodies the built-in packs keep for their generated lessons (`melody.kept`), as
 * Cantus's pack check does for a teacher's pack: each lesson that writes its melody is built
 * with the shipped model, and the melody (and the one a comparison needs) is kept, so a student
 * always gets the lesson even when a fresh melody is slow to come.
 * `npx tsx scripts/lessons/keep-melodies.ts [--seed N]`; run again after changing a lesson.
 */
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { buildLesson } from '../../src-core/lessons/build-lesson.ts';
import { keptText } from '../../src-core/lessons/melody-source.ts';
import { PACK_JSON } from '../../src-core/lessons/pack-files.ts';
import { loadStepModel } from '../../src-engine/node-model.ts';
import { checkPack } from '../../src-cli/commands/lessons.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' } } });
  const seed = Number(values.seed);
  const loaded = await loadStepModel();
  if (!loaded.ok) throw new Error(loaded.error.message);
  const root = join(import.meta.dirname, '..', '..', 'lessons');
  for (const folder of readdirSync(root).sort()) {
    const file = join(root, folder, PACK_JSON);
    if (!existsSync(file)) continue;
    const { pack, problems } = await checkPack(join(root, folder));
    if (!pack) throw new Error(`${folder}: ${problems.map((p) => p.message).join('; ')}`);
    const original = readFileSync(file, 'utf8');
    const raw = JSON.parse(original) as { lessons: { melody: Record<string, unknown> }[] };
    let kept = 0;
    for (const [index, lesson] of pack.lessons.entries()) {
      if (lesson.melody.source !== 'generate') continue;
      const built = await buildLesson(lesson, {
        files: new Map(),
        file: PACK_JSON,
        path: `lessons[${index}]`,
        model: loaded.value,
        seed,
      });
      if (!built.ok) throw new Error(`${folder}/${lesson.id}: ${built.error.message}`);
      if (built.value.skipped.length > 0)
        console.warn(
          `${folder}/${lesson.id}: questions left out: ${built.value.skipped.map((s) => s.id).join(', ')}`,
        );
      raw.lessons[index]!.melody['kept'] = keptText(built.value.melody, built.value.second);
      kept++;
    }
    if (kept === 0) continue;
    const options = (await resolveConfig(file)) ?? {};
    // Prettier keeps an object on one line when it was written so: keep each file's own layout.
    const oneLine = /\{ "numerator"/.test(original);
    const text = oneLine ? JSON.stringify(raw) : JSON.stringify(raw, null, 2);
    writeFileSync(file, await format(text, { ...options, filepath: file }));
    console.log(`${folder}: kept melodies for ${kept} lesson${kept === 1 ? '' : 's'}`);
  }
}

await main();
