import Database from 'better-sqlite3';
import { sqliteStorage } from '../../adapters/sqlite/index.js';
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

const sqlite = async () => {
  const storage = sqliteStorage({ database: new Database(':memory:') });
  await storage.migrate();
  return storage;
};

// Like PGlite, one connection runs calls strictly one after the other.
describeConcurrency('sqlite', sqlite);
describePartnerPortal('sqlite', sqlite);
describeClientPortal('sqlite', sqlite);
describeSubOrganizations('sqlite', sqlite);
describeUserLifecycle('sqlite', sqlite);
describeDirectoryAndAudit('sqlite', sqlite);
describeInvitations('sqlite', sqlite);
describeInviteByEmail('sqlite', sqlite);
describeImports('sqlite', sqlite);
describeSignInAndSessions('sqlite', sqlite);
describePasswords('sqlite', sqlite);
describeMailLimits('sqlite', sqlite);
describeAccessTokens('sqlite', sqlite);
