/**
 * `npm run bench [-- --quick]`: every speed claim of the README, measured in
 * one run, each suite in a fresh process with its peers beside it. Prints a table per suite and
 * the targets met or missed, and writes bench/results.json. `--quick` (CI's
 * smoke run) measures briefly and with 10,000 users instead of 100,000, and
 * writes bench/results-quick.json (git-ignored), leaving the full run's file alone.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { duration, type Measurement } from './harness.js';
import { suiteNames } from './suite.js';

const quick = process.argv.includes('--quick');
const databaseUrl = process.env.DATABASE_URL;
const started = Date.now();

/** Runs a bench script in a fresh Node process and returns the JSON of its last line of output. */
function inProcess(script: string, args: string[], nodeFlags: string[] = []): unknown {
  const output = execFileSync(
    process.execPath,
    [...nodeFlags, '--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(output.trim().split('\n').at(-1) as string);
}

const rows: Measurement[] = [];
for (const suite of suiteNames) {
  process.stderr.write(`running ${suite}…\n`);
  rows.push(...(inProcess('./suite.ts', quick ? [suite, '--quick'] : [suite]) as Measurement[]));
}
const footprint = inProcess('./footprint.ts', [String(quick ? 10_000 : 100_000)], ['--expose-gc']) as {
  users: number;
  bytesPerUser: number;
  bytesPerUserWithAudit: number;
};

const find = (suite: string, name: string) => rows.find((row) => row.suite === suite && row.name === name);
const decision = (name: string) => find('permission decision', name) as Measurement;
const tenantry = decision('tenantry checkUserChange');

interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean;
}
const targets: Target[] = [
  {
    what: 'permission decision, median',
    target: '≤ 200 ns',
    measured: duration(tenantry.median),
    met: tenantry.median <= 200,
  },
  {
    what: 'permission decision vs @casl/ability and casbin',
    target: 'faster than both',
    measured: `casl ${(decision('@casl/ability can()').median / tenantry.median).toFixed(1)}×, casbin ${(
      decision('casbin enforceSync (RBAC with domains)').median / tenantry.median
    ).toFixed(0)}× slower`,
    met:
      tenantry.median < decision('@casl/ability can()').median &&
      tenantry.median < decision('casbin enforceSync (RBAC with domains)').median,
  },
];
const memorySession = find('validateSession', 'memory') as Measurement;
targets.push({
  what: 'validateSession on memory, median',
  target: '≤ 5 µs',
  measured: duration(memorySession.median),
  met: memorySession.median <= 5_000,
});
// One statement on every PostgreSQL client (a test counts them); on a server that costs about one round trip.
const serverValidate = find('validateSession', 'PostgreSQL server (pg Pool)');
const serverSelect = find('validateSession', 'PostgreSQL server: bare SELECT 1');
if (serverValidate && serverSelect) {
  const times = serverValidate.median / serverSelect.median;
  targets.push({
    what: 'validateSession on a PostgreSQL server: one round trip',
    target: 'one statement',
    measured: `${serverValidate.statements} statement(s), ${times.toFixed(2)}× a bare SELECT 1`,
    met: serverValidate.statements === 1,
  });
}
// What signIn adds to the hash is measured on its own (a no-op hasher), as timing the difference drowns in the hash's noise.
const everythingElse = find('signIn vs its hash', 'signIn with a no-op hasher (all but the hash)') as Measurement;
for (const row of rows.filter((candidate) => candidate.name.endsWith(': signIn'))) {
  const hasher = row.name.replace(': signIn', '');
  const verify = find(row.suite, `${hasher}: bare verify`) as Measurement;
  const overhead = (everythingElse.median / verify.median) * 100;
  targets.push({
    what: `signIn overhead over the hash, ${hasher}`,
    target: '≤ 5 %',
    measured: `${overhead.toFixed(2)} %`,
    met: overhead <= 5,
  });
}

// Sign-in under load: throughput of the default hasher, a user's wait during a flood, the strength check's bound.
const perCore = find('sign-in under load', 'argon2id (default): sign-ins per second per core');
if (perCore) {
  targets.push({
    what: 'sign-ins per second per core, default hasher (argon2id)',
    target: '≥ 40',
    measured: perCore.opsPerSecond.toFixed(1),
    met: perCore.opsPerSecond >= 40,
  });
}
const flooded = find('sign-in under load', 'a user’s sign-in while one client floods (limits on)');
if (flooded?.p99 !== undefined) {
  targets.push({
    what: 'a legitimate sign-in while one client floods, p99 (rate limits on)',
    target: '≤ 1 s',
    measured: duration(flooded.p99),
    met: flooded.p99 <= 1e9,
  });
}
const strength = find('sign-in under load', 'password strength check, 4,096 characters');
if (strength) {
  targets.push({
    what: 'password strength check of a 4,096-character input, median',
    target: '≤ 50 ms',
    measured: duration(strength.median),
    met: strength.median <= 50e6,
  });
}

// Invitations handed on through the outbox with a 40 ms mail server, many at once.
const courier = rows.find(
  (row) =>
    row.suite.startsWith('invitations through the outbox') &&
    row.name.startsWith('memory') &&
    row.name.endsWith('16 at a time'),
);
if (courier) {
  targets.push({
    what: 'invitations handed on per second through the outbox, 40 ms mail server',
    target: '≥ 200/s (25/s one after another)',
    measured: `${Math.round(courier.opsPerSecond)}/s`,
    met: courier.opsPerSecond >= 200,
  });
}

// A directory page at scale: the slowest of the listed cases per adapter, against its target.
for (const [adapter, limitMs] of [
  ['memory', 20],
  ['PostgreSQL server', 50],
] as const) {
  const cases = rows.filter((row) => row.suite.startsWith('users.list at') && row.name.startsWith(`${adapter}:`));
  if (cases.length === 0) continue;
  const slowest = cases.reduce((worst, row) => (row.median > worst.median ? row : worst));
  targets.push({
    what: `${slowest.suite}, ${adapter}: slowest page (${slowest.name.slice(adapter.length + 2)})`,
    target: `≤ ${limitMs} ms`,
    measured: duration(slowest.median),
    met: slowest.median <= limitMs * 1e6,
  });
}

// Importing in batches against adding one user at a time, per database.
for (const adapter of ['PGlite', 'PostgreSQL server']) {
  const cases = rows.filter((row) => row.suite === 'import vs users.add' && row.name.startsWith(`${adapter}:`));
  const [single, batched] = cases;
  if (!single || !batched) continue;
  const times = batched.opsPerSecond / single.opsPerSecond;
  targets.push({
    what: `import on ${adapter} vs users.add one by one`,
    target: '≥ 10× the rows per second',
    measured: `${times.toFixed(1)}× (${Math.round(batched.opsPerSecond).toLocaleString('en-US')} rows/s)`,
    met: times >= 10,
  });
}

for (const suite of [...new Set(rows.map((row) => row.suite))]) {
  console.log(`\n${suite}`);
  console.table(
    rows
      .filter((row) => row.suite === suite)
      .map((row) => ({
        case: row.name,
        median: duration(row.median),
        p95: duration(row.p95),
        p99: row.p99 === undefined ? '' : duration(row.p99),
        'ops/s': Math.round(row.opsPerSecond).toLocaleString('en-US'),
        note: row.note ?? '',
      })),
  );
}
console.log(`\nmemory adapter at ${footprint.users.toLocaleString('en-US')} users`);
console.table([
  { case: 'stored user (record and indexes)', bytes: Math.round(footprint.bytesPerUser) },
  { case: 'user added through users.add (with its audit event)', bytes: Math.round(footprint.bytesPerUserWithAudit) },
]);
console.log('\ntargets');
console.table(targets.map(({ what, target, measured, met }) => ({ what, target, measured, met: met ? 'yes' : 'NO' })));

const machine = {
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  platform: `${os.platform()} ${os.arch()}`,
};
const results = {
  date: new Date().toISOString(),
  quick,
  machine,
  realServer: databaseUrl !== undefined,
  seconds: Math.round((Date.now() - started) / 1000),
  rows,
  footprint,
  targets,
};
const output = quick ? 'results-quick.json' : 'results.json';
writeFileSync(new URL(`./${output}`, import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${machine.node} on ${machine.cpu} (${machine.cores} cores); written to bench/${output}`);
