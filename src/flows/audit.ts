import { TenantryError } from '../errors.js';
import type { AuditQuery } from '../ports/storage.js';
import { parseInput } from '../schemas/parse.js';
import { listAuditSchema } from '../schemas/roles-audit.js';
import type { AuditEvent } from '../types.js';
import type { Unit } from './unit.js';

/** `audit.list`: an organization's audit trail, newest first, for those who administer it. */
export async function listAudit(
  unit: Unit,
  input: unknown,
): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
  const { cursor, limit, ...filters } = parseInput(listAuditSchema, input);
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
  return { items: page, nextCursor };
}

function parsePosition(position: unknown): { at: number; id: string } {
  const candidate = position as { at?: unknown; id?: unknown } | null;
  if (candidate && typeof candidate.at === 'number' && typeof candidate.id === 'string') {
    return { at: candidate.at, id: candidate.id };
  }
  throw new TenantryError('VALIDATION_FAILED', 'Invalid or expired cursor');
}
