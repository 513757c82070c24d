/**
 * Runs one benchmark suite in a process of its own, so that no suite measures
 * code the JIT shaped for another: `tsx bench/suite.ts NAME [--quick]`.
 * Prints the measurements as one JSON line.
 */
import { pathToFileURL } from 'node:url';
import { abuseBenchmarks } from './abuse.js';
import { decisionBenchmarks, effectivePermissionBenchmarks } from './decision.js';
import { directoryBenchmarks } from './directory.js';
import type { Budget, Measurement } from './harness.js';
import { importBenchmarks } from './imports.js';
import { outboxBenchmarks } from './outbox.js';
import { resourceBenchmarks } from './resources.js';
import { retentionBenchmarks } from './retention.js';
import { roundTripBenchmarks } from './round-trips.js';
import { secondFactorBenchmarks } from './second-factors.js';
import { sessionBenchmarks } from './sessions.js';
import { signInBenchmarks } from './sign-in.js';
import { ssoBenchmarks } from './sso.js';
import { writeBenchmarks } from './writes.js';

const suites: Record<string, (budget: Budget, databaseUrl: string | undefined) => Promise<Measurement[]>> = {
  decision: decisionBenchmarks,
  effective: effectivePermissionBenchmarks,
  sessions: sessionBenchmarks,
  'sign-in': signInBenchmarks,
  'second-factors': secondFactorBenchmarks,
  sso: ssoBenchmarks,
  abuse: abuseBenchmarks,
  writes: writeBenchmarks,
  directory: directoryBenchmarks,
  resources: resourceBenchmarks,
  imports: importBenchmarks,
  outbox: outboxBenchmarks,
  retention: retentionBenchmarks,
  'round-trips': roundTripBenchmarks,
};

export const suiteNames = Object.keys(suites);

// Run as a script only: bench/run.ts imports the names, and its own arguments are not a suite to run here.
const script = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
const [name] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
if (script && name !== undefined) {
  const suite = suites[name];
  if (!suite) throw new Error(`No suite "${name}"; there are ${suiteNames.join(', ')}`);
  const rows = await suite({ quick: process.argv.includes('--quick') }, process.env.DATABASE_URL);
  console.log(JSON.stringify(rows));
}
