import { consoleMailer, memoryStorage } from '../adapters/memory/index.js';
import { UserManagement } from '../src/index.js';
import { permissions, roles } from './quickstart/catalog.js';

/**
 * The installation the framework examples serve: the in-memory adapter, mail
 * printed to the console, and one company (Acme) whose first admin's
 * invitation link is printed, to set a password through the API.
 */
export async function exampleInstallation(port: number): Promise<UserManagement> {
  const um = new UserManagement({
    storage: memoryStorage(),
    mailer: consoleMailer(),
    permissions,
    roles,
    links: { baseUrl: `http://localhost:${port}` },
  });
  const { firstUser } = await um.as({ type: 'operator' }).organizations.create({
    name: 'Acme',
    firstUser: { email: 'ada@acme.example', firstName: 'Ada', lastName: 'Lovelace' },
  });
  console.log(`Acme's first admin is ${firstUser.email}: accept the invitation above to set a password.`);
  return um;
}
