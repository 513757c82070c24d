import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the demo keeps its database, secrets and outbox unless `TENANTRY_DEMO_DATA` says otherwise. */
export const defaultDataDir = fileURLToPath(new URL('../../.data/demo/', import.meta.url));

/** Creates the data directory (and its parents) if missing. */
export async function ensureDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
}

/**
 * A random secret (32 bytes, base64url) kept in a file of the data directory:
 * made on first use (readable by the owner only), read back on every later
 * start, so what it signs (page cursors), seals (the authenticator apps'
 * secrets, with the encryption key) or opens (the operator key) survives
 * restarts.
 */
export async function keptSecret(dataDir: string, name: string): Promise<string> {
  const path = join(dataDir, name);
  try {
    const existing = (await readFile(path, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  await writeFile(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}
