import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
import { TenantryError } from '../errors.js';
import type { StoredFactor, WebAuthnCeremony } from '../ports/factor-storage.js';
import { randomBytes } from '../random.js';
import { tokenDigest } from '../secrets/one-time-token.js';
import type { Unit } from './unit.js';

/** A WebAuthn response as browsers serialize it (`PublicKeyCredential.toJSON()`), before it is verified. */
export interface WebAuthnResponse {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; [field: string]: unknown };
  [field: string]: unknown;
}

/** The refusal of a passkey that does not verify, whatever the reason. */
export function passkeyRefused(): TenantryError {
  return new TenantryError('INVALID_CREDENTIALS', 'The passkey could not be verified');
}

/** Bytes of a WebAuthn challenge: 256 bits (ASVS asks 64 at least). */
const CHALLENGE_BYTES = 32;

/**
 * A fresh challenge for one ceremony (256 random bits), the digest of its
 * base64url stored (single-use, short-lived): the authenticator signs it,
 * and the response's client data names it back.
 */
export async function issueWebAuthnChallenge(
  unit: Unit,
  ceremony: WebAuthnCeremony,
  userId: string | null,
): Promise<Uint8Array_> {
  const bytes = randomBytes(CHALLENGE_BYTES).slice();
  // Client data names the challenge in base64url: that text is what is stored (its digest) and later expected.
  const challenge = encodeBase64urlNoPadding(bytes);
  await unit.tx.webauthnChallenges.insert({
    digest: tokenDigest(challenge),
    ceremony,
    userId,
    createdAt: unit.now,
    expiresAt: new Date(unit.now.getTime() + unit.context.policy.mfa.webauthn.challengeTtlMs),
    consumedAt: null,
  });
  return bytes;
}

/** Bytes on their own buffer, as the WebAuthn library takes them. */
type Uint8Array_ = ReturnType<Uint8Array['slice']>;

/** The challenge a response's client data names (unverified: the library checks the signature over it). */
function challengeOf(response: WebAuthnResponse): string | null {
  try {
    const clientData = JSON.parse(
      new TextDecoder().decode(decodeBase64urlIgnorePadding(response.response.clientDataJSON)),
    );
    return typeof clientData.challenge === 'string' && clientData.challenge.length <= 200 ? clientData.challenge : null;
  } catch {
    return null;
  }
}

/**
 * Redeems the challenge a response answers: issued by this installation for
 * this ceremony (and this user, when it was issued for one), open, consumed
 * now in one atomic step. Anything else is `INVALID_CREDENTIALS`.
 */
export async function redeemWebAuthnChallenge(
  unit: Unit,
  response: WebAuthnResponse,
  ceremony: WebAuthnCeremony,
): Promise<{ challenge: string; userId: string | null }> {
  const challenge = challengeOf(response);
  const stored = challenge === null ? null : await unit.tx.webauthnChallenges.get(tokenDigest(challenge));
  if (!challenge || !stored || stored.ceremony !== ceremony) throw passkeyRefused();
  if (!(await unit.tx.webauthnChallenges.consume(stored.digest, unit.now))) throw passkeyRefused();
  return { challenge, userId: stored.userId };
}

/** Where passkeys are used: the relying party and the origins its pages are served from. */
export function relyingParty(unit: Unit): { rpID: string; rpName: string; origins: string[] } {
  const { rpId, rpName, origins } = unit.context.policy.mfa.webauthn;
  return { rpID: rpId, rpName, origins };
}

/**
 * A stored passkey as the WebAuthn library verifies it: its signature
 * checked, its counter not (given as 0), since `factors.useCounter` then
 * checks and moves the counter in one atomic step, so that of two answers
 * racing with one counter value only one wins, and a counter that went back
 * can be recorded rather than thrown.
 */
export function credentialOf(factor: StoredFactor) {
  return {
    id: factor.credentialId ?? '',
    publicKey: decodeBase64urlIgnorePadding(factor.publicKey ?? '').slice(),
    counter: 0,
    transports: factor.transports as ('ble' | 'cable' | 'hybrid' | 'internal' | 'nfc' | 'smart-card' | 'usb')[],
  };
}

/** The user's passkeys as a ceremony lists them (to exclude at registration, to allow at sign-in). */
export function descriptorsOf(factors: readonly StoredFactor[]) {
  return factors
    .filter((factor) => factor.type === 'passkey' && factor.credentialId !== null)
    .map((factor) => ({ id: factor.credentialId as string, transports: credentialOf(factor).transports }));
}
