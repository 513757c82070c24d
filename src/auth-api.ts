import type { JWK } from 'jose';
import { type AccessTokenClaims, type AccessTokenOptions, accessTokens } from './access-tokens.js';
import { isTenantryError, TenantryError } from './errors.js';
import {
  acceptablePassword,
  completeInvitation,
  inspectInvitation,
  parseAcceptance,
  redeemableToken,
} from './flows/accept-invitation.js';
import { allowancesFor, consumeAllowances, requireAllowances, spendAllowances } from './flows/allowances.js';
import type { FlowContext } from './flows/context.js';
import {
  changeOwnPassword,
  completePasswordChange,
  completePasswordReset,
  passwordChangeChallenge,
  requestPasswordReset,
} from './flows/passwords.js';
import {
  liveSession,
  liveSessionByDigest,
  signOut,
  validateSession,
  validateSessionQuickly,
} from './flows/session-validation.js';
import { type SessionView, sessionView, startSession } from './flows/sessions.js';
import { acceptSignIn, accountKey, findCandidate, invalidCredentials, recordFailure } from './flows/sign-in.js';
import { act } from './flows/unit.js';
import { deliverLater } from './mail/delivery.js';
import { normalizePassword } from './rules/password-policy.js';
import { mayHoldSession } from './rules/user-conditions.js';
import {
  changePasswordSchema,
  clientSchema,
  passwordChangeSchema,
  resetRequestSchema,
  resetSchema,
  signInSchema,
} from './schemas/auth.js';
import { parseInput } from './schemas/parse.js';
import { newSecretToken } from './secrets/one-time-token.js';
import type { UserView } from './types.js';

export type { SessionView };

/** What signing in or activating returns: the bearer token for the client, the session and the user. */
export interface SignedIn {
  token: string;
  session: SessionView;
  user: UserView;
}

/** What the invitation page shows before the user chooses a password. */
export interface InvitationPreview {
  email: string;
  firstName: string;
  lastName: string;
  organizationName: string;
  expiresAt: Date;
  /** Whether accepting needs `acceptTerms: true` (the policy's `requireTermsAcceptance`). */
  termsRequired: boolean;
}

/** What `auth.validateSession` answers: the session, the user as they are now, the actor to act as, and the effective permissions. */
export interface ValidatedSession {
  session: SessionView;
  user: UserView;
  actor: { type: 'user'; userId: string };
  permissions: string[];
}

/** What `auth.signIn` answers: a session, or a challenge to change the password first. */
export type SignInResult =
  | ({ kind: 'session' } & SignedIn)
  | { kind: 'password-change-required'; challengeToken: string; user: UserView };

/** `um.auth`: the public flows, no actor needed. */
export interface AuthApi {
  /**
   * Signs in with email and password. Unknown addresses and wrong passwords get the same
   * `INVALID_CREDENTIALS` after the same work; only the right password learns `ACCOUNT_PENDING`,
   * `ACCOUNT_DISABLED` or `ACCOUNT_EXPIRED`.
   */
  signIn(input: { email: string; password: string; ip?: string; userAgent?: string }): Promise<SignInResult>;
  /** Sets a new password after a sign-in that required it; returns a session. */
  completePasswordChange(input: { challengeToken: string; newPassword: string; ip?: string }): Promise<SignedIn>;
  /**
   * Mails a reset link to an existing, resettable account; answers the same
   * for every address, and as fast (the mail is sent after the answer). `ip`
   * draws on the client's allowance of requests (`RATE_LIMITED` past it).
   */
  requestPasswordReset(input: { email: string; ip?: string }): Promise<void>;
  /** Sets a new password from a reset link; every session ends and a lockout clears. */
  resetPassword(input: { token: string; newPassword: string; ip?: string }): Promise<void>;
  /** Changes the signed-in user's password; needs the current one; other sessions end. */
  changePassword(input: { sessionToken: string; currentPassword: string; newPassword: string }): Promise<void>;
  /** The live session behind a bearer token, or `SESSION_INVALID`. */
  validateSession(token: string): Promise<ValidatedSession>;
  /** Ends the session; an unknown or ended one is already signed out. */
  signOut(token: string): Promise<void>;
  /** A short-lived JWT for the user behind a live session (needs `accessTokens` configured). */
  issueAccessToken(sessionToken: string): Promise<string>;
  /** Verifies an access token; `strict` also requires its session to still live. */
  verifyAccessToken(jwt: string, options?: { strict?: boolean }): Promise<AccessTokenClaims>;
  /** The verification key as a JWKS. */
  getJwks(): Promise<{ keys: JWK[] }>;
  /**
   * What the invitation page shows. `client.ip` draws on the client's
   * allowance of invalid links (`RATE_LIMITED` past it).
   */
  inspectInvitation(token: string, client?: { ip?: string }): Promise<InvitationPreview>;
  /** Sets the password, activates the account and signs in; `ip` draws on the client's allowance of invalid links. */
  acceptInvitation(input: {
    token: string;
    password: string;
    acceptTerms?: boolean | undefined;
    ip?: string;
  }): Promise<SignedIn>;
}

