import { afterAll } from 'vitest';
import { describeAccessTokens } from '../scenarios/access-tokens.js';
import { describeClientPortal } from '../scenarios/client-portal.js';
import { describeConcurrency } from '../scenarios/concurrency.js';
import { describeDirectoryAndAudit } from '../scenarios/directory-and-audit.js';
import { describeImports } from '../scenarios/imports.js';
import { describeInvitations } from '../scenarios/invitations.js';
import { describeInviteByEmail } from '../scenarios/invite-by-email.js';
import { describeMailLimits } from '../scenarios/mail-limits.js';
import { describePartnerPortal } from '../scenarios/partner-portal.js';
import { describePasswords } from '../scenarios/passwords.js';
import { describeSignInAndSessions } from '../scenarios/sign-in-and-sessions.js';
import { describeSubOrganizations } from '../scenarios/sub-organizations.js';
import { describeUserLifecycle } from '../scenarios/user-lifecycle.js';
import { describeWithServer, serverStorages } from '../support/postgres-server.js';

// Every public-API scenario on the real server through a pg Pool, each test in a schema of its own.
describeWithServer('scenarios on the real PostgreSQL server', (url) => {
  const storages = serverStorages(url);
  afterAll(() => storages.close());
  const server = () => storages.make();
  describeConcurrency('postgres', server, { loser: 'either' });
  describePartnerPortal('postgres', server);
  describeClientPortal('postgres', server);
  describeSubOrganizations('postgres', server);
  describeUserLifecycle('postgres', server);
  describeDirectoryAndAudit('postgres', server);
  describeInvitations('postgres', server);
  describeInviteByEmail('postgres', server);
  describeImports('postgres', server);
  describeSignInAndSessions('postgres', server);
  describePasswords('postgres', server);
  describeMailLimits('postgres', server);
  describeAccessTokens('postgres', server);
});
