/**
 * The process the crash test kills: it imports a file with invitations into
 * the shared schema, through a mail server that never answers (so every
 * invitation stays in the outbox), and prints each batch's progress. The
 * test kills it with SIGKILL midway.
 */
import pg from 'pg';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { UserManagement } from '../../src/index.js';

const { DATABASE_URL, CRASH_SCHEMA, CRASH_ORGANIZATION, CRASH_ADMIN, CRASH_ROWS } = process.env;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
const um = new UserManagement({
  storage: postgresStorage({ client: pool, schema: CRASH_SCHEMA as string }),
  mailer: { send: () => new Promise(() => undefined) },
  passwordChecker: null,
  links: { baseUrl: 'https://portal.example.test' },
});
const rows = Array.from({ length: Number(CRASH_ROWS) }, (_, index) => `crash.${index}@example.test,Crash,Row${index}`);
await um.as({ type: 'user', userId: CRASH_ADMIN as string }).imports.run({
  organizationId: CRASH_ORGANIZATION as string,
  csv: `email,first_name,last_name\n${rows.join('\n')}\n`,
  invite: true,
  onProgress: ({ processed }) => console.log(`processed ${processed}`),
});
