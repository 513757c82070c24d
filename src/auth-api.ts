import {
  acceptablePassword,
  completeInvitation,
  inspectInvitation,
  parseAcceptance,
  redeemableToken,
} from './flows/accept-invitation.js';
import type { FlowContext } from './flows/context.js';
import { act } from './flows/unit.js';
import type { Session } from './ports/identity-storage.js';
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

/** `um.auth`: the public flows, no actor needed. */
export interface AuthApi {
  inspectInvitation(token: string): Promise<InvitationPreview>;
  acceptInvitation(input: { token: string; password: string; acceptTerms?: boolean }): Promise<SignedIn>;
}

const system = { type: 'system' } as const;

/** Builds `um.auth` over the flow context. */
export function authApi(context: FlowContext): AuthApi {
  const run = <T>(work: Parameters<typeof act<T>>[2]) => act(context, system, work).then(({ result }) => result);
  return {
    inspectInvitation: (token) => run((unit) => inspectInvitation(unit, token)),
    async acceptInvitation(input) {
      const data = parseAcceptance(input);
      // Check the link first (cheap, read-only), so a bad link costs no password hashing.
      const user = await run(async (unit) => (await redeemableToken(unit, data.token, 'invitation')).user);
      const password = await acceptablePassword(context, data.password, user);
      const passwordHash = await context.passwordHasher.hash(password);
      const { token, session, user: view } = await run((unit) => completeInvitation(unit, data, passwordHash));
      const { digest: _digest, ...sessionView } = session;
      return { token, session: sessionView, user: view };
    },
  };
}
