/** `signIn` next to the bare password verification it wraps, for each hasher tenantry ships. */
import { defaultPasswordHasher, type PasswordHasher, scryptHasher } from '../dist/index.js';
import { memoryStorage } from '../dist/memory.js';
import { noHashing, password, signedIn } from './fixtures.js';
import { type Budget, type Measurement, ratio, time } from './harness.js';

export async function signInBenchmarks(budget: Budget): Promise<Measurement[]> {
  const suite = 'signIn vs its hash';
  const bare = await signedIn(memoryStorage(), noHashing);
  const everythingElse = await time(
    suite,
    'signIn with a no-op hasher (all but the hash)',
    () => bare.um.auth.signIn({ email: bare.admin.email, password }),
    budget,
  );
  const hashers: [string, PasswordHasher][] = [
    ['argon2id m=19 MiB t=2 p=1 (default)', defaultPasswordHasher()],
    ['scrypt N=2^14 r=8 p=5 (the earlier default)', scryptHasher()],
  ];
  const rows: Measurement[] = [everythingElse];
  for (const [name, hasher] of hashers) {
    const { um, admin } = await signedIn(memoryStorage(), hasher);
    const stored = await hasher.hash(password);
    const hash = await time(suite, `${name}: hash`, () => hasher.hash(password), budget, { slow: true });
    const verify = await time(suite, `${name}: bare verify`, () => hasher.verify(stored, password), budget, {
      slow: true,
    });
    const signIn = await time(
      suite,
      `${name}: signIn`,
      () => um.auth.signIn({ email: admin.email, password }),
      budget,
      {
        slow: true,
      },
    );
    const overhead = (everythingElse.median / verify.median) * 100;
    signIn.note = `${ratio(signIn, verify)} the bare verify; all but the hash is ${overhead.toFixed(2)} % of it`;
    rows.push(hash, verify, signIn);
  }
  return rows;
}
