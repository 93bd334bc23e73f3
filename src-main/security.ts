/** Pure checks used by the Electron shell; kept apart so they can be tested without Electron. */

/** True when `url` belongs to one of the allowed origins (exact origin match). */
export function isTrustedUrl(url: string | undefined | null, allowedOrigins: readonly string[]): boolean {
  if (!url) return false;
  let origin: string;
  try {
    const parsed = new URL(url);
    // Non-special schemes such as app:// report the origin "null"; rebuild it from the parts.
    origin = parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return false;
  }
  return allowedOrigins.includes(origin);
}

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.mid': 'audio/midi',
  '.bin': 'application/octet-stream',
  '.md': 'text/markdown; charset=utf-8',
};

export function mimeType(path: string): string {
  const dot = path.lastIndexOf('.');
  return (dot >= 0 && MIME[path.slice(dot).toLowerCase()]) || 'application/octet-stream';
}

/**
 * Maps a request URL's path to a file under `root`, or null when it would leave the folder.
 * `/` serves index.html. Works on POSIX and Windows separators alike.
 */
export function resolveUnderRoot(root: string, urlPath: string, sep: '/' | '\\' = '/'): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const parts: string[] = [];
  for (const part of decoded.split(/[/\\]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') return null;
    if (/^[a-zA-Z]:$/.test(part)) return null;
    parts.push(part);
  }
  if (parts.length === 0) parts.push('index.html');
  const base = root.endsWith(sep) ? root.slice(0, -1) : root;
  return [base, ...parts].join(sep);
}

/** Which file an app:// path names, or null. Shared with the browser test bridge. */
export function resolveAppFile(
  path: string,
  root: string,
  modelsRoot: string,
  userModelFolder: (id: number) => string | null,
  sep: '/' | '\\' = '/',
): string | null {
  const separator = sep;
  if (path.startsWith('/models/'))
    return resolveUnderRoot(modelsRoot, path.slice('/models'.length), separator);
  const user = /^\/user-models\/(\d+)(\/.*)$/.exec(path);
  if (user) {
    const folder = userModelFolder(Number(user[1]));
    return folder === null ? null : resolveUnderRoot(folder, user[2]!, separator);
  }
  return resolveUnderRoot(root, path, separator);
}
