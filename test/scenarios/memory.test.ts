import { memoryStorage } from '../../adapters/memory/index.js';
import { describeClientPortal } from './client-portal.js';
import { describeConcurrency } from './concurrency.js';
import { describeDirectoryAndAudit } from './directory-and-audit.js';
import { describeInvitations } from './invitations.js';
import { describePartnerPortal } from './partner-portal.js';
import { describeSignInAndSessions } from './sign-in-and-sessions.js';
import { describeSubOrganizations } from './sub-organizations.js';
import { describeUserLifecycle } from './user-lifecycle.js';

describeConcurrency('memory', memoryStorage);
describePartnerPortal('memory', memoryStorage);
describeClientPortal('memory', memoryStorage);
describeSubOrganizations('memory', memoryStorage);
describeUserLifecycle('memory', memoryStorage);
describeDirectoryAndAudit('memory', memoryStorage);
describeInvitations('memory', memoryStorage);
describeSignInAndSessions('memory', memoryStorage);
