/**
 * The model folders the user chose, handed from main to the development server. In development
 * (`npm start`) the window's pages come from Vite's dev server, which runs in the electron-vite
 * process, not in main, so it cannot ask main which folder /user-models/N/ means. The server
 * makes a private file and names it in CANTUS_DEV_MODEL_FOLDERS before Electron starts; main
 * writes the list there each time the user chooses a folder, and the server reads it per request.
 */
import { renameSync, readFileSync, writeFileSync } from 'node:fs';

export const DEV_MODEL_FOLDERS = 'CANTUS_DEV_MODEL_FOLDERS';

/** Replaces the list in `file` (written beside it first, then renamed, so a reader never sees half). */
export function writeModelFolders(file: string, folders: readonly string[]): void {
  writeFileSync(`${file}.new`, JSON.stringify(folders), { mode: 0o600 });
  renameSync(`${file}.new`, file);
}

/** The list in `file`; empty while main has written none. */
export function readModelFolders(file: string): readonly string[] {
  try {
    const list: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(list) && list.every((f) => typeof f === 'string') ? list : [];
  } catch {
    return [];
  }
}
