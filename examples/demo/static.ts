import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The headers of every page: scripts and styles from this origin only (so
 * nothing injected could run), never framed, no referrer (the invitation and
 * reset pages carry a token in their address), never cached. Pictures may come
 * from any https address: a user's picture is an address they chose.
 */
export const pageHeaders = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

/** One file of `public/`. */
export interface PublicFile {
  body: Buffer;
  type: string;
}

/** The files of `public/` by URL path (`/app.js`), read once: a fixed set, so no path from a request reaches the disk. */
export function publicFiles(): Map<string, PublicFile> {
  const directory = new URL('./public/', import.meta.url);
  const files = new Map<string, PublicFile>();
  for (const name of readdirSync(directory)) {
    const type = types[extname(name)];
    if (type) files.set(`/${name}`, { body: readFileSync(new URL(name, directory)), type });
  }
  return files;
}
