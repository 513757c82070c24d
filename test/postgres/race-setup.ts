import { memoryMailer } from '../../adapters/memory/index.js';
import type { Storage } from '../../src/index.js';
import { scryptHasher, UserManagement } from '../../src/index.js';
import { permissions, roles } from '../support/tenantry.js';

/** The installation every racing process builds: the same catalog and links, a cheap password hash. */
export function raceTenantry(storage: Storage, mailer = memoryMailer()): UserManagement {
  return new UserManagement({
    storage,
    mailer,
    permissions,
    roles,
    links: { baseUrl: 'https://portal.example.test/' },
    passwordHasher: scryptHasher({ logN: 10, r: 8, p: 1 }),
  });
}
