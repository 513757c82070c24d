import { z } from 'zod';
import { CUSTOMERS_MANAGE, ORG_ADMIN } from '../../built-in-permissions.js';
import type { Unit } from '../../flows/unit.js';
import { actsAsPlatform } from '../../rules/actor.js';
import { idSchema } from '../../schemas/common.js';
import { listOrganizationsSchema } from '../../schemas/organizations.js';
import type { Organization } from '../../types.js';
import { defineOperation } from '../operation.js';

/** `organizations.get`: members see their own organization; administrators the ones they administer. */
export const getOrganization = defineOperation({
  name: 'organizations.get',
  input: z.tuple([idSchema]),
  run: (unit, [id]) => unit.organizationFor(id, 'member'),
});

/** The organizations the actor may see: all for the operator; else the home one, what it administers, and the customers it manages. */
async function visibleOrganizations(unit: Unit): Promise<Organization[]> {
  const repository = unit.tx.organizations;
  if (actsAsPlatform(unit.facts)) return repository.list({});
  const home = await repository.get(unit.facts.organizationId);
  const roots = home ? [home] : [];
  if (unit.facts.permissions.has(CUSTOMERS_MANAGE)) {
    roots.push(...(await repository.list({ partnerId: unit.facts.organizationId })));
  }
  const visible: Organization[] = [];
  const seen = new Set<string>();
  const queue = [...roots];
  for (let next = queue.shift(); next; next = queue.shift()) {
    if (seen.has(next.id)) continue;
    seen.add(next.id);
    visible.push(next);
    // A member who is no admin sees their own organization, not its sub-organizations.
    if (next.id === home?.id && !unit.facts.permissions.has(ORG_ADMIN)) continue;
    queue.push(...(await repository.list({ parentId: next.id })));
  }
  return visible;
}

/** `organizations.list`: the organizations the actor may see, filtered by parent or partner. */
export const listOrganizations = defineOperation({
  name: 'organizations.list',
  input: z.tuple([listOrganizationsSchema]),
  async run(unit, [filter]) {
    return (await visibleOrganizations(unit)).filter(
      (organization) =>
        (filter.parentId === undefined || organization.parentId === filter.parentId) &&
        (filter.partnerId === undefined || organization.partnerId === filter.partnerId),
    );
  },
});
