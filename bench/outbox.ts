/**
 * Invitations handed on through the outbox to a mail server that takes 40 ms
 * a message (an SMTP round trip): an import's batches queue them with their
 * rows, and the courier sends many at once instead of one after another.
 */
import type { Mailer, Storage } from '../dist/index.js';
import { memoryStorage } from '../dist/memory.js';
import { withPglite } from './databases.js';
import { signedIn } from './fixtures.js';
import type { Budget, Measurement } from './harness.js';

const ROUND_TRIP_MS = 40;

/** A mail server that answers each message after one round trip. */
function slowMailer(): Mailer & { sent: number } {
  const mailer = {
    sent: 0,
    async send() {
      await new Promise((resolve) => setTimeout(resolve, ROUND_TRIP_MS));
      mailer.sent++;
    },
  };
  return mailer;
}

async function handedOn(name: string, storage: Storage, rows: number, concurrency: number): Promise<Measurement> {
  const mailer = slowMailer();
  const { um, admin, organization } = await signedIn(storage, undefined, { outbox: { concurrency } }, mailer);
  const lines = Array.from({ length: rows }, (_, index) => `invitee${index}@bench.example,Bench,Invitee ${index}`);
  const started = process.hrtime.bigint();
  const report = await um.as({ type: 'user', userId: admin.id }).imports.run({
    organizationId: organization.id,
    csv: `email,first_name,last_name\n${lines.join('\n')}\n`,
    invite: true,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const invitations = mailer.sent - 1; // the import-finished mail
  if (report.created !== rows || invitations !== rows)
    throw new Error(`expected ${rows} invitations, got ${invitations}`);
  const perMail = (seconds * 1e9) / invitations;
  return {
    suite: 'invitations through the outbox (40 ms mail server)',
    name: `${name}: ${rows.toLocaleString('en-US')} invitations, ${concurrency} at a time`,
    median: perMail,
    p95: perMail,
    opsPerSecond: invitations / seconds,
    samples: 1,
    rounds: [perMail],
    note: `the import answered in ${seconds.toFixed(1)} s, every invitation sent`,
  };
}

export async function outboxBenchmarks(budget: Budget): Promise<Measurement[]> {
  const rows = budget.quick ? 400 : 2_000;
  return [
    await handedOn('memory', memoryStorage(), rows, 16),
    await handedOn('memory', memoryStorage(), budget.quick ? 50 : 200, 1),
    await withPglite((storage) => handedOn('PGlite', storage, rows, 16)),
  ];
}
