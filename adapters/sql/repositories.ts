import type { StorageTransaction } from '../../src/adapter-kit/index.js';
import { auditAndIdentityRepositories } from './audit-identity-repositories.js';
import type { SqlDialect, SqlExecutor } from './dialect.js';
import { directoryRepositories } from './directory-repositories.js';
import { factorRepository } from './factor-repository.js';
import { importRepository } from './import-repository.js';
import { outboxRepository } from './outbox-repository.js';
import { recoveryCodeRepository } from './recovery-code-repository.js';
import { resourceGrantRepository } from './resource-grant-repository.js';
import { retentionRepository } from './retention-repository.js';
import { ssoRepositories } from './sso-repositories.js';
import { webauthnChallengeRepository } from './webauthn-challenge-repository.js';

/**
 * Every repository of a transaction, over one SQL connection in one dialect:
 * the same statements on every database, spelled as `dialect` says.
 */
export function sqlRepositories(sql: SqlExecutor, dialect: SqlDialect): StorageTransaction {
  return {
    ...directoryRepositories(sql, dialect),
    ...auditAndIdentityRepositories(sql, dialect),
    imports: importRepository(sql, dialect),
    outbox: outboxRepository(sql, dialect),
    resources: resourceGrantRepository(sql, dialect),
    factors: factorRepository(sql, dialect),
    recoveryCodes: recoveryCodeRepository(sql, dialect),
    webauthnChallenges: webauthnChallengeRepository(sql, dialect),
    ...ssoRepositories(sql, dialect),
    retention: retentionRepository(sql, dialect),
  };
}
