import type { MakeStorage } from '../support/tenantry.js';
import { describeAccessTokens } from './access-tokens.js';
import { describeAuditExport } from './audit-export.js';
import { describeClientPortal } from './client-portal.js';
import { describeConcurrency } from './concurrency.js';
import { describeDirectoryAndAudit } from './directory-and-audit.js';
import { describeDomains } from './domains.js';
import { describeHardening } from './hardening.js';
import { describeImportCatalog } from './import-catalog.js';
import { describeImportRuns } from './import-runs.js';
import { describeImports } from './imports.js';
import { describeInvitations } from './invitations.js';
import { describeInviteByEmail } from './invite-by-email.js';
import { describeMailLimits } from './mail-limits.js';
import { describeOutbox } from './outbox.js';
import { describePartnerPortal } from './partner-portal.js';
import { describePasskeys } from './passkeys.js';
import { describePasswords } from './passwords.js';
import { describeProfileFields } from './profile-fields.js';
import { describeResourceAccess } from './resources.js';
import { describeRetention } from './retention.js';
import { describeSecondFactorPolicy } from './second-factor-policy.js';
import { describeSecondFactors } from './second-factors.js';
import { describeSignInAndSessions } from './sign-in-and-sessions.js';
import { describeOidcSignIn } from './sso-oidc.js';
import { describeSamlSignIn } from './sso-saml.js';
import { describeSubOrganizations } from './sub-organizations.js';
import { describeThrottling } from './throttling.js';
import { describeUserLifecycle } from './user-lifecycle.js';

/** Every public-API scenario on one storage; `concurrency` says how that storage's race losers fail. */
export function describeScenarios(
  name: string,
  makeStorage: MakeStorage,
  concurrency?: Parameters<typeof describeConcurrency>[2],
): void {
  describeConcurrency(name, makeStorage, concurrency);
  describePartnerPortal(name, makeStorage);
  describeClientPortal(name, makeStorage);
  describeSubOrganizations(name, makeStorage);
  describeUserLifecycle(name, makeStorage);
  describeDirectoryAndAudit(name, makeStorage);
  describeAuditExport(name, makeStorage);
  describeInvitations(name, makeStorage);
  describeInviteByEmail(name, makeStorage);
  describeImports(name, makeStorage);
  describeSignInAndSessions(name, makeStorage);
  describePasswords(name, makeStorage);
  describeMailLimits(name, makeStorage);
  describeAccessTokens(name, makeStorage);
  describeHardening(name, makeStorage);
  describeThrottling(name, makeStorage);
  describeOutbox(name, makeStorage);
  describeImportRuns(name, makeStorage);
  describeResourceAccess(name, makeStorage);
  describeRetention(name, makeStorage);
  describeProfileFields(name, makeStorage);
  describeImportCatalog(name, makeStorage);
  describeSecondFactors(name, makeStorage);
  describeSecondFactorPolicy(name, makeStorage);
  describePasskeys(name, makeStorage);
  describeOidcSignIn(name, makeStorage);
  describeSamlSignIn(name, makeStorage);
  describeDomains(name, makeStorage);
}
