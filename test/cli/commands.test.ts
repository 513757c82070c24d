import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { sqliteStorage } from '../../adapters/sqlite/index.js';
import { importTemplate } from '../../src/index.js';
import { describeWithServer, dropSchemas, freshSchema } from '../support/postgres-server.js';
import { type BuiltCli, buildCli, root } from './cli.js';

let cli: BuiltCli;
beforeAll(async () => {
  cli = await buildCli();
}, 120_000);
afterAll(() => cli?.remove());

describe('tenantry: help, version and template', () => {
  it('lists the commands, and the options of each', async () => {
    const help = await cli.run(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    for (const command of ['migrate', 'template', 'import'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));

    const importHelp = await cli.run(['import', '--help']);
    expect(importHelp.code).toBe(0);
    for (const option of ['--org', '--mode', '--dry-run', '--invite', '--database-url', '--schema', '--config']) {
      expect(importHelp.stdout).toContain(option);
    }
    expect((await cli.run(['help', 'migrate'])).stdout).toBe((await cli.run(['migrate', '-h'])).stdout);
  });

  it('prints the version of the package', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(await cli.run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('prints the header line of an import file', async () => {
    expect(await cli.run(['template'])).toEqual({ code: 0, stdout: `${importTemplate()}\n`, stderr: '' });
  });
});

describe('tenantry: usage errors exit with 64 and point at --help', () => {
  const cases: [string, string[], RegExp, string][] = [
    ['no command', [], /missing command/, 'tenantry --help'],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/, 'tenantry --help'],
    ['an unknown option', ['migrate', '--database-url', 'x.db', '--bogus'], /unknown option --bogus/, 'migrate'],
    ['a missing option', ['migrate'], /missing option --database-url/, 'migrate'],
    ['an option without its value', ['import', 'users.csv', '--org'], /option --org needs a value/, 'import'],
    ['a missing file argument', ['import', '--org', 'org_x', '--config', 'c.mjs'], /missing FILE/, 'import'],
    [
      'a mode it does not know',
      ['import', 'u.csv', '--org', 'o', '--config', 'c.mjs', '--mode', 'merge'],
      /skip, update/,
      'import',
    ],
    ['an argument too many', ['template', 'extra'], /unexpected argument 'extra'/, 'template'],
    ['no database at all', ['import', 'u.csv', '--org', 'o'], /either --database-url or --config/, 'import'],
    [
      'a database URL it cannot read',
      ['migrate', '--database-url', 'mysql://root:hunter2@db/x'],
      /cannot tell the database/,
      'migrate',
    ],
    ['a schema for SQLite', ['migrate', '--database-url', 'x.db', '--schema', 's'], /PostgreSQL only/, 'migrate'],
    [
      'invitations without a mailer',
      ['import', 'u.csv', '--org', 'o', '--database-url', 'x.db', '--invite'],
      /--invite needs --config: .*no mailer is configured/,
      'import',
    ],
  ];
  for (const [name, args, message, help] of cases) {
    it(`refuses ${name}`, async () => {
      const { code, stdout, stderr } = await cli.run(args);
      expect(code).toBe(64);
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
      expect(stderr).not.toContain('hunter2');
      const hint = help.startsWith('tenantry') ? help : `tenantry ${help} --help`;
      expect(stderr.trimEnd().split('\n').at(-1)).toBe(`Run '${hint}' for usage.`);
    });
  }
});

describe('tenantry migrate on SQLite', () => {
  it('applies the migrations to a new file, then finds it up to date', async () => {
    const file = join(cli.directory, 'migrate.db');
    const first = await cli.run(['migrate', '--database-url', `sqlite:${file}`]);
    expect(first).toEqual({
      code: 0,
      stdout: `${file}: applied migrations 1, 2, 3, 4, 5, 6, 7, 8, 9, 10\n`,
      stderr: '',
    });
    const second = await cli.run(['migrate', '--database-url', 'migrate.db']);
    expect(second).toEqual({ code: 0, stdout: 'migrate.db: already up to date\n', stderr: '' });
    const database = new Database(file);
    try {
      expect(await sqliteStorage({ database }).migrate()).toEqual([]);
    } finally {
      database.close();
    }
  });

  it('says which package to install when a driver is missing', async () => {
    // A resolve hook that hides the optional drivers, as if they were not installed.
    cli.write(
      'hide-drivers.mjs',
      `export async function resolve(specifier, context, next) {
  if (specifier === 'pg' || specifier === 'better-sqlite3') {
    const error = new Error(\`Cannot find package '\${specifier}' imported from \${context.parentURL}\`);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}
`,
    );
    const register = cli.write(
      'register-hooks.mjs',
      "import { register } from 'node:module';\nregister('./hide-drivers.mjs', import.meta.url);\n",
    );
    const nodeOptions = ['--import', pathToFileURL(register).href];
    const sqlite = await cli.run(['migrate', '--database-url', 'hidden.db'], { nodeOptions });
    expect(sqlite).toMatchObject({ code: 1, stdout: '' });
    expect(sqlite.stderr).toMatch(
      /SQLite needs the 'better-sqlite3' package, which is not installed: npm install better-sqlite3/,
    );
    const postgres = await cli.run(['migrate', '--database-url', 'postgres://nobody@127.0.0.1/none'], { nodeOptions });
    expect(postgres).toMatchObject({ code: 1, stdout: '' });
    expect(postgres.stderr).toMatch(/npm install pg\n$/);
  });

  it('reports a database error in one line, with the stack only when --verbose', async () => {
    // Port 1 on loopback refuses the connection at once.
    const url = 'postgres://someone:secret@127.0.0.1:1/nothing';
    const quiet = await cli.run(['migrate', '--database-url', url]);
    expect(quiet).toMatchObject({ code: 1, stdout: '' });
    expect(quiet.stderr).toMatch(/^tenantry: database error: .*ECONNREFUSED/);
    expect(quiet.stderr).not.toMatch(/^\s+at /m);
    expect(quiet.stderr).not.toContain('secret');
    const verbose = await cli.run(['migrate', '--database-url', url, '--verbose']);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/^\s+at /m);
  });
});

describeWithServer('tenantry migrate on a PostgreSQL server', (url) => {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const schemas: string[] = [];
  afterAll(async () => {
    await dropSchemas(pool, schemas);
    await pool.end();
  });

  it('applies the migrations in the schema it is given, then finds it up to date', async () => {
    const schema = freshSchema('cli');
    schemas.push(schema);
    const first = await cli.run(['migrate', '--database-url', url, '--schema', schema]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(`\\(schema ${schema}\\): applied migrations 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\\n$`),
    );
    const second = await cli.run(['migrate', '--database-url', url, '--schema', schema]);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toMatch(/: already up to date\n$/);
    expect(await postgresStorage({ client: pool, schema }).migrate()).toEqual([]);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1', [schema]);
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it('refuses a schema name that is not a plain identifier as a usage error', async () => {
    const { code, stderr } = await cli.run(['migrate', '--database-url', url, '--schema', 'Not-A-Name']);
    expect(code).toBe(64);
    expect(stderr).toMatch(/Invalid schema name/);
  });
});
