import type { Organization, User } from '../types.js';
import { allowed, type Decision, refuse } from './decision.js';

/** Who may be an organization's contact person: one of its users who is neither disabled nor erased. */
export function checkContactCandidate(
  organization: Pick<Organization, 'id'>,
  user: Pick<User, 'organizationId' | 'status' | 'erasedAt'>,
): Decision {
  if (user.organizationId !== organization.id) {
    return refuse('NOT_FOUND', 'The contact person must be a user of the organization');
  }
  if (user.erasedAt !== null || user.status === 'disabled') {
    return refuse('CONFLICT', 'A disabled or erased user cannot be the contact person', { status: user.status });
  }
  return allowed;
}

/**
 * Invariant 5: when the contact person is disabled or erased, the role passes
 * to the first eligible candidate (the caller orders them: admins first), or is
 * cleared. Returns `undefined` when the leaving user was not the contact person.
 */
export function successorContactPerson(
  organization: Pick<Organization, 'id' | 'contactUserId'>,
  leavingUserId: string,
  candidates: readonly Pick<User, 'id' | 'organizationId' | 'status' | 'erasedAt'>[],
): string | null | undefined {
  if (organization.contactUserId !== leavingUserId) return undefined;
  const successor = candidates.find(
    (candidate) => candidate.id !== leavingUserId && checkContactCandidate(organization, candidate).ok,
  );
  return successor?.id ?? null;
}
