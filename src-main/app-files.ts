/**
 * What the app serves at a path, read from disk: the built renderer, the models Cantus ships
 * (/models/) and model folders the user chose (/user-models/N/). One reading for the app://
 * protocol (protocol.ts), the development server (renderer.vite.ts) and the browser test bridge,
 * so each answers a path alike and a missing file is always "not found".
 */
import { readFile } from 'node:fs/promises';
import { sep } from 'node:path';
import { mimeType, resolveAppFile } from './security.ts';

export interface AppFolders {
  /** The built renderer. */
  readonly root: string;
  /** The models Cantus ships. */
  readonly modelsRoot: string;
  /** The folder of a model the user chose, by its number, or null. */
  readonly userModelFolder: (id: number) => string | null;
}

export interface AppFile {
  readonly body: Uint8Array<ArrayBuffer>;
  readonly type: string;
}

/** The file at an app URL's path with its content type, or null when there is none or the path leaves its folder. */
export async function readAppFile(pathname: string, folders: AppFolders): Promise<AppFile | null> {
  const file = resolveAppFile(
    pathname,
    folders.root,
    folders.modelsRoot,
    folders.userModelFolder,
    sep as '/' | '\\',
  );
  if (file === null) return null;
  try {
    return { body: await readFile(file), type: mimeType(file) };
  } catch {
    return null;
  }
}

/** True for paths under the models Cantus ships or the ones the user chose. */
export function isModelPath(pathname: string): boolean {
  return pathname.startsWith('/models/') || pathname.startsWith('/user-models/');
}
