import {
  compareCodePoints,
  domainClaimedError,
  domainTakenError,
  type StorageTransaction,
  type StoredDomain,
  type StoredSsoConnection,
} from '../../src/adapter-kit/index.js';
import { copy } from './copy.js';
import { type Journal, journaledWrites } from './identity-repositories.js';
import { pairKey, SsoSignInTables, ssoSignInRepositories } from './sso-sign-in-repositories.js';

/**
 * The domain and SSO tables of the memory storage: claims by organization and
 * domain, with each organization's domains and the one verified holder of
 * each domain (the unique index of the SQL adapters); connections by id, with
 * each organization's ids; and the tables of sign-ins through them.
 */
export class SsoTables extends SsoSignInTables {
  readonly domains = new Map<string, StoredDomain>();
  readonly domainsByOrganization = new Map<string, readonly string[]>();
  readonly verifiedHolders = new Map<string, string>();
  readonly connections = new Map<string, StoredSsoConnection>();
  readonly connectionIdsByOrganization = new Map<string, readonly string[]>();

  /** Everything held, as plain data sorted by key, for `MemoryStorage.snapshot`. */
  override snapshot(): Record<string, unknown> {
    const sorted = <V>(map: Map<string, V>) => [...map.entries()].sort(([a], [b]) => compareCodePoints(a, b));
    return {
      domains: sorted(this.domains),
      domainsByOrganization: sorted(this.domainsByOrganization),
      verifiedHolders: sorted(this.verifiedHolders),
      connections: sorted(this.connections),
      connectionIdsByOrganization: sorted(this.connectionIdsByOrganization),
      ...super.snapshot(),
    };
  }
}

/** Oldest first, then by id in code-point order: the order of connections on every storage. */
const oldestFirst = (a: StoredSsoConnection, b: StoredSsoConnection) =>
  a.createdAt.getTime() - b.createdAt.getTime() || compareCodePoints(a.id, b.id);

/**
 * Domain claims, SSO connections and sign-ins through them over the memory
 * tables, inside one transaction. Every write replaces a map entry journaled
 * with `restore`, so a failed transaction leaves every table and index as it
 * was. Transactions run one at a time, so checking the verified holder of a
 * domain and becoming it is one step, as the unique index makes it on SQL.
 */
export function ssoRepositories(
  tables: SsoTables,
  journal: Journal,
): Pick<StorageTransaction, 'domains' | 'ssoConnections' | 'ssoLogins' | 'ssoAssertions' | 'ssoIdentities'> {
  const { live, restore } = journal;
  const { removeIdentitiesOf, ...signIns } = ssoSignInRepositories(tables, journal);
  const { domains, domainsByOrganization, verifiedHolders, connections, connectionIdsByOrganization } = tables;
  const { put, drop } = journaledWrites(restore);
  /** Puts `value` in the list of `key` (or takes it out), dropping a list left empty. */
  const index = (map: Map<string, readonly string[]>, key: string, value: string, present: boolean) => {
    const left = (map.get(key) ?? []).filter((held) => held !== value);
    if (present) put(map, key, [...left, value]);
    else if (left.length === 0) drop(map, key);
    else put(map, key, left);
  };
  /** Makes the organization the verified holder of the domain, unless another organization is. */
  const holdVerified = (organizationId: string, domain: string) => {
    const holder = verifiedHolders.get(domain);
    if (holder !== undefined && holder !== organizationId) throw domainTakenError(domain);
    put(verifiedHolders, domain, organizationId);
  };
  const connectionsOf = (organizationId: string, enabledOnly: boolean) =>
    (connectionIdsByOrganization.get(organizationId) ?? []).flatMap((id) => {
      const connection = connections.get(id);
      return connection && (connection.enabled || !enabledOnly) ? [connection] : [];
    });

  return {
    ...signIns,
    domains: {
      async insert(claim) {
        live();
        const key = pairKey(claim.organizationId, claim.domain);
        if (domains.has(key)) throw domainClaimedError(claim.domain);
        if (claim.verifiedAt !== null) holdVerified(claim.organizationId, claim.domain);
        put(domains, key, copy(claim));
        index(domainsByOrganization, claim.organizationId, claim.domain, true);
      },
      async get(organizationId, domain) {
        live();
        const claim = domains.get(pairKey(organizationId, domain));
        return claim ? copy(claim) : null;
      },
      async forOrganization(organizationId) {
        live();
        return [...(domainsByOrganization.get(organizationId) ?? [])].sort(compareCodePoints).flatMap((domain) => {
          const claim = domains.get(pairKey(organizationId, domain));
          return claim ? [copy(claim)] : [];
        });
      },
      async verifiedClaim(domain) {
        live();
        const holder = verifiedHolders.get(domain);
        const claim = holder === undefined ? undefined : domains.get(pairKey(holder, domain));
        return claim ? copy(claim) : null;
      },
      async markVerified(organizationId, domain, at) {
        live();
        const key = pairKey(organizationId, domain);
        const claim = domains.get(key);
        if (!claim) return false;
        holdVerified(organizationId, domain);
        put(domains, key, { ...claim, verifiedAt: new Date(at.getTime()) });
        return true;
      },
      async remove(organizationId, domain) {
        live();
        const key = pairKey(organizationId, domain);
        if (!domains.has(key)) return false;
        drop(domains, key);
        index(domainsByOrganization, organizationId, domain, false);
        if (verifiedHolders.get(domain) === organizationId) drop(verifiedHolders, domain);
        return true;
      },
    },
    ssoConnections: {
      async insert(connection) {
        live();
        if (connections.has(connection.id)) throw new Error('duplicate sso connection id');
        put(connections, connection.id, copy(connection));
        index(connectionIdsByOrganization, connection.organizationId, connection.id, true);
      },
      async get(id) {
        live();
        const connection = connections.get(id);
        return connection ? copy(connection) : null;
      },
      async forOrganization(organizationId) {
        live();
        return connectionsOf(organizationId, false).sort(oldestFirst).map(copy);
      },
      async enabledFor(organizationIds) {
        live();
        return [...new Set(organizationIds)]
          .flatMap((organizationId) => connectionsOf(organizationId, true))
          .sort(oldestFirst)
          .map(copy);
      },
      async update(connection) {
        live();
        const previous = connections.get(connection.id);
        if (!previous) throw new Error('unknown sso connection');
        put(connections, connection.id, copy(connection));
        if (previous.organizationId !== connection.organizationId) {
          index(connectionIdsByOrganization, previous.organizationId, connection.id, false);
          index(connectionIdsByOrganization, connection.organizationId, connection.id, true);
        }
      },
      async remove(id) {
        live();
        const connection = connections.get(id);
        if (!connection) return false;
        drop(connections, id);
        index(connectionIdsByOrganization, connection.organizationId, id, false);
        removeIdentitiesOf(id);
        return true;
      },
    },
  };
}
