import type { z } from 'zod';
import { TenantryError } from '../errors.js';
import type { AuditQuery } from '../ports/storage.js';
import { type OrganizationAccess, userReadAccess } from '../rules/administration-scope.js';
import { isErased } from '../rules/user-conditions.js';
import type { listAuditSchema } from '../schemas/roles-audit.js';
import type { AuditEvent, AuditPage } from '../types.js';
import type { Unit } from './unit.js';

/** `audit.list`: an organization's audit trail, newest first, for those who administer it. */
export async function listAudit(unit: Unit, input: z.output<typeof listAuditSchema>): Promise<AuditPage> {
  const { cursor, limit, names, ...filters } = input;
  const organization = await unit.organizationFor(filters.organizationId, 'administer');
  const scope = `audit:${JSON.stringify(filters)}`;
  const query: AuditQuery = {
    organizationId: organization.id,
    action: filters.action,
    targetId: filters.targetId,
    after: filters.after,
    before: filters.before,
    cursor: cursor === undefined ? undefined : parsePosition(unit.context.cursors.decode(scope, cursor)),
    limit: limit + 1,
  };
  const events = await unit.tx.audit.list(query);
  const page = events.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    events.length > limit && last ? unit.context.cursors.encode(scope, { at: last.at.getTime(), id: last.id }) : null;
  return names ? { items: page, nextCursor, names: await visibleNames(unit, page) } : { items: page, nextCursor };
}

function parsePosition(position: unknown): { at: number; id: string } {
  const candidate = position as { at?: unknown; id?: unknown } | null;
  if (candidate && typeof candidate.at === 'number' && typeof candidate.id === 'string') {
    return { at: candidate.at, id: candidate.id };
  }
  throw new TenantryError('VALIDATION_FAILED', 'Invalid or expired cursor');
}

/**
 * The names of the users (as actors or targets) and organizations (as
 * targets) that the events mention, as far as the actor may see them: a
 * user the actor may read, an organization the actor belongs to or
 * administers. Erased users have no name. Read now, so a renamed user shows
 * their new name and an erased one none.
 */
async function visibleNames(unit: Unit, events: readonly AuditEvent[]): Promise<Record<string, string>> {
  const userIds = new Set<string>();
  const organizationIds = new Set<string>();
  for (const event of events) {
    if (event.actor.type === 'user') userIds.add(event.actor.userId);
    if (event.targetId === null) continue;
    if (event.action.startsWith('organization.')) organizationIds.add(event.targetId);
    // Other targets are users, or ids no user has (role keys, imports): those find nobody.
    else userIds.add(event.targetId);
  }
  const accesses = new Map<string, Promise<OrganizationAccess>>();
  const accessTo = (organizationId: string): Promise<OrganizationAccess> => {
    let access = accesses.get(organizationId);
    if (!access) {
      // Only organizations that exist get here: a user's own, or one just read.
      access = unit.chain(organizationId).then((chain) => unit.access(chain));
      accesses.set(organizationId, access);
    }
    return access;
  };

  const names: Record<string, string> = {};
  for (const user of await unit.tx.users.getMany([...userIds])) {
    if (isErased(user) || !userReadAccess(unit.facts, user.id, await accessTo(user.organizationId)).ok) continue;
    names[user.id] = `${user.firstName} ${user.lastName}`.trim() || user.email;
  }
  for (const id of organizationIds) {
    const organization = await unit.tx.organizations.get(id);
    if (organization && (await accessTo(id)) !== 'none') names[id] = organization.name;
  }
  return names;
}
