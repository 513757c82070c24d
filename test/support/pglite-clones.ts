import { PGlite, type PGliteInterface } from '@electric-sql/pglite';
import { afterAll, afterEach } from 'vitest';
import { type PostgresStorage, postgresStorage } from '../../adapters/postgres/index.js';

/**
 * Clones of a migrated PGlite, for one test each and closed after it: a clone
 * holds a few hundred MB of WebAssembly memory, so a suite that kept them all
 * would outgrow the machine. Call it at the top of a test file. A clone costs
 * about 750 ms; a test that needs no database of its own takes
 * {@link pgliteSchemas} instead.
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

/**
 * Storages on one PGlite, each in a new migrated schema, as the real-server
 * suites keep tests apart: a schema migrates in about 140 ms, a fifth of a
 * clone. Call it at the top of a test file; the schemas are dropped when the
 * file is done (a group of tests may share one storage until then).
 */
export function pgliteSchemas(database: PGlite = new PGlite()): () => Promise<PostgresStorage> {
  const made: string[] = [];
  afterAll(async () => {
    for (const schema of made.splice(0)) await database.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
  return async () => {
    const schema = `test_${made.length + 1}`;
    made.push(schema);
    const storage = postgresStorage({ client: database, schema });
    await storage.migrate();
    return storage;
  };
}
