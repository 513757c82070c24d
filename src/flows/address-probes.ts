import type { Unit } from './unit.js';

/**
 * Addresses are unique in the whole installation, so a refusal with
 * `EMAIL_TAKEN` tells the actor that someone, perhaps in another company,
 * has that address. Such refusals are recorded in the actor's organization's
 * trail (how many, by which call; never the addresses), so that probing
 * shows there.
 */
export function recordTakenAddresses(
  unit: Unit,
  organizationId: string,
  count: number,
  metadata: Record<string, unknown>,
): void {
  if (count === 0) return;
  unit.record('user.email.taken', { organizationId, targetId: null, metadata: { count, ...metadata } });
}
