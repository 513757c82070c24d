/** The statement budgets of the hot paths on a PostgreSQL server (rows of the `round-trips` suite). */
import type { Measurement } from './harness.js';
import { roundTripSuite } from './round-trips.js';
import type { Target } from './targets.js';

const budgets: [name: string, what: string, most: number][] = [
  ['signIn (password, no second factor)', 'statements per sign-in (password)', 4],
  ['users.add', 'statements per users.add', 5],
  ['validateSession', 'statements per validateSession', 1],
];

/** Each budgeted call's statements against its budget; a call not measured (no server) is left out. */
export function roundTripTargets(rows: readonly Measurement[]): Target[] {
  return budgets.flatMap(([name, what, most]) => {
    const row = rows.find((candidate) => candidate.suite === roundTripSuite && candidate.name === name);
    if (row?.statements === undefined) return [];
    return [{ what, target: `≤ ${most}`, measured: `${row.statements}`, met: row.statements <= most }];
  });
}
