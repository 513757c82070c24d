/**
 * The pages the directory suites time: searches that are cheap or dear for each
 * plan (a rare term, a common one whose matches start late in the order, a term
 * every user matches, none, an address's start, a term too short for trigrams),
 * the filters with a search, and plain pages.
 */
import type { ListUsersInput, UserManagement } from '../dist/index.js';
import { type Budget, type Measurement, time } from './harness.js';

/** A page's query but its organization and size. */
type Page = Omit<ListUsersInput, 'organizationId' | 'limit'>;

/** The resource one user in ten holds (`index % 10 === 3`; see `seedDirectory`). */
export const heldResource = { type: 'instance', id: 'inst-target' } as const;

/**
 * The search pages, each labelled. `domain` is the mail domain of the
 * organization's users (every one of them matches it). By name ascending
 * unless said: `hopper` (one user in nine) from about the 22,000th of 100,000 by
 * name, `torvalds` from about the 78,000th; the common term also by email
 * (descending) and creation (newest first), where its matches lie spread out.
 */
export function searchPages(domain: string): [string, Page][] {
  const byName = { sort: 'name', order: 'asc' } as const;
  return [
    ['search "hopper12" (rare), by name', { ...byName, search: 'hopper12' }],
    ['search "hopper" (one in nine), by name', { ...byName, search: 'hopper' }],
    ['search "torvalds" (one in nine, last by name), by name', { ...byName, search: 'torvalds' }],
    ['search "hopper", by email descending', { search: 'hopper', sort: 'email', order: 'desc' }],
    ['search "hopper", newest first', { search: 'hopper' }],
    [`search "${domain}" (everyone), by name`, { ...byName, search: domain }],
    ['search "zebra" (matches nobody), by name', { ...byName, search: 'zebra' }],
    ['search "grace.hopper1" (an address’s start), by name', { ...byName, search: 'grace.hopper1' }],
    ['search "ha" (two letters: no trigram), by name', { ...byName, search: 'ha' }],
    ['search "hopper", pending only, by name', { ...byName, search: 'hopper', status: 'pending' }],
    [
      'search "hopper", holders of tickets.edit, by name',
      { ...byName, search: 'hopper', permissions: ['tickets.edit'] },
    ],
    ['search "hopper", role advanced (nobody), by name', { ...byName, search: 'hopper', roles: ['advanced'] }],
    [
      `search "hopper", access to ${heldResource.id} (one in ten), by name`,
      { ...byName, search: 'hopper', resource: heldResource },
    ],
  ];
}

/** The pages without a search: accents folded, a first and a second page, a filter alone. */
export function plainPages(second: string): [string, Page][] {
  return [
    ['search "edith" (accents ignored)', { search: 'edith' }],
    ['first page by name', { sort: 'name' }],
    ['second page by name (cursor)', { sort: 'name', cursor: second }],
    ['holders of tickets.edit, newest first', { permissions: ['tickets.edit'], order: 'desc' }],
  ];
}

/** Times each page of 50 in `organizationId`, as `${name}: ${label}` in `suite`. */
export async function timePages(
  um: UserManagement,
  organizationId: string,
  pages: readonly [string, Page][],
  at: { suite: string; name: string; budget: Budget; slow: boolean },
): Promise<Measurement[]> {
  const operator = um.as({ type: 'operator' });
  const rows: Measurement[] = [];
  for (const [label, page] of pages) {
    const list = () => operator.users.list({ ...page, organizationId, limit: 50 });
    rows.push(await time(at.suite, `${at.name}: ${label}`, list, at.budget, { slow: at.slow }));
  }
  return rows;
}