const system = { type: 'system' } as const;

/** Builds `um.auth` over the flow context. */
export function authApi(context: FlowContext, accessTokenOptions?: AccessTokenOptions): AuthApi {
  const run = <T>(work: Parameters<typeof act<T>>[2]) => act(context, system, work).then(({ result }) => result);
  let dummyHash: Promise<string> | undefined;
  const verifyDummy = (password: string) => {
    dummyHash ??= context.passwordHasher.hash(newSecretToken());
    return dummyHash.then((hash) => context.passwordHasher.verify(hash, password));
  };
  /** Runs the redemption of a link; invalid links spend the client's allowance, and a spent one refuses at once. */
  const redeemingLink = async <T>(ip: string | undefined, work: () => Promise<T>): Promise<T> => {
    const now = context.clock.now();
    const allowances = allowancesFor(context, 'links', { client: { ip, rate: 'invalidLinksPerClient' } });
    await requireAllowances(context, allowances, now);
    try {
      return await work();
    } catch (error) {
      if (isTenantryError(error, 'TOKEN_INVALID')) await spendAllowances(context, allowances, now);
      throw error;
    }
  };
  return {
    ...accessTokens(context, accessTokenOptions),
    async signIn(input) {
      const data = parseInput(signInSchema, input);
      const password = normalizePassword(data.password);
      const started = context.clock.now();
      const allowances = allowancesFor(context, 'sign-in', {
        client: { ip: data.ip, rate: 'signInFailuresPerClient' },
        account: { key: accountKey(data.email), rate: 'signInFailuresPerAccount' },
      });
      // Spent allowances refuse before any hashing: a flood costs no CPU.
      await requireAllowances(context, allowances, started);
      const candidate = await run((unit) => findCandidate(unit, data.email));
      const { user, passwordHash } = candidate;
      const verified =
        candidate.refused || passwordHash === null
          ? await verifyDummy(password).then(() => false)
          : await context.passwordHasher.verify(passwordHash, password);
      if (!verified || !user || passwordHash === null) {
        await spendAllowances(context, allowances, started);
        const mail = await run((unit) => recordFailure(unit, user?.id ?? null));
        if (mail) deliverLater(context, mail);
        throw invalidCredentials();
      }
      const newHash = context.passwordHasher.needsRehash(passwordHash)
        ? await context.passwordHasher.hash(password)
        : null;
      const outcome = await run(async (unit) => {
        const current = await acceptSignIn(unit, user.id, newHash);
        const organization = await unit.organizationFor(current.organizationId, 'member');
        const view = await unit.view(current, organization);
        if (current.mustChangePassword) {
          return {
            kind: 'challenge' as const,
            challengeToken: await passwordChangeChallenge(unit, current),
            user: view,
          };
        }
        const started = await startSession(unit, current, { ip: data.ip, userAgent: data.userAgent });
        return { kind: 'session' as const, ...started, user: view };
      });
      if (outcome.kind === 'challenge') {
        return { kind: 'password-change-required', challengeToken: outcome.challengeToken, user: outcome.user };
      }
      return { kind: 'session', token: outcome.token, session: sessionView(outcome.session), user: outcome.user };
    },
    async completePasswordChange(input) {
      const data = parseInput(passwordChangeSchema, input);
      const user = await redeemingLink(data.ip, () =>
        run(async (unit) => (await redeemableToken(unit, data.challengeToken, 'password-change')).user),
      );
      const password = await acceptablePassword(context, data.newPassword, user);
      const passwordHash = await context.passwordHasher.hash(password);
      const done = await run((unit) => completePasswordChange(unit, data.challengeToken, passwordHash));
      return { token: done.token, session: sessionView(done.session), user: done.user };
    },
    async requestPasswordReset(input) {
      const { email, ip } = parseInput(resetRequestSchema, input);
      const client = allowancesFor(context, 'password-reset', { client: { ip, rate: 'resetRequestsPerClient' } });
      await consumeAllowances(context, client, context.clock.now());
      const mail = await run((unit) => requestPasswordReset(unit, email));
      // Not awaited: an answer that waited for the mail would take longer for addresses that have an account.
      if (mail) deliverLater(context, mail);
    },
    async resetPassword(input) {
      const data = parseInput(resetSchema, input);
      const user = await redeemingLink(data.ip, () =>
        run(async (unit) => (await redeemableToken(unit, data.token, 'password-reset')).user),
      );
      const password = await acceptablePassword(context, data.newPassword, user);
      const passwordHash = await context.passwordHasher.hash(password);
      await run((unit) => completePasswordReset(unit, data.token, passwordHash));
    },
    async changePassword(input) {
      const data = parseInput(changePasswordSchema, input);
      const { session, user } = await run(async (unit) => {
        const live = await liveSession(unit, data.sessionToken);
        const owner = await unit.tx.users.get(live.userId);
        const credential = await unit.tx.credentials.get(live.userId);
        // A session made before the account expired (or was disabled) changes nothing any more.
        if (!owner || !credential || !mayHoldSession(owner, unit.now)) {
          throw new TenantryError('SESSION_INVALID', 'Sign in again');
        }
        return { session: live, user: owner, hash: credential.passwordHash };
      }).then(async (found) => {
        if (!(await context.passwordHasher.verify(found.hash, normalizePassword(data.currentPassword))))
          throw invalidCredentials();
        return found;
      });
      const password = await acceptablePassword(context, data.newPassword, user);
      const passwordHash = await context.passwordHasher.hash(password);
      await run(async (unit) => {
        const current = await unit.tx.users.get(user.id, { forUpdate: true });
        if (!current || !mayHoldSession(current, unit.now)) throw new TenantryError('SESSION_INVALID', 'Sign in again');
        await liveSessionByDigest(unit, session.digest);
        await changeOwnPassword(unit, current, session.digest, passwordHash);
      });
    },
    validateSession: async (token) =>
      (await validateSessionQuickly(context, token)) ?? run((unit) => validateSession(unit, token)),
    signOut: (token) => run((unit) => signOut(unit, token)),
    inspectInvitation: (token, client) =>
      redeemingLink(parseInput(clientSchema, client)?.ip, () => run((unit) => inspectInvitation(unit, token))),
    async acceptInvitation(input) {
      const data = parseAcceptance(input);
      // Check the link first (cheap, read-only), so a bad link costs no password hashing.
      const user = await redeemingLink(data.ip, () =>
        run(async (unit) => (await redeemableToken(unit, data.token, 'invitation')).user),
      );
      const password = await acceptablePassword(context, data.password, user);
      const passwordHash = await context.passwordHasher.hash(password);
      const { token, session, user: view } = await run((unit) => completeInvitation(unit, data, passwordHash));
      return { token, session: sessionView(session), user: view };
    },
  };
}
