import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../adapters/memory/index.js';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { sqliteStorage } from '../../adapters/sqlite/index.js';
import { type Storage, UserManagement } from '../../src/index.js';
import { describeWithServer, suiteSchema } from '../support/postgres-server.js';
import { type BuiltCli, buildCli } from './cli.js';

const DAY = 86_400_000;
const password = 'a long passphrase nobody guesses';

let cli: BuiltCli;
beforeAll(async () => {
  cli = await buildCli();
}, 120_000);
afterAll(() => cli?.remove());

/** A company whose admin accepted the invitation and signed out: an ended session and a used invitation to purge. */
async function signedInAndOut(storage: Storage): Promise<{ endedAt: Date }> {
  const mailer = memoryMailer();
  const um = new UserManagement({ storage, mailer, passwordChecker: null, links: { baseUrl: 'https://portal.test' } });
  await um.as({ type: 'operator' }).organizations.create({
    name: 'Acme',
    firstUser: { email: `ann.${Date.now()}@acme.example`, firstName: 'Ann', lastName: 'Admin' },
  });
  const token = new URL(mailer.outbox.at(-1)?.link as string).searchParams.get('token') as string;
  const accepted = await um.auth.acceptInvitation({ token, password });
  if (accepted.kind !== 'session') throw new Error('expected a session');
  await um.auth.signOut(accepted.token);
  return { endedAt: new Date() };
}

/** The count printed beside a kind's label. */
const count = (stdout: string, label: string) => new RegExp(`^  ${label} +(\\d+)$`, 'm').exec(stdout)?.[1];

describe('tenantry purge on SQLite', () => {
  const file = () => join(cli.directory, 'purge.db');
  let database: Database.Database;
  let endedAt: Date;

  beforeAll(async () => {
    expect((await cli.run(['migrate', '--database-url', file()])).code).toBe(0);
    database = new Database(file());
    ({ endedAt } = await signedInAndOut(sqliteStorage({ database })));
  }, 60_000);
  afterAll(() => database?.close());

  it('lists its options in the help', async () => {
    expect((await cli.run(['--help'])).stdout).toMatch(/^ {2}purge /m);
    const help = await cli.run(['purge', '--help']);
    for (const option of ['--database-url', '--schema', '--config', '--now']) expect(help.stdout).toContain(option);
  });

  it('refuses a date it cannot read, and a missing database, as usage errors', async () => {
    const bad = await cli.run(['purge', '--database-url', file(), '--now', 'yesterday']);
    expect(bad).toMatchObject({ code: 64, stdout: '' });
    expect(bad.stderr).toMatch(/--now needs an ISO 8601 date/);
    expect((await cli.run(['purge'])).stderr).toMatch(/either --database-url or --config/);
  });

  it('keeps what is within the windows, then removes it and prints the counts', async () => {
    const soon = await cli.run(['purge', '--database-url', file()]);
    expect(soon).toMatchObject({ code: 0, stderr: '' });
    expect(count(soon.stdout, 'ended sessions')).toBe('0');
    const later = new Date(endedAt.getTime() + 31 * DAY).toISOString();
    const { code, stdout, stderr } = await cli.run(['purge', '--database-url', file(), '--now', later]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Purged as of ${later.replace(/\./g, '\\.')}: 2 rows$`, 'm'));
    expect(count(stdout, 'ended sessions')).toBe('1');
    expect(count(stdout, 'used or expired one-time tokens')).toBe('1');
    // By default the audit trail stays.
    expect(count(stdout, 'audit events')).toBe('0');
    const rows = database.prepare('SELECT count(*) AS n FROM tenantry_sessions').get() as { n: number };
    expect(rows.n).toBe(0);
    const events = database
      .prepare("SELECT count(*) AS n FROM tenantry_audit_events WHERE action = 'maintenance.purged'")
      .get() as { n: number };
    expect(events.n).toBe(2);
  });

  it("purges by the application's retention policy from a config module", async () => {
    cli.write(
      'retention.config.mjs',
      `import Database from 'better-sqlite3';
import { UserManagement } from './index.js';
import { sqliteStorage } from './sqlite.js';

const database = new Database(${JSON.stringify(file())});
const mailer = { send: async () => undefined };
export default new UserManagement({ storage: sqliteStorage({ database }), mailer, policy: { retention: { auditEventsDays: 30 } } });
export function close() {
  database.close();
}
`,
    );
    const later = new Date(endedAt.getTime() + 31 * DAY).toISOString();
    const { code, stdout } = await cli.run(['purge', '--config', 'retention.config.mjs', '--now', later]);
    expect(code).toBe(0);
    expect(Number(count(stdout, 'audit events'))).toBeGreaterThan(0);
    // What is left of the trail is this run's own event (written at the system clock's time, after the purge).
    const left = database.prepare('SELECT action FROM tenantry_audit_events').all();
    expect(left).toEqual([{ action: 'maintenance.purged' }]);
  });
});

describeWithServer('tenantry purge on a PostgreSQL server', (url) => {
  const { pool, schema } = suiteSchema(url, 'purge');

  it('purges in the schema it is given', async () => {
    const storage = postgresStorage({ client: pool, schema });
    await storage.migrate();
    const { endedAt } = await signedInAndOut(storage);
    const later = new Date(endedAt.getTime() + 31 * DAY).toISOString();
    const { code, stdout, stderr } = await cli.run([
      'purge',
      '--database-url',
      url,
      '--schema',
      schema,
      '--now',
      later,
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(count(stdout, 'ended sessions')).toBe('1');
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".tenantry_sessions`);
    expect(rows[0].n).toBe(0);
  });

  it('then builds the search index of the companies the policy says are due, and says so', async () => {
    cli.write(
      'search.config.mjs',
      `import pg from 'pg';
import { UserManagement } from './index.js';
import { postgresStorage } from './postgres.js';

const pool = new pg.Pool({ connectionString: ${JSON.stringify(url)} });
const storage = postgresStorage({ client: pool, schema: ${JSON.stringify(schema)} });
const mailer = { send: async () => undefined };
export default new UserManagement({ storage, mailer, policy: { searchIndex: { fromUsers: 1 } } });
export function close() {
  return pool.end();
}
`,
    );
    const { rows } = await pool.query(`SELECT DISTINCT organization_id FROM "${schema}".tenantry_users`);
    const first = await cli.run(['purge', '--config', 'search.config.mjs']);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    for (const { organization_id: id } of rows)
      expect(first.stdout).toMatch(new RegExp(`^  search index of ${id} built \\(1 user\\)$`, 'm'));
    const second = await cli.run(['purge', '--config', 'search.config.mjs']);
    expect(second.stdout).not.toMatch(/search index/);
  });
});
