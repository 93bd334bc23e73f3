/** The recent-files list, kept as JSON in the user-data folder and written atomically. */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './files.ts';

const MAX_RECENT = 12;
const storeSchema = z.object({ recent: z.array(z.object({ name: z.string(), path: z.string() })) });

export interface RecentFile {
  readonly name: string;
  readonly path: string;
}

export class RecentFiles {
  readonly #file: string;
  #items: RecentFile[] | null = null;

  constructor(userDataDir: string) {
    this.#file = join(userDataDir, 'recent-files.json');
  }

  async list(): Promise<RecentFile[]> {
    if (this.#items === null) this.#items = await this.#load();
    return [...this.#items];
  }

  /** Puts `path` first; a path already in the list moves to the front. */
  async add(path: string): Promise<void> {
    const items = (await this.list()).filter((f) => f.path !== path);
    items.unshift({ name: basename(path), path });
    this.#items = items.slice(0, MAX_RECENT);
    await writeFileAtomic(
      this.#file,
      new TextEncoder().encode(JSON.stringify({ recent: this.#items }, null, 2)),
    );
  }

  async #load(): Promise<RecentFile[]> {
    try {
      const parsed = storeSchema.safeParse(JSON.parse(await readFile(this.#file, 'utf8')));
      // A damaged list is not worth an error message: start a new one.
      return parsed.success ? parsed.data.recent.slice(0, MAX_RECENT) : [];
    } catch {
      return [];
    }
  }
}
