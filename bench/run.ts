/**
 * `npm run bench [-- --quick] [-- --suite NAME[,NAME]]`: every speed claim of the README, measured in
 * one run, each suite in a fresh process with its peers beside it. Prints a table per suite and
 * the targets met or missed, and writes bench/results.json. `--quick` (CI's
 * smoke run) measures briefly and with 10,000 users instead of 100,000, and
 * writes bench/results-quick.json (git-ignored), leaving the full run's file alone.
 * `--suite` runs only the named suites (of bench/suite.ts) and merges their rows
 * into the file: the rows of the suites it measured are replaced, every other row,
 * and the memory footprint, are kept as the last run left them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { duration, type Measurement } from './harness.js';
import { suiteNames } from './suite.js';
import { targetsOf } from './targets.js';

const quick = process.argv.includes('--quick');
const databaseUrl = process.env.DATABASE_URL;
const started = Date.now();
const output = quick ? 'results-quick.json' : 'results.json';

/** The suites to run: all, or those `--suite a,b` (or `--suite=a,b`, repeatable) names. */
function chosenSuites(): string[] | undefined {
  const args = process.argv.slice(2);
  const named = args.flatMap((arg, index) =>
    arg === '--suite' ? [args[index + 1] ?? ''] : arg.startsWith('--suite=') ? [arg.slice('--suite='.length)] : [],
  );
  if (named.length === 0) return undefined;
  const chosen = named.flatMap((list) => list.split(',')).filter(Boolean);
  const unknown = chosen.filter((name) => !suiteNames.includes(name));
  if (unknown.length > 0 || chosen.length === 0) {
    throw new Error(`No suite "${unknown.join('", "')}"; there are ${suiteNames.join(', ')}`);
  }
  return chosen;
}
const only = chosenSuites();

/** Runs a bench script in a fresh Node process and returns the JSON of its last line of output. */
function inProcess(script: string, args: string[], nodeFlags: string[] = []): unknown {
  const output = execFileSync(
    process.execPath,
    [...nodeFlags, '--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(output.trim().split('\n').at(-1) as string);
}

interface Footprint {
  users: number;
  bytesPerUser: number;
  bytesPerUserWithAudit: number;
}
/** What the last run wrote, to merge a run of some suites into. */
interface Results {
  date: string;
  rows: Measurement[];
  footprint?: Footprint;
  updated?: { date: string; suites: string[]; machine: unknown; realServer: boolean; seconds: number }[];
  [field: string]: unknown;
}
const outputFile = new URL(`./${output}`, import.meta.url);
const previous: Results | undefined =
  only && existsSync(outputFile) ? (JSON.parse(readFileSync(outputFile, 'utf8')) as Results) : undefined;

const measured: Measurement[] = [];
for (const suite of only ?? suiteNames) {
  process.stderr.write(`running ${suite}…\n`);
  // With the collector exposed, mitata collects before each measurement; without it, it allocates 1 GiB instead,
  // which left a heap of 100,000 users collecting through the measurement (a page timed at 16 ms, not 5 ms).
  measured.push(...(inProcess('./suite.ts', quick ? [suite, '--quick'] : [suite], ['--expose-gc']) as Measurement[]));
}
const footprint = only
  ? previous?.footprint
  : (inProcess('./footprint.ts', [String(quick ? 10_000 : 100_000)], ['--expose-gc']) as Footprint);

/** The previous rows with those of each suite measured now in their place (new suites at the end). */
function merged(before: readonly Measurement[], now: readonly Measurement[]): Measurement[] {
  const replaced = new Set(now.map((row) => row.suite));
  const rows: Measurement[] = [];
  const placed = new Set<string>();
  for (const row of before) {
    if (!replaced.has(row.suite)) rows.push(row);
    else if (!placed.has(row.suite)) {
      placed.add(row.suite);
      rows.push(...now.filter((candidate) => candidate.suite === row.suite));
    }
  }
  rows.push(...now.filter((row) => !placed.has(row.suite)));
  return rows;
}
const rows = previous ? merged(previous.rows, measured) : measured;

const targets = targetsOf(rows);

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
if (footprint) {
  console.log(`\nmemory adapter at ${footprint.users.toLocaleString('en-US')} users`);
  console.table([
    { case: 'stored user (record and indexes)', bytes: Math.round(footprint.bytesPerUser) },
    {
      case: 'user added through users.add (with its audit event)',
      bytes: Math.round(footprint.bytesPerUserWithAudit),
    },
  ]);
}
console.log('\ntargets');
console.table(targets.map(({ what, target, measured, met }) => ({ what, target, measured, met: met ? 'yes' : 'NO' })));

const machine = {
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  platform: `${os.platform()} ${os.arch()}`,
};
const seconds = Math.round((Date.now() - started) / 1000);
const realServer = databaseUrl !== undefined;
// A run of some suites keeps the full run's date and duration, and says what it measured again, when, and where.
const results = previous
  ? {
      ...previous,
      rows,
      footprint,
      targets,
      updated: [
        ...(previous.updated ?? []),
        { date: new Date().toISOString(), suites: only ?? [], machine, realServer, seconds },
      ],
    }
  : { date: new Date().toISOString(), quick, machine, realServer, seconds, rows, footprint, targets };
writeFileSync(outputFile, `${JSON.stringify(results, null, 2)}\n`);
const merging = previous ? `, merged into the rows of ${previous.date}` : '';
console.log(`\n${machine.node} on ${machine.cpu} (${machine.cores} cores); written to bench/${output}${merging}`);
