/** The targets each run is held to, measured against the rows it wrote (a target whose rows are missing is left out). */
import type { Measurement } from './harness.js';
import { duration } from './harness.js';
import { roundTripTargets } from './round-trip-targets.js';

export interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean;
}

/** Every target the rows can be checked against. */
export function targetsOf(rows: readonly Measurement[]): Target[] {
  const find = (suite: string, name: string) => rows.find((row) => row.suite === suite && row.name === name);
  const targets: Target[] = [];
  const decision = (name: string) => find('permission decision', name) as Measurement;
  const tenantry = find('permission decision', 'tenantry checkUserChange');
  if (tenantry) {
    targets.push(
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
    );
  }
  const memorySession = find('validateSession', 'memory');
  if (memorySession) {
    targets.push({
      what: 'validateSession on memory, median',
      target: '≤ 5 µs',
      measured: duration(memorySession.median),
      met: memorySession.median <= 5_000,
    });
  }
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

  // A directory page at scale: the slowest of the listed cases (searches, filters, plain pages) per adapter.
  for (const [adapter, limitMs] of [
    ['memory', 20],
    ['PostgreSQL server', 20],
    ['SQLite (in memory)', 20],
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
  // The same searches in an installation of 1,000,000 users on the server, in its big company and a small one.
  const installation = rows.filter(
    (row) => row.suite.startsWith('users.list in an installation') && row.name.startsWith('PostgreSQL server,'),
  );
  if (installation.length > 0) {
    const slowest = installation.reduce((worst, row) => (row.median > worst.median ? row : worst));
    targets.push({
      what: `${slowest.suite}, slowest page (${slowest.name.slice('PostgreSQL server, '.length)})`,
      target: '≤ 30 ms',
      measured: duration(slowest.median),
      met: slowest.median <= 30e6,
    });
  }

  // canAccess on a user holding 10,000 ids, asked again in a request (its Set built): a hit and a miss.
  const checks = rows.filter((row) => row.suite.startsWith('canAccess,') && row.name.startsWith('canAccess on'));
  if (checks.length > 0) {
    const slowest = checks.reduce((worst, row) => (row.median > worst.median ? row : worst));
    targets.push({
      what: `${checks[0]?.suite}: ${checks.map((row) => row.name.slice(row.name.lastIndexOf(' ') + 1)).join(' and ')}, median`,
      target: '≤ 100 ns',
      measured: checks.map((row) => duration(row.median)).join(' · '),
      met: slowest.median <= 100,
    });
  }

  // Who holds a resource, a first page of 50: the slowest case of each call per adapter, against its target.
  for (const [adapter, limitMs] of [
    ['memory', 20],
    ['PostgreSQL server', 50],
  ] as const) {
    for (const call of ['resources.holders', 'users.list by resource']) {
      const cases = rows.filter(
        (row) => row.suite.startsWith('resource holders at') && row.name.startsWith(`${adapter}: ${call},`),
      );
      if (cases.length === 0) continue;
      const slowest = cases.reduce((worst, row) => (row.median > worst.median ? row : worst));
      targets.push({
        what: `${slowest.suite}, ${adapter}: slowest ${call} (${slowest.name.slice(adapter.length + call.length + 4)})`,
        target: `≤ ${limitMs} ms`,
        measured: duration(slowest.median),
        met: slowest.median <= limitMs * 1e6,
      });
    }
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

  // A TOTP code at sign-in: verifySecondFactor, timed on its own, beyond a session lookup.
  const factors = 'second factors at sign-in (memory, no-op hasher)';
  const lookup = find(factors, 'validateSession (the session lookup)');
  const verify = find(factors, 'verifySecondFactor with a TOTP code (to its session)');
  if (lookup && verify) {
    const beyond = verify.median - lookup.median;
    targets.push({
      what: 'verifySecondFactor with a TOTP code on memory, beyond a session lookup',
      target: '≤ 50 µs',
      measured: `${duration(beyond)} (verifySecondFactor ${duration(verify.median)} − validateSession ${duration(lookup.median)})`,
      met: beyond <= 50_000,
    });
  }

  // completeSso on memory beyond what is not tenantry's: SAML's response validation (node-saml), OIDC's token
  // request at the provider; the slower of a returning and a new user.
  for (const part of ['its response’s validation', 'the provider’s round trip']) {
    const cases = rows.filter((row) => row.suite === 'completeSso (memory)' && row.name.endsWith(`, beyond ${part}`));
    if (cases.length === 0) continue;
    const slowest = cases.reduce((worst, row) => (row.median > worst.median ? row : worst));
    const protocol = slowest.name.slice(0, slowest.name.indexOf(' '));
    targets.push({
      what: `${protocol} completeSso on memory beyond ${part}, the slower of a returning and a new user, median`,
      target: '≤ 5 ms',
      measured: cases
        .map((row) => `${duration(row.median)} (${row.name.includes('new user') ? 'new' : 'returning'})`)
        .join(' · '),
      met: slowest.median <= 5e6,
    });
  }
  // Purge throughput on the real server: the whole run, batches and their transactions included.
  const purged = rows.find((row) => row.suite === 'retention: maintenance.purge' && row.name.startsWith('PostgreSQL'));
  if (purged) {
    targets.push({
      what: `maintenance.purge on the PostgreSQL server, ${purged.name.slice('PostgreSQL server: '.length)}`,
      target: '≥ 10,000 rows/s',
      measured: `${Math.round(purged.opsPerSecond).toLocaleString('en-US')} rows/s`,
      met: purged.opsPerSecond >= 10_000,
    });
  }
  targets.push(...roundTripTargets(rows));
  return targets;
}
