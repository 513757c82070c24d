import { isTenantryError } from '../../errors.js';
import { recordTakenAddresses } from '../../flows/address-probes.js';
import type { Unit } from '../../flows/unit.js';
import type { Steps } from '../operation.js';

/**
 * Runs a step that may be refused with `EMAIL_TAKEN` (which only an actor
 * allowed to make the change gets), and notes such a refusal in the trail of
 * the organization the actor acted on (in a step of its own: the refused one
 * changed nothing).
 */
export async function recordingTakenAddress<T>(
  steps: Steps,
  call: string,
  organizationId: string | ((unit: Unit) => Promise<string | undefined>),
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (isTenantryError(error, 'EMAIL_TAKEN')) {
      await steps.transact(async (unit) => {
        const id = typeof organizationId === 'string' ? organizationId : await organizationId(unit);
        if (id) recordTakenAddresses(unit, id, 1, { call });
      });
    }
    throw error;
  }
}
