import type { PGlite, PGliteInterface } from '@electric-sql/pglite';
import { afterEach } from 'vitest';

/**
 * Clones of a migrated PGlite, for one test each and closed after it: a clone
 * holds a few hundred MB of WebAssembly memory, so a suite that kept them all
 * would outgrow the machine. Call it at the top of a test file.
 */
export function pgliteClones(template: PGlite): () => Promise<PGliteInterface> {
  const open: PGliteInterface[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((clone) => clone.close()));
  });
  return async () => {
    const clone = await template.clone();
    open.push(clone);
    return clone;
  };
}
