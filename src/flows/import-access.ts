import type { ImportedAccess } from '../import/catalog-cells.js';
import { checkResourceAccessChange } from '../rules/resource-access.js';
import type { Organization, ResourceAccess, User } from '../types.js';
import { recordResourceChange } from './resource-target.js';
import { enforce, type Unit } from './unit.js';

/** A row's access by type, as its `access.<type>` columns say it. */
export type ImportedAccessByType = ReadonlyMap<string, ImportedAccess>;

/** The access as stored and compared: `'all'`, ids, or nothing for none. */
function storedForm(access: ImportedAccess): ResourceAccess[string] | undefined {
  if (access === 'none') return undefined;
  if (access === 'all') return 'all';
  return access.length > 0 ? access : undefined;
}

/** The types whose access the row changes from `stored`, with the access after. */
export function accessChanges(stored: ResourceAccess, access: ImportedAccessByType): [string, ImportedAccess][] {
  return [...access].filter(
    ([type, after]) => JSON.stringify(stored[type] ?? null) !== JSON.stringify(storedForm(after) ?? null),
  );
}

/**
 * Checks that an importer may make these changes of a user's access, by the
 * rule of `users.setResourceAccess`: the importer administers the
 * organization, so what remains is a type the organization cannot have
 * (`RESOURCE_UNAVAILABLE`) and their own access (`SELF_MODIFICATION`).
 */
export function checkImportedAccess(
  unit: Unit,
  organization: Organization,
  userId: string,
  changes: readonly [string, ImportedAccess][],
): void {
  for (const [type] of changes) {
    enforce(
      checkResourceAccessChange({
        actor: unit.facts,
        access: 'administer',
        targetUserId: userId,
        catalog: unit.context.resources,
        typeKey: type,
        organization,
      }),
    );
  }
}

/** Writes checked changes of a user's access, each recorded as `user.resources.changed`. */
export async function writeImportedAccess(
  unit: Unit,
  target: { user: User; organization: Organization; stored: ResourceAccess },
  changes: readonly [string, ImportedAccess][],
): Promise<void> {
  for (const [type, access] of changes) {
    const owner = { organizationId: target.organization.id, userId: target.user.id, type };
    await unit.tx.resources.replace(owner, storedForm(access) ?? 'none');
    recordResourceChange(unit, target, type, storedForm(access));
  }
}
