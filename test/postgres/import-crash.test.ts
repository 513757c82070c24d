import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { memoryMailer, testClock } from '../../adapters/memory/index.js';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { UserManagement } from '../../src/index.js';
import { describeWithServer, dropSchemas, freshSchema } from '../support/postgres-server.js';
import { person } from '../support/tenantry.js';

const ROWS = 6_000;
const KILL_AFTER = 2_500;
const workerScript = fileURLToPath(new URL('./import-crash-worker.ts', import.meta.url));

describeWithServer('an import killed with SIGKILL on the real server', (url) => {
  const schema = freshSchema('crash');
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  afterAll(async () => {
    await dropSchemas(pool, [schema]);
    await pool.end();
  });

  it('leaves an interrupted report with the committed counts, and exactly one invitation per committed user', async () => {
    const storage = postgresStorage({ client: pool, schema });
    await storage.migrate();
    const mailer = memoryMailer();
    const clock = testClock(new Date());
    const um = new UserManagement({
      storage,
      mailer,
      clock,
      passwordChecker: null,
      links: { baseUrl: 'https://portal.example.test' },
    });
    const { organization, firstUser } = await um.as({ type: 'operator' }).organizations.create({
      name: 'Crash Test Ltd',
      firstUser: { ...person('Ann', 'Admin'), invite: false },
    });
    const worker = spawn(process.execPath, ['--import', 'tsx', workerScript], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        CRASH_SCHEMA: schema,
        CRASH_ORGANIZATION: organization.id,
        CRASH_ADMIN: firstUser.id,
        CRASH_ROWS: String(ROWS),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => worker.once('exit', (_, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      worker.stdout.on('data', (chunk: Buffer) => {
        const processed = Math.max(
          ...[...chunk.toString().matchAll(/processed (\d+)/g)].map((match) => Number(match[1])),
        );
        if (processed >= KILL_AFTER) {
          worker.kill('SIGKILL');
          resolve();
        }
      });
      worker.once('exit', () => reject(new Error('the import ended before it was killed')));
    });
    expect(await exited).toBe('SIGKILL');

    const admin = um.as({ type: 'user', userId: firstUser.id });
    const committed = Number(
      (
        await pool.query(
          `SELECT count(*)::int AS n FROM "${schema}".tenantry_users WHERE organization_id = $1 AND email_key LIKE 'crash.%'`,
          [organization.id],
        )
      ).rows[0].n,
    );
    expect(committed % 500).toBe(0);
    expect(committed).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(committed).toBeLessThan(ROWS);
    // Nothing updates the report any more: once the policy's time has passed, it reads interrupted.
    clock.advance(6 * 60_000);
    const [report] = await admin.imports.list(organization.id);
    expect(report).toMatchObject({ status: 'interrupted', created: committed, total: ROWS, finishedAt: null });

    // The outbox hands on every committed user's invitation, once.
    for (let pass = 0; pass < 50; pass++) {
      if ((await um.outbox.deliverPending({ limit: 500 })).remaining === 0) break;
    }
    const invited = mailer.outbox.filter((mail) => mail.kind === 'invitation').map((mail) => mail.to);
    expect(invited).toHaveLength(committed);
    expect(new Set(invited).size).toBe(committed);
    const token = new URL(mailer.outbox[0]?.link as string).searchParams.get('token') as string;
    expect((await um.auth.acceptInvitation({ token, password: 'a long passphrase nobody guesses' })).user.status).toBe(
      'active',
    );
  }, 120_000);
});
