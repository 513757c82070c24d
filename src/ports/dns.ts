import { Resolver } from 'node:dns/promises';

/**
 * Looks up DNS TXT records: what proves that an organization controls a
 * mail domain. The shape of `node:dns/promises`: each record of the name is
 * a list of strings (DNS splits a long one into chunks of 255 characters).
 * It fails as `node:dns` does, with an error whose `code` says why
 * (`ENOTFOUND`, `ENODATA`, `ETIMEOUT`, `ESERVFAIL`, …).
 *
 * @example
 * ```ts
 * import { Resolver } from 'node:dns/promises';
 * const resolver = new Resolver({ timeout: 1_000, tries: 2 });
 * resolver.setServers(['10.0.0.53']);
 * new UserManagement({ storage, mailer, dns: resolver });
 * ```
 */
export interface DnsResolver {
  resolveTxt(name: string): Promise<string[][]>;
}

/**
 * The resolver tenantry uses by default: the system's DNS servers, each
 * query given up after 2 seconds and tried twice, so no lookup waits on an
 * unanswering server for long. (The verification bounds the whole lookup as
 * well, whatever the resolver.) It is made at the first lookup: most
 * installations never verify a domain.
 */
export function systemDnsResolver(): DnsResolver {
  let resolver: Resolver | undefined;
  return {
    resolveTxt(name) {
      resolver ??= new Resolver({ timeout: 2_000, tries: 2 });
      return resolver.resolveTxt(name);
    },
  };
}
