/**
 * Bytes per user on the memory adapter, in a process of its own started with
 * `--expose-gc`, so that the heap holds nothing but what is measured. Prints
 * one JSON line: the users, the bytes per stored user (record and indexes),
 * and the bytes per user added through `users.add` (with its audit event).
 */
import { memoryStorage } from '../dist/memory.js';
import { benchUser } from './databases.js';
import { signedIn } from './fixtures.js';

const users = Number(process.argv[2] ?? 100_000);
const collect = globalThis.gc as () => void;

function heap(): number {
  for (let round = 0; round < 3; round++) collect();
  return process.memoryUsage().heapUsed;
}

async function storedOnly(): Promise<number> {
  const storage = memoryStorage();
  const before = heap();
  for (let start = 0; start < users; start += 1_000) {
    await storage.transaction(async (tx) => {
      for (let index = start; index < Math.min(users, start + 1_000); index++) {
        await tx.users.insert(benchUser(index, 'org_bench'));
      }
    });
  }
  const bytes = heap() - before;
  if (!storage) throw new Error('kept alive until measured');
  return bytes / users;
}

async function throughAdd(): Promise<number> {
  const { um, admin, organization } = await signedIn(memoryStorage());
  const as = um.as({ type: 'user', userId: admin.id });
  const before = heap();
  for (let index = 0; index < users; index++) {
    await as.users.add({
      organizationId: organization.id,
      email: `user${index}@bench.example`,
      firstName: 'Bench',
      lastName: `User ${index}`,
      roles: ['basic'],
      invite: false,
    });
  }
  const bytes = heap() - before;
  if (!um) throw new Error('kept alive until measured');
  return bytes / users;
}

console.log(JSON.stringify({ users, bytesPerUser: await storedOnly(), bytesPerUserWithAudit: await throughAdd() }));
