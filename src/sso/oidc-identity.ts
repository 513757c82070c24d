import type * as client from 'openid-client';

/** What a completed sign-in proves about the user. */
export interface OidcIdentity {
  /** The provider's stable id of the user (`sub`). */
  subject: string;
  email: string | null;
  /** True only where the provider says it verified the address. */
  emailVerified: boolean;
  givenName: string | null;
  familyName: string | null;
  /** The ID token's `amr` (how the provider authenticated the user), empty when absent. */
  amr: string[];
  /** Every claim of the ID token, for role mapping by claim name. */
  claims: Readonly<Record<string, unknown>>;
}

function stringClaim(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The identity an ID token's claims describe. */
export function identityOf(claims: client.IDToken): OidcIdentity {
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((method) => typeof method === 'string') : [];
  return {
    subject: claims.sub,
    email: stringClaim(claims.email),
    // Some providers send the flag as the string "true".
    emailVerified: claims.email_verified === true || claims.email_verified === 'true',
    givenName: stringClaim(claims.given_name),
    familyName: stringClaim(claims.family_name),
    amr,
    claims: Object.freeze(structuredClone({ ...claims })),
  };
}
