import { createRequire } from 'node:module';
import { publicMailDomainSet } from '../../rules/domains.js';

let loaded: ReadonlySet<string> | undefined;

/**
 * The public mail providers' domains (gmail.com, outlook.com and some 8,700
 * more), from the list the `email-providers` package maintains: read and
 * made a set at the first claim of a domain, then kept.
 */
export function publicMailDomains(): ReadonlySet<string> {
  if (!loaded) {
    // The list is JSON. `createRequire` reads it the same way in both builds: the ES module build has
    // `import.meta.url`, and tsup's shim gives the CommonJS build one. A JSON import would need the
    // `with { type: 'json' }` attribute in the ES module build and `resolveJsonModule` for the types, and
    // would parse 136 kB whenever tenantry is imported rather than when a domain is first claimed.
    const require = createRequire(import.meta.url);
    loaded = publicMailDomainSet(require('email-providers/all.json') as string[]);
  }
  return loaded;
}
