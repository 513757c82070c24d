/**
 * tenantry's rules as pure functions of plain data: no I/O, no clock, no
 * randomness. `UserManagement` loads the data, asks these, and turns a refusal
 * into a `TenantryError`. Use them directly to show or hide UI actions.
 *
 * @example
 * ```ts
 * import { organizationAccess } from 'tenantry/rules';
 * const canAdminister = organizationAccess(actorFacts, [customer, partner]) === 'administer';
 * ```
 *
 * @module
 */

export type { AccessChange } from './access-change.js';
export { checkAccessChange, checkDependencies } from './access-change.js';
export type { Standing } from './account-standing.js';
export {
  mayAct,
  mayBeInvited,
  mayHoldSession,
  mayResetPassword,
  passwordIsChecked,
  signInRefusal,
  standing,
} from './account-standing.js';
export type { ActorFacts } from './actor.js';
export { actsAsPlatform } from './actor.js';
export type { OrganizationAccess } from './administration-scope.js';
export { checkUserChange, organizationAccess, requireAccess, userReadAccess } from './administration-scope.js';
export {
  isPermissionAvailable,
  type PermissionChoice,
  permissionAvailability,
  permissionChoices,
} from './availability.js';
export { checkContactCandidate, successorContactPerson } from './contact-person.js';
export { checkCustomRole } from './custom-roles.js';
export type { Decision, Refusal } from './decision.js';
export { allowed, firstRefusal, refuse } from './decision.js';
export type { DomainRefusalReason, NormalizedDomain, VerificationFailure } from './domains.js';
export { checkClaimableDomain, normalizeDomain, publicMailDomainSet, verificationRecord } from './domains.js';
export type { Grants } from './effective-permissions.js';
export { effectivePermissions, grantedPermissions } from './effective-permissions.js';
export { checkKeepsAdmin, countsAsAdmin } from './last-admin.js';
export type { OrganizationCreation } from './organization-creation.js';
export { checkOrganizationCreation } from './organization-creation.js';
export type { OrganizationRole } from './organization-roles.js';
export { organizationRoles, rolesCarrying } from './organization-roles.js';
export type { PasswordLengthPolicy } from './password-policy.js';
export { checkPasswordLength, normalizePassword } from './password-policy.js';
export type { ProfileValueEdit } from './profile-edit.js';
export { checkProfileEdit } from './profile-edit.js';
export type { RateDecision, RateLimit } from './rate-limit.js';
export { spendAllowance } from './rate-limit.js';
export type { ResourceAccess, ResourceSubject } from './resource-access.js';
export {
  canAccess,
  checkResourceAccessChange,
  checkResourceType,
  effectiveResourceAccess,
  isResourceTypeAvailable,
  managesResources,
} from './resource-access.js';
export type { SignInStep } from './second-factor-policy.js';
export {
  changedSecurityPolicy,
  checkFactorRemoval,
  defaultSecurityPolicy,
  enrollmentDeadline,
  requiresSecondFactor,
  signInStep,
  strictestRequirement,
} from './second-factor-policy.js';
export type { GuardedChange } from './self-modification.js';
export { checkNotSelf } from './self-modification.js';
export type { SsoGrantProblem, SsoGrantScope } from './sso-access.js';
export { ssoGrantable, ssoGrantProblems } from './sso-access.js';
export type { SsoAccountDecision, SsoAccountFacts, SsoAccountRefusal } from './sso-accounts.js';
export { mappedAccess, providerUsedSecondFactor, safeReturnTo, ssoAccountDecision } from './sso-accounts.js';
export type { StatusTransition } from './status-machine.js';
export { nextStatus } from './status-machine.js';
export { checkNewExpiry, isErased, isExpired, isLocked } from './user-conditions.js';
