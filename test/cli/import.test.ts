import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { sqliteStorage } from '../../adapters/sqlite/index.js';
import { type Storage, UserManagement } from '../../src/index.js';
import { describeWithServer, suiteSchema } from '../support/postgres-server.js';
import { type BuiltCli, buildCli, collect, csv, summaryValue } from './cli.js';

let cli: BuiltCli;
let database: Database.Database;
let um: UserManagement;
const file = () => join(cli.directory, 'portal.db');

beforeAll(async () => {
  cli = await buildCli();
  const migrated = await cli.run(['migrate', '--database-url', file()]);
  expect(migrated.code).toBe(0);
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
/** A new organization with its first user, and the users it has (pending or active) in the order of their addresses. */
async function company(on: UserManagement = um) {
  companies += 1;
  const domain = `company${companies}.example`;
  const operator = on.as({ type: 'operator' });
  const { organization } = await operator.organizations.create({
    name: `Company ${companies}`,
    firstUser: { email: `ann@${domain}`, firstName: 'Ann', lastName: 'Admin' },
  });
  const users = async () => {
    const page = await operator.users.list({ organizationId: organization.id, status: ['pending', 'active'] });
    return page.items.map((user) => [user.email, user.roles]).sort(([a], [b]) => String(a).localeCompare(String(b)));
  };
  return { id: organization.id, domain, users, operator };
}

describe('tenantry import into SQLite', () => {
  it('imports the good rows, lists the bad ones and exits with 2', async () => {
    const acme = await company();
    const input = cli.write(
      'mixed.csv',
      csv(
        'email,first_name,last_name,phone',
        `carl@${acme.domain},Carl,Carlson,+1 555 0100`,
        'not an address,Eve,Evans,',
        `dora@${acme.domain},Dora,Dorsey,`,
        `CARL@${acme.domain},Carl,Again,`,
        `ann@${acme.domain},Ann,Admin,`,
        `\u001b[31mevil@${acme.domain},Red,,`,
      ),
    );
    const { code, stdout, stderr } = await cli.run(['import', input, '--org', acme.id, '--database-url', file()]);
    expect(code).toBe(2);
    // Progress counts every row of the file, as the report does (the repeated address included).
    expect(stderr).toBe('Importing mixed.csv: 6/6 rows (100%)\n');
    expect([
      summaryValue(stdout, 'Rows'),
      summaryValue(stdout, 'Created'),
      summaryValue(stdout, 'Updated'),
      summaryValue(stdout, 'Skipped'),
      summaryValue(stdout, 'Failed'),
      summaryValue(stdout, 'Dry run'),
      summaryValue(stdout, 'Organization'),
    ]).toEqual(['6', '2', '0', '1', '3', 'no', acme.id]);
    const id = /^Import:\s+(imp_\S+) \(finished\)$/m.exec(stdout)?.[1] as string;
    expect(await acme.operator.imports.get(id)).toMatchObject({ created: 2, skipped: 1, failed: 3 });

    const table = stdout.slice(stdout.indexOf('Rows not imported (3):')).trimEnd().split('\n');
    expect(table[1]).toMatch(/^ROW {2}EMAIL +CODE +MESSAGE$/);
    expect(table.slice(2).map((line) => line.split(/ {2,}/).slice(0, 3))).toEqual([
      ['3', 'not an address', 'VALIDATION_FAILED'],
      ['5', `CARL@${acme.domain}`, 'VALIDATION_FAILED'],
      // The escape sequence a cell carried is not passed to the terminal.
      ['7', `?[31mevil@${acme.domain}`, 'VALIDATION_FAILED'],
    ]);
    expect(table[3]).toMatch(/already on row 2$/);
    // The columns line up: every code starts where the header's does.
    const at = (table[1] as string).indexOf('CODE');
    for (const line of table.slice(2))
      expect(line.slice(at, at + 'VALIDATION_FAILED'.length)).toBe('VALIDATION_FAILED');

    expect(await acme.users()).toEqual([
      [`ann@${acme.domain}`, []],
      [`carl@${acme.domain}`, []],
      [`dora@${acme.domain}`, []],
    ]);
  });

  it('exits with 0 and prints no table when every row goes in; `update` updates existing users', async () => {
    const acme = await company();
    const first = cli.write('good.csv', csv('email,first_name,last_name', `gus@${acme.domain},Gus,Gray`));
    const created = await cli.run(['import', first, '--org', acme.id, '--database-url', file()]);
    expect(created.code).toBe(0);
    expect(summaryValue(created.stdout, 'Created')).toBe('1');
    expect(created.stdout).not.toContain('Rows not imported');

    const again = cli.write('again.csv', csv('email,first_name,last_name', `gus@${acme.domain},Gustav,Gray`));
    const updated = await cli.run(['import', again, '--org', acme.id, '--mode', 'update', '--database-url', file()]);
    expect(updated.code).toBe(0);
    expect([summaryValue(updated.stdout, 'Mode'), summaryValue(updated.stdout, 'Updated')]).toEqual(['update', '1']);
    const { items } = await acme.operator.users.list({ organizationId: acme.id, status: ['pending'], search: 'gus' });
    expect(items.map((user) => user.firstName)).toEqual(['Gustav']);
  });

  it('writes no users in a dry run', async () => {
    const acme = await company();
    const input = cli.write('dry.csv', csv('email,first_name,last_name', `hal@${acme.domain},Hal,Hill`, 'bad,Bad,Row'));
    const { code, stdout } = await cli.run(['import', input, '--org', acme.id, '--dry-run', '--database-url', file()]);
    expect(code).toBe(2);
    expect(summaryValue(stdout, 'Dry run')).toBe('yes (nothing was written)');
    expect([summaryValue(stdout, 'Created'), summaryValue(stdout, 'Failed')]).toEqual(['1', '1']);
    expect(await acme.users()).toEqual([[`ann@${acme.domain}`, []]]);
  });

  it('shows the first 50 rows not imported, and how many more there are', async () => {
    const acme = await company();
    const rows = Array.from({ length: 57 }, (_, index) => `bad${index},Bad,Row${index}`);
    const input = cli.write('bad.csv', csv('email,first_name,last_name', ...rows));
    const { code, stdout } = await cli.run(['import', input, '--org', acme.id, '--dry-run', '--database-url', file()]);
    expect(code).toBe(2);
    const table = stdout.slice(stdout.indexOf('Rows not imported (57):')).trimEnd().split('\n');
    expect(table).toHaveLength(1 + 1 + 50 + 1);
    expect(table[2]).toMatch(/^2 +bad0 +VALIDATION_FAILED /);
    expect(table[51]).toMatch(/^51 +bad49 +VALIDATION_FAILED /);
    expect(table.at(-1)).toBe('… and 7 more');
  });

  it("uses the application's catalog, roles and mailer from a config module", async () => {
    const acme = await company();
    const outbox = join(cli.directory, 'outbox.jsonl');
    cli.write(
      'tenantry.config.mjs',
      `import { appendFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { defineRoles, definePermissions, UserManagement } from './index.js';
import { sqliteStorage } from './sqlite.js';

const database = new Database(${JSON.stringify(file())});
const permissions = definePermissions({ 'tickets.view': { label: 'View tickets' } });
const roles = defineRoles(permissions, { agent: { label: 'Agent', permissions: ['tickets.view'] } });
const mailer = { send: async (mail) => appendFileSync(${JSON.stringify(outbox)}, JSON.stringify(mail) + '\\n') };

export default async () => new UserManagement({ storage: sqliteStorage({ database }), mailer, permissions, roles });
export function close() {
  database.close();
}
`,
    );
    const input = cli.write(
      'agents.csv',
      csv('email,first_name,last_name,roles', `ida@${acme.domain},Ida,Iverson,agent`),
    );
    // Without the application's roles the row is refused...
    const bare = await cli.run(['import', input, '--org', acme.id, '--database-url', file()]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toMatch(/^2 +ida@\S+ +ROLE_UNAVAILABLE /m);
    // ...with them it goes in, and the new user is invited through the application's mailer.
    const configured = await cli.run([
      'import',
      'agents.csv',
      '--org',
      acme.id,
      '--config',
      'tenantry.config.mjs',
      '--invite',
    ]);
    expect(configured.stderr).toBe('Importing agents.csv: 1/1 rows (100%)\n');
    expect(configured.code).toBe(0);
    expect(summaryValue(configured.stdout, 'Created')).toBe('1');
    expect(await acme.users()).toEqual([
      [`ann@${acme.domain}`, []],
      [`ida@${acme.domain}`, ['agent']],
    ]);
    const mails = readFileSync(outbox, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(mails.map((mail) => [mail.kind, mail.to])).toEqual([['invitation', `ida@${acme.domain}`]]);
  });

  it('refuses a config module that does not give a UserManagement', async () => {
    cli.write('empty.config.mjs', 'export default { name: "not an installation" };\n');
    const { code, stderr } = await cli.run(['import', 'agents.csv', '--org', 'org_x', '--config', 'empty.config.mjs']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/must export as default a UserManagement, or a function that returns one/);
  });

  it('exits with 1 and NOT_FOUND for an organization that does not exist', async () => {
    const input = cli.write('nobody.csv', csv('email,first_name,last_name', 'nobody@nowhere.example,No,Body'));
    const { code, stdout, stderr } = await cli.run([
      'import',
      input,
      '--org',
      'org_doesnotexist',
      '--database-url',
      file(),
    ]);
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toMatch(/^NOT_FOUND: No organization with the id org_doesnotexist\n$/);
  });

  it('exits with 1 for a file that is missing, or not a file an import can read', async () => {
    const acme = await company();
    const missing = await cli.run(['import', 'missing.csv', '--org', acme.id, '--database-url', file()]);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'tenantry: cannot read missing.csv: no such file\n' });

    const header = cli.write('header.csv', csv('mail,first_name,last_name', 'x@y.example,X,Y'));
    const refused = await cli.run(['import', header, '--org', acme.id, '--database-url', file()]);
    expect([refused.code, refused.stdout]).toEqual([1, '']);
    expect(refused.stderr).toMatch(
      /^VALIDATION_FAILED: The header does not fit the template: unknown column\(s\) "mail"/,
    );
    expect(refused.stderr).toMatch(/^ {2}csv: Expected columns from: email,first_name,/m);
    expect(await acme.users()).toEqual([[`ann@${acme.domain}`, []]]);
  });

  it('exits with 1 when the SQLite file does not exist, without creating it', async () => {
    const input = cli.write('some.csv', csv('email,first_name,last_name', 'x@y.example,X,Y'));
    const { code, stderr } = await cli.run(['import', input, '--org', 'org_x', '--database-url', 'absent.db']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/no SQLite database at absent\.db \(run 'tenantry migrate' to create one\)/);
    expect(existsSync(join(cli.directory, 'absent.db'))).toBe(false);
  });

  const script = ['/usr/bin/script', '/bin/script'].find((path) => existsSync(path));
  it.skipIf(process.platform !== 'linux' || script === undefined)(
    'draws a progress bar when stderr is a terminal (skipped without util-linux `script`)',
    async () => {
      const acme = await company();
      const rows = Array.from({ length: 600 }, (_, index) => `user${index}@${acme.domain},User,Number${index}`);
      const input = cli.write('many.csv', csv('email,first_name,last_name', ...rows));
      const command = [process.execPath, join(cli.directory, 'tenantry.js'), 'import', input, '--org', acme.id];
      const quoted = [...command, '--database-url', file()].map((arg) => `'${arg}'`).join(' ');
      // `script` runs the command on a pseudo-terminal, so the bin sees a TTY.
      const { code, stdout } = await collect(script as string, ['-qec', quoted, '/dev/null'], cli.directory);
      expect(code).toBe(0);
      expect(stdout).toContain('\rImporting many.csv: reading the file…');
      expect(stdout).toMatch(/\rImporting many\.csv: \[#+-+\] 500\/600 rows 83%/);
      expect(stdout).toMatch(/\rImporting many\.csv: \[#+\] 600\/600 rows 100%/);
      expect(stdout).toContain('600/600 rows 100%\u001b[K\r\n');
      expect(summaryValue(stdout.replaceAll('\r', ''), 'Created')).toBe('600');
    },
  );
});

describeWithServer('tenantry import into PostgreSQL', (url) => {
  const { pool, schema } = suiteSchema(url, 'cli');

  it('imports into the schema it is given', async () => {
    expect((await cli.run(['migrate', '--database-url', url, '--schema', schema])).code).toBe(0);
    const acme = await company(installation(postgresStorage({ client: pool, schema })));
    const input = cli.write('pg.csv', csv('email,first_name,last_name', `jo@${acme.domain},Jo,Jones`, 'bad,Bad,Row'));
    const { code, stdout } = await cli.run([
      'import',
      input,
      '--org',
      acme.id,
      '--database-url',
      url,
      '--schema',
      schema,
    ]);
    expect(code).toBe(2);
    expect([summaryValue(stdout, 'Created'), summaryValue(stdout, 'Failed')]).toEqual(['1', '1']);
    expect(await acme.users()).toEqual([
      [`ann@${acme.domain}`, []],
      [`jo@${acme.domain}`, []],
    ]);
  });
});
