import type { AuthenticationMethod, OneTimeToken } from '../ports/identity-storage.js';

/** The challenges of a sign-in waiting for a factor the user has: after a password, or after SSO. */
export const secondFactorChallenges = ['second-factor', 'sso-second-factor'] as const;

/** The challenges of a sign-in waiting for the user to enroll their first factor. */
export const enrollmentChallenges = ['factor-enrollment', 'sso-factor-enrollment'] as const;

/** How the sign-in a challenge waits on began: with a password, or through the company's identity provider. */
export function firstFactorOf(challenge: Pick<OneTimeToken, 'purpose'>): AuthenticationMethod {
  return challenge.purpose.startsWith('sso-') ? 'sso' : 'password';
}
