/** Importing a CSV file in batches against adding the same users one `users.add` at a time, per adapter. */
import type { Storage } from '../dist/index.js';
import { memoryStorage } from '../dist/memory.js';
import { withPglite, withServer } from './databases.js';
import { signedIn } from './fixtures.js';
import type { Budget, Measurement } from './harness.js';

function csvOf(rows: number, offset: number): string {
  const lines = ['email,first_name,last_name,roles'];
  for (let index = offset; index < offset + rows; index++)
    lines.push(`user${index}@bench.example,Bench,User ${index},basic`);
  return `${lines.join('\n')}\n`;
}

function measured(name: string, rows: number, nanoseconds: number, note?: string): Measurement {
  const perRow = nanoseconds / rows;
  return {
    suite: 'import vs users.add',
    name,
    median: perRow,
    p95: perRow,
    opsPerSecond: 1e9 / perRow,
    samples: 1,
    rounds: [perRow],
    ...(note ? { note } : {}),
  };
}

async function compare(name: string, storage: Storage, rows: number, oneByOne: number): Promise<Measurement[]> {
  const { um, admin, organization } = await signedIn(storage);
  const as = um.as({ type: 'user', userId: admin.id });
  const started = process.hrtime.bigint();
  for (let index = 0; index < oneByOne; index++) {
    await as.users.add({
      organizationId: organization.id,
      email: `single${index}@bench.example`,
      firstName: 'Bench',
      lastName: `Single ${index}`,
      roles: ['basic'],
      invite: false,
    });
  }
  const single = measured(
    `${name}: users.add, one by one (${oneByOne} rows)`,
    oneByOne,
    Number(process.hrtime.bigint() - started),
  );
  const file = csvOf(rows, 0);
  const importStarted = process.hrtime.bigint();
  const report = await as.imports.run({ organizationId: organization.id, csv: file });
  if (report.created !== rows) throw new Error(`Imported ${report.created} of ${rows} rows`);
  const batched = measured(
    `${name}: imports.run, ${rows.toLocaleString('en-US')} rows in batches`,
    rows,
    Number(process.hrtime.bigint() - importStarted),
  );
  batched.note = `${(batched.opsPerSecond / single.opsPerSecond).toFixed(1)}× the rows per second of users.add`;
  return [single, batched];
}

export async function importBenchmarks(budget: Budget, databaseUrl: string | undefined): Promise<Measurement[]> {
  const rows = budget.quick ? 2_000 : 50_000;
  const oneByOne = budget.quick ? 100 : 1_000;
  const results = await compare('memory', memoryStorage(), rows, oneByOne);
  results.push(...(await withPglite((storage) => compare('PGlite', storage, rows, oneByOne))));
  results.push(
    ...((await withServer(databaseUrl, (storage) => compare('PostgreSQL server', storage, rows, oneByOne))) ?? []),
  );
  return results;
}
