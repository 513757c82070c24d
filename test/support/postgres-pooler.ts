import { describe, it } from 'vitest';

/** The URL of a PgBouncer in transaction mode in front of the real server, from `PGBOUNCER_URL` (`.ci/pgbouncer start`). */
export const poolerUrl = process.env.PGBOUNCER_URL;

/**
 * `describe` for the suites that run through a connection pooler in
 * transaction mode: without `PGBOUNCER_URL` they are skipped with a note
 * (the body is not run), unless `TENANTRY_REQUIRE_POOLER` is set (CI), where
 * a missing pooler fails the run instead of passing it silently.
 */
export function describeWithPooler(name: string, body: (url: string) => void): void {
  if (poolerUrl) {
    describe(name, () => body(poolerUrl));
    return;
  }
  if (process.env.TENANTRY_REQUIRE_POOLER) {
    describe(name, () => {
      it('needs PGBOUNCER_URL', () => {
        throw new Error('PGBOUNCER_URL is not set, but TENANTRY_REQUIRE_POOLER asks for the pooler tests');
      });
    });
    return;
  }
  describe(name, () => {
    it.skip('needs PgBouncer in transaction mode: set PGBOUNCER_URL, e.g. eval "$(.ci/pgbouncer start)"', () =>
      undefined);
  });
}
