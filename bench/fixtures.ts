import {
  definePermissions,
  defineRoles,
  type Mailer,
  type MailMessage,
  type PasswordHasher,
  type PolicyInput,
  type ResourceCatalog,
  type Storage,
  scryptHasher,
  UserManagement,
} from '../dist/index.js';
import { memoryMailer } from '../dist/memory.js';

export const permissions = definePermissions({
  'tickets.view': { label: 'View tickets' },
  'tickets.edit': { label: 'Edit tickets', requires: ['tickets.view'] },
});
export const roles = defineRoles(permissions, {
  basic: { label: 'Basic', permissions: ['tickets.view'] },
  advanced: { label: 'Advanced', permissions: ['tickets.view', 'tickets.edit'] },
});

export const password = 'a long passphrase for the benchmark';

/** A hasher that does no work: a sign-in with it costs everything but the hash. */
export const noHashing: PasswordHasher = {
  hash: async (secret) => `plain$${secret}`,
  verify: async (hash, secret) => hash === `plain$${secret}`,
  needsRehash: () => false,
};

/** An installation with one company whose admin has signed in: the session token and the admin's address. */
export async function signedIn(
  storage: Storage,
  passwordHasher: PasswordHasher = scryptHasher({ logN: 10, r: 8, p: 1 }),
  policy: PolicyInput = {},
  mailer: Mailer & { outbox?: MailMessage[] } = memoryMailer(),
  resources?: ResourceCatalog,
) {
  const um = new UserManagement({
    storage,
    mailer,
    permissions,
    roles,
    passwordHasher,
    ...(resources ? { resources } : {}),
    links: { baseUrl: 'https://portal.example.test/' },
    // Every sign-in of the benchmark fails or succeeds on purpose; no lockout, no mail limit in the way.
    policy: {
      lockout: { maxAttempts: 100 },
      mailLimits: { perAddress: 1e6, perOrganization: 1e6 },
      // The benchmarks sign in far more often than any person; their own cases turn the limits back on.
      rateLimits: { enabled: false },
      ...policy,
    },
  });
  const { organization, firstUser } = await um.as({ type: 'operator' }).organizations.create({
    name: 'Bench',
    firstUser: { email: 'ann@bench.example', firstName: 'Ann', lastName: 'Admin', invite: false },
  });
  const { link } = await um.as({ type: 'operator' }).invitations.createLink(firstUser.id);
  const token = new URL(link).searchParams.get('token') as string;
  const accepted = await um.auth.acceptInvitation({ token, password });
  if (accepted.kind !== 'session') throw new Error(`the bench's admin must start with a session, not ${accepted.kind}`);
  return { um, mailer, organization, admin: firstUser, token: accepted.token };
}
