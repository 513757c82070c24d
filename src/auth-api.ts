import {
  acceptablePassword,
  completeInvitation,
  inspectInvitation,
  parseAcceptance,
  redeemableToken,
} from './flows/accept-invitation.js';
import type { FlowContext } from './flows/context.js';
import { signOut, validateSession } from './flows/session-validation.js';
import { startSession } from './flows/sessions.js';
import { acceptSignIn, findCandidate, invalidCredentials, recordFailure, signInSchema } from './flows/sign-in.js';
import { act } from './flows/unit.js';
import { deliver } from './mail/delivery.js';
import type { Session } from './ports/identity-storage.js';
import { normalizePassword } from './rules/password-policy.js';
import { parseInput } from './schemas/parse.js';
import { newSecretToken } from './secrets/one-time-token.js';
import type { UserView } from './types.js';

/** A session as the API shows it: no token, no digest. */
export type SessionView = Omit<Session, 'digest'>;

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
}

/** What `auth.validateSession` answers: the session, the user as they are now, the actor to act as, and the effective permissions. */
export interface ValidatedSession {
  session: SessionView;
  user: UserView;
  actor: { type: 'user'; userId: string };
  permissions: string[];
}

/** `um.auth`: the public flows, no actor needed. */
export interface AuthApi {
  /**
   * Signs in with email and password. Unknown addresses and wrong passwords get the same
   * `INVALID_CREDENTIALS` after the same work; only the right password learns `ACCOUNT_PENDING`,
   * `ACCOUNT_DISABLED` or `ACCOUNT_EXPIRED`.
   */
  signIn(input: {
    email: string;
    password: string;
    ip?: string;
    userAgent?: string;
  }): Promise<{ kind: 'session' } & SignedIn>;
  /** The live session behind a bearer token, or `SESSION_INVALID`. */
  validateSession(token: string): Promise<ValidatedSession>;
  /** Ends the session; an unknown or ended one is already signed out. */
  signOut(token: string): Promise<void>;
  inspectInvitation(token: string): Promise<InvitationPreview>;
  acceptInvitation(input: { token: string; password: string; acceptTerms?: boolean }): Promise<SignedIn>;
}

const system = { type: 'system' } as const;

function withoutDigest<T extends { digest: string }>({ digest: _digest, ...rest }: T): Omit<T, 'digest'> {
  return rest;
}

/** Builds `um.auth` over the flow context. */
export function authApi(context: FlowContext): AuthApi {
  const run = <T>(work: Parameters<typeof act<T>>[2]) => act(context, system, work).then(({ result }) => result);
  let dummyHash: Promise<string> | undefined;
  const verifyDummy = (password: string) => {
    dummyHash ??= context.passwordHasher.hash(newSecretToken());
    return dummyHash.then((hash) => context.passwordHasher.verify(hash, password));
  };
  return {
    async signIn(input) {
      const data = parseInput(signInSchema, input);
      const password = normalizePassword(data.password);
      const candidate = await run((unit) => findCandidate(unit, data.email));
      const { user, passwordHash } = candidate;
      const verified =
        candidate.refused || passwordHash === null
          ? await verifyDummy(password).then(() => false)
          : await context.passwordHasher.verify(passwordHash, password);
      if (!verified || !user || passwordHash === null) {
        const mail = await run((unit) => recordFailure(unit, user?.id ?? null));
        if (mail) await deliver(context, mail);
        throw invalidCredentials();
      }
      const newHash = context.passwordHasher.needsRehash(passwordHash)
        ? await context.passwordHasher.hash(password)
        : null;
      const signedIn = await run(async (unit) => {
        const current = await acceptSignIn(unit, user.id, newHash);
        const organization = await unit.organizationFor(current.organizationId, 'member');
        const started = await startSession(unit, current, { ip: data.ip, userAgent: data.userAgent });
        return { ...started, user: await unit.view(current, organization) };
      });
      return { kind: 'session', token: signedIn.token, session: withoutDigest(signedIn.session), user: signedIn.user };
    },
    validateSession: (token) => run((unit) => validateSession(unit, token)),
    signOut: (token) => run((unit) => signOut(unit, token)),
    inspectInvitation: (token) => run((unit) => inspectInvitation(unit, token)),
    async acceptInvitation(input) {
      const data = parseAcceptance(input);
      // Check the link first (cheap, read-only), so a bad link costs no password hashing.
      const user = await run(async (unit) => (await redeemableToken(unit, data.token, 'invitation')).user);
      const password = await acceptablePassword(context, data.password, user);
      const passwordHash = await context.passwordHasher.hash(password);
      const { token, session, user: view } = await run((unit) => completeInvitation(unit, data, passwordHash));
      return { token, session: withoutDigest(session), user: view };
    },
  };
}
