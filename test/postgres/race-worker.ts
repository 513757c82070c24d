/**
 * One racing process of the cross-process tests: its own pool and its own
 * UserManagement on the shared schema. It runs each call it is sent at the
 * moment the message names, and answers with the outcome.
 */
import pg from 'pg';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { TenantryError } from '../../src/index.js';
import { raceTenantry } from './race-setup.js';

export interface RaceCall {
  id: number;
  /** Epoch ms at which to run, so calls in several processes start together. */
  at: number;
  /** A user id, `operator`, or `auth` for the public flows. */
  actor: string;
  /** `users.setAccess`, `organizations.setFeatures`, `acceptInvitation`… */
  method: string;
  args: unknown[];
}

const { DATABASE_URL, RACE_SCHEMA } = process.env;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
const um = raceTenantry(postgresStorage({ client: pool, schema: RACE_SCHEMA as string }));

async function perform(call: RaceCall): Promise<string> {
  const api =
    call.actor === 'auth'
      ? um.auth
      : um.as(call.actor === 'operator' ? { type: 'operator' } : { type: 'user', userId: call.actor });
  const [group, name] = call.method.includes('.') ? call.method.split('.') : [undefined, call.method];
  const target = (group ? (api as unknown as Record<string, unknown>)[group] : api) as Record<string, unknown>;
  const method = target[name as string] as (...args: unknown[]) => Promise<unknown>;
  try {
    await method.apply(target, call.args);
    return 'ok';
  } catch (error) {
    if (error instanceof TenantryError) return error.code;
    return `crash: ${String(error)}`;
  }
}

process.on('message', (call: RaceCall | 'stop') => {
  if (call === 'stop') {
    void pool.end().then(() => process.exit(0));
    return;
  }
  setTimeout(
    () => void perform(call).then((outcome) => process.send?.({ id: call.id, outcome })),
    Math.max(0, call.at - Date.now()),
  );
});
process.send?.({ id: 0, outcome: 'ready' });
