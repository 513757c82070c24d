import type { PasswordHasher } from '../passwords/password-hasher.js';
import { newSecretToken } from '../secrets/one-time-token.js';
import type { FlowContext } from './context.js';

const dummies = new WeakMap<PasswordHasher, Promise<string>>();

/**
 * Verifies a password against a hash of nothing, for sign-ins that will fail
 * whatever the password (an unknown address, a locked account): they take as
 * long as a wrong password does, so timing tells no account apart.
 */
export async function verifyDummy(context: FlowContext, password: string): Promise<void> {
  let dummy = dummies.get(context.passwordHasher);
  if (!dummy) {
    dummy = context.passwordHasher.hash(newSecretToken());
    dummies.set(context.passwordHasher, dummy);
  }
  await context.passwordHasher.verify(await dummy, password);
}
