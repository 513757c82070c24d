import { PGlite } from '@electric-sql/pglite';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { describeAccessTokens } from '../scenarios/access-tokens.js';
import { describeClientPortal } from '../scenarios/client-portal.js';
import { describeConcurrency } from '../scenarios/concurrency.js';
import { describeDirectoryAndAudit } from '../scenarios/directory-and-audit.js';
import { describeInvitations } from '../scenarios/invitations.js';
import { describeMailLimits } from '../scenarios/mail-limits.js';
import { describePartnerPortal } from '../scenarios/partner-portal.js';
import { describePasswords } from '../scenarios/passwords.js';
import { describeSignInAndSessions } from '../scenarios/sign-in-and-sessions.js';
import { describeSubOrganizations } from '../scenarios/sub-organizations.js';
import { describeUserLifecycle } from '../scenarios/user-lifecycle.js';

const template = new PGlite();
await postgresStorage({ client: template }).migrate();
const pglite = async () => postgresStorage({ client: await template.clone() });

describeConcurrency('pglite', pglite, { overlapping: false });
describePartnerPortal('pglite', pglite);
describeClientPortal('pglite', pglite);
describeSubOrganizations('pglite', pglite);
describeUserLifecycle('pglite', pglite);
describeDirectoryAndAudit('pglite', pglite);
describeInvitations('pglite', pglite);
describeSignInAndSessions('pglite', pglite);
describePasswords('pglite', pglite);
describeMailLimits('pglite', pglite);
describeAccessTokens('pglite', pglite);
