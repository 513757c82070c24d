import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { sqliteStorage } from '../../adapters/sqlite/index.js';
import { type AuditEvent, type Storage, UserManagement } from '../../src/index.js';
import { describeWithServer, suiteSchema } from '../support/postgres-server.js';
import { type BuiltCli, buildCli } from './cli.js';

let cli: BuiltCli;
let database: Database.Database;
let um: UserManagement;
const file = () => join(cli.directory, 'audit.db');

beforeAll(async () => {
  cli = await buildCli();
  expect((await cli.run(['migrate', '--database-url', file()])).code).toBe(0);
  database = new Database(file());
  um = installation(sqliteStorage({ database }));
}, 120_000);
afterAll(() => {
  database?.close();
  cli?.remove();
});

function installation(storage: Storage): UserManagement {
  return new UserManagement({ storage, mailer: { send: async () => undefined }, passwordChecker: null });
}

let companies = 0;
/** A new organization whose admin added three users, and the trail as `audit.list` reads it. */
async function company(on: UserManagement = um) {
  companies += 1;
  const domain = `trail${companies}.example`;
  const operator = on.as({ type: 'operator' });
  const { organization, firstUser } = await operator.organizations.create({
    name: `Trail ${companies}`,
    firstUser: { email: `ann@${domain}`, firstName: 'Ann', lastName: 'Admin' },
  });
  const ids: string[] = [];
  for (const name of ['bea', 'cy', 'dee']) {
    const { user } = await operator.users.add({
      organizationId: organization.id,
      email: `${name}@${domain}`,
      firstName: name,
      lastName: 'User',
    });
    ids.push(user.id);
  }
  const trail = async (query: Record<string, unknown> = {}) =>
    (await operator.audit.list({ organizationId: organization.id, limit: 200, ...query })).items;
  return { id: organization.id, firstUser, ids, trail, operator };
}

/** The events of NDJSON output. */
const events = (stdout: string): (AuditEvent & { at: string })[] =>
  stdout === ''
    ? []
    : stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));

describe('tenantry audit export on SQLite', () => {
  it('writes the trail to stdout as NDJSON, newest first, and records the export', async () => {
    const acme = await company();
    const expected = await acme.trail();
    const { code, stdout, stderr } = await cli.run(['audit', 'export', '--org', acme.id, '--database-url', file()]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.endsWith('\n')).toBe(true);
    expect(events(stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
    const [record] = await acme.trail({ action: 'audit.exported' });
    expect(record).toMatchObject({ actor: { type: 'operator' }, metadata: { filters: {} } });
  });

  it('filters by action, target and time', async () => {
    const acme = await company();
    const run = async (...args: string[]) => {
      const outcome = await cli.run(['audit', 'export', '--org', acme.id, '--database-url', file(), ...args]);
      expect(outcome).toMatchObject({ code: 0, stderr: '' });
      return events(outcome.stdout);
    };
    const created = await run('--action', 'user.created');
    expect(created.map((event) => event.targetId)).toEqual([...acme.ids].reverse().concat(acme.firstUser.id));
    expect((await run('--target', acme.ids[1] as string)).map((event) => event.action)).toEqual(['user.created']);
    const newest = (await acme.trail())[0] as AuditEvent;
    expect(await run('--after', new Date(newest.at.getTime() + 1).toISOString())).toEqual([]);
    expect(await run('--before', '2000-01-01T00:00:00Z')).toEqual([]);
  });

  it('fails with the library’s refusal and writes nothing', async () => {
    const missing = await cli.run(['audit', 'export', '--org', 'org_nope', '--database-url', file()]);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toMatch(/^NOT_FOUND: No organization with the id org_nope/);
    const acme = await company();
    const badDate = await cli.run([
      'audit',
      'export',
      '--org',
      acme.id,
      '--after',
      'yesterday',
      '--database-url',
      file(),
    ]);
    expect(badDate).toMatchObject({ code: 1, stdout: '' });
    expect(badDate.stderr).toMatch(/^VALIDATION_FAILED: Invalid input at after/);
  });

  it('refuses a wrong command line with 64', async () => {
    const cases: [string[], RegExp][] = [
      [['audit', '--org', 'o', '--database-url', 'x.db'], /missing export/],
      [['audit', 'purge', '--org', 'o', '--database-url', 'x.db'], /unknown audit command 'purge'/],
      [['audit', 'export', '--database-url', 'x.db'], /missing option --org/],
      [['audit', 'export', '--org', 'o'], /either --database-url or --config/],
      [['audit', 'export', '--org', 'o', '--config', 'c.mjs', '--schema', 's'], /--schema goes with --database-url/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await cli.run(args);
      expect([args, code, stdout]).toEqual([args, 64, '']);
      expect(stderr).toMatch(message);
      expect(stderr.trimEnd().split('\n').at(-1)).toBe("Run 'tenantry audit --help' for usage.");
    }
    const help = await cli.run(['audit', '--help']);
    expect(help.code).toBe(0);
    for (const option of ['--org', '--action', '--target', '--after', '--before', '--database-url', '--config']) {
      expect(help.stdout).toContain(option);
    }
    expect((await cli.run(['--help'])).stdout).toMatch(/^ {2}audit +export an organization's audit trail/m);
  });
});

describeWithServer('tenantry audit export on a PostgreSQL server', (url) => {
  const { pool, schema } = suiteSchema(url, 'cliaudit');

  it('exports from the schema it is given', async () => {
    expect((await cli.run(['migrate', '--database-url', url, '--schema', schema])).code).toBe(0);
    const acme = await company(installation(postgresStorage({ client: pool, schema })));
    const expected = await acme.trail();
    const args = ['audit', 'export', '--org', acme.id, '--database-url', url, '--schema', schema];
    const { code, stdout, stderr } = await cli.run(args);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(events(stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
  });
});
