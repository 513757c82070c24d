import type { PermissionCatalog } from '../catalog.js';
import type { SsoAccess } from '../sso-types.js';
import type { Organization } from '../types.js';
import { isPermissionAvailable } from './availability.js';
import type { OrganizationRole } from './organization-roles.js';

/** Where an SSO grant is judged: the organization, its roles and the installation's catalog. */
export interface SsoGrantScope {
  organization: Organization;
  catalog: PermissionCatalog;
  roles: ReadonlyMap<string, OrganizationRole>;
}

/** An entry of a mapping that no provider may grant, and why. */
export interface SsoGrantProblem {
  kind: 'role' | 'permission';
  key: string;
  reason: 'unknown' | 'operator-only' | 'unavailable';
}

const operatorOnly = (scope: SsoGrantScope, key: string) => scope.catalog.permissions.get(key)?.operatorOnly === true;

/**
 * What of an access a provider may grant here: a permission that exists, is
 * not the operator's alone and is available to the organization; a role
 * assignable here that carries no operator-only permission. Whoever set the
 * connection up, an identity provider never grants what only the operator
 * may (its claims are the company's, not the platform's).
 */
export function ssoGrantProblems(access: SsoAccess, scope: SsoGrantScope): SsoGrantProblem[] {
  const problems: SsoGrantProblem[] = [];
  for (const key of access.permissions) {
    const permission = scope.catalog.permissions.get(key);
    if (!permission) problems.push({ kind: 'permission', key, reason: 'unknown' });
    else if (permission.operatorOnly) problems.push({ kind: 'permission', key, reason: 'operator-only' });
    else if (!isPermissionAvailable(permission, scope.organization))
      problems.push({ kind: 'permission', key, reason: 'unavailable' });
  }
  for (const key of access.roles) {
    const role = scope.roles.get(key);
    if (!role) problems.push({ kind: 'role', key, reason: 'unknown' });
    else if (role.permissions.some((permission) => operatorOnly(scope, permission)))
      problems.push({ kind: 'role', key, reason: 'operator-only' });
    else if (!role.assignable) problems.push({ kind: 'role', key, reason: 'unavailable' });
  }
  return problems;
}

/** The access without what a provider may not grant (see {@link ssoGrantProblems}). */
export function ssoGrantable(access: SsoAccess, scope: SsoGrantScope): SsoAccess {
  const refused = new Set(ssoGrantProblems(access, scope).map((problem) => `${problem.kind}:${problem.key}`));
  return {
    roles: access.roles.filter((key) => !refused.has(`role:${key}`)),
    permissions: access.permissions.filter((key) => !refused.has(`permission:${key}`)),
  };
}
