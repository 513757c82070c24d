import { emailKey } from '../email.js';
import { emailTakenError, TenantryError } from '../errors.js';
import { type ImportedAccess, importedCatalogCells } from '../import/catalog-cells.js';
import type { ImportHeaderColumn } from '../import/columns.js';
import type { ImportRow } from '../import/read-csv.js';
import { importedUser, reportedEmail } from '../import/row-fields.js';
import { checkProfileEdit } from '../rules/profile-edit.js';
import { checkNotSelf } from '../rules/self-modification.js';
import { checkNewExpiry } from '../rules/user-conditions.js';
import type { ImportException, ImportReport, Organization, User } from '../types.js';
import { recordTakenAddresses } from './address-probes.js';
import { guardAdmins } from './admin-guard.js';
import { checkGrantChange, checkNewUserGrants } from './grants.js';
import { accessChanges, checkImportedAccess, writeImportedAccess } from './import-access.js';
import { inviteNewUsers } from './invitations.js';
import { profileEdits, withFieldValues } from './profile-fields.js';
import { enforce, type MailReceipt, type Unit } from './unit.js';
import { newUser } from './user-records.js';
import { insertUsers, saveUser } from './user-writes.js';

/** What one batch of an import asks for. */
export interface BatchOptions {
  importId: string;
  organization: Organization;
  mode: ImportReport['mode'];
  dryRun: boolean;
  invite: boolean;
  /** The file's columns: a field or access column the file has sets that field or access; one it lacks leaves it. */
  columns: readonly ImportHeaderColumn[];
}

/** What one batch did: counts to add to the report, its exceptions, the invitations it queued. */
export interface BatchOutcome {
  created: number;
  updated: number;
  skipped: number;
  exceptions: ImportException[];
  mails: MailReceipt[];
}

/**
 * Checks and writes one batch of rows in the current transaction, row by row
 * by the rules of `users.add` (and of `users.update` and `users.setAccess` for
 * existing users in `update` mode). A row that breaks a rule becomes an
 * exception; the other rows go in. New users are written with one `insertMany`.
 * Profile fields are set as at creation or by the policy of `users.update`,
 * resource access by the rule of `users.setResourceAccess`.
 */
export async function importBatch(
  unit: Unit,
  rows: readonly ImportRow[],
  options: BatchOptions,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { created: 0, updated: 0, skipped: 0, exceptions: [], mails: [] };
  const targets = new Map<string, Promise<Organization>>();
  const targetOf = (id: string | null) => {
    const key = id ?? options.organization.id;
    let target = targets.get(key);
    if (!target) {
      target = withinImported(unit, key, options.organization);
      targets.set(key, target);
    }
    return target;
  };
  const read = rows.flatMap((row) => {
    try {
      return [{ row, user: importedUser(row), cells: importedCatalogCells(row, options.columns, unit.context.fields) }];
    } catch (error) {
      outcome.exceptions.push(exceptionOf(row, error));
      return [];
    }
  });
  const existing = new Map(
    (await unit.tx.users.getByEmails(read.map(({ user }) => user.email))).map((user) => [emailKey(user.email), user]),
  );
  const stored = options.columns.some((column) => column.startsWith('access.'))
    ? await unit.tx.resources.forUsers([...existing.values()].map((user) => user.id))
    : new Map();
  const created: { user: User; organization: Organization; access: [string, ImportedAccess][] }[] = [];
  let taken = 0;
  for (const { row, user: fields, cells } of read) {
    try {
      const organization = await targetOf(fields.organization);
      const found = existing.get(emailKey(fields.email));
      if (!found) {
        await checkNewUserGrants(unit, organization, fields);
        enforce(checkNewExpiry(fields.expiresAt, unit.now, 'expires_at'));
        const user = newUser(unit.now, organization.id, { ...fields, fields: withFieldValues({}, cells.fields) });
        const access = accessChanges({}, cells.access);
        checkImportedAccess(unit, organization, user.id, access);
        created.push({ user, organization, access });
      } else if (found.organizationId !== organization.id || found.erasedAt !== null) {
        taken++;
        throw emailTakenError(fields.email);
      } else if (options.mode === 'skip') {
        outcome.skipped++;
      } else {
        const updated: User = {
          ...found,
          ...profileOf(fields),
          roles: fields.roles,
          permissions: fields.permissions,
          fields: withFieldValues(found.fields, cells.fields),
        };
        enforce(checkNotSelf(unit.facts, found.id, 'access'));
        enforce(checkProfileEdit(false, profileEdits(unit.context.policy, unit.context.fields, found, updated)));
        const before = stored.get(found.id) ?? {};
        const access = accessChanges(before, cells.access);
        checkImportedAccess(unit, organization, found.id, access);
        await checkGrantChange(unit, organization, found, updated);
        await guardAdmins(unit, organization, { user: updated });
        if (!options.dryRun) {
          await saveUser(unit, found, updated, organization, { importId: options.importId });
          await writeImportedAccess(unit, { user: updated, organization, stored: before }, access);
        }
        outcome.updated++;
      }
    } catch (error) {
      outcome.exceptions.push(exceptionOf(row, error));
    }
  }
  outcome.created = created.length;
  const { importId, dryRun } = options;
  recordTakenAddresses(unit, options.organization.id, taken, { call: 'imports.run', importId, dryRun });
  if (options.dryRun || created.length === 0) return outcome;
  await insertUsers(unit, created, { importId: options.importId });
  for (const { user, organization, access } of created) {
    await writeImportedAccess(unit, { user, organization, stored: {} }, access);
  }
  if (options.invite) {
    const invited = created.filter(({ user }) => user.canSignIn && user.emailNotifications);
    outcome.mails.push(...(await inviteNewUsers(unit, invited)));
  }
  return outcome;
}

/** The organization a row names: the one imported into, or a sub-organization of it the actor administers. */
async function withinImported(unit: Unit, id: string, imported: Organization): Promise<Organization> {
  const chain = await unit.chain(id).catch(() => []);
  const [target] = chain;
  if (!target || !chain.some((organization) => organization.id === imported.id)) {
    throw new TenantryError(
      'NOT_FOUND',
      `organization: "${id}" is not ${imported.name} or one of its sub-organizations`,
    );
  }
  if (unit.access(chain) !== 'administer')
    throw new TenantryError('FORBIDDEN', `organization: not yours to administer`);
  return target;
}

function profileOf(fields: ReturnType<typeof importedUser>) {
  return {
    firstName: fields.firstName,
    lastName: fields.lastName,
    phone: fields.phone,
    preferences: fields.preferences,
  };
}

/** The longest part of a row's address cell that a report keeps: a valid address is never longer. */
const REPORTED_CELL_LENGTH = 320;

/** A row's address cell as a report shows it, cut to the length of a valid address (a cell can hold megabytes). */
export function reportedCell(row: ImportRow): string {
  const cell = row.values.email ?? '';
  return reportedEmail({ ...row, values: { ...row.values, email: cell.slice(0, REPORTED_CELL_LENGTH) } });
}

function exceptionOf(row: ImportRow, error: unknown): ImportException {
  if (!(error instanceof TenantryError)) throw error;
  return { row: row.row, email: reportedCell(row), code: error.code, message: error.message };
}
