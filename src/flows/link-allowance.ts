import { isTenantryError } from '../errors.js';
import { allowancesFor, requireAllowances, spendAllowances } from './allowances.js';
import type { FlowContext } from './context.js';

/**
 * Redeems a link for a client: an invalid link (`TOKEN_INVALID`) spends the
 * client's allowance of invalid links, and a spent allowance refuses at once
 * with `RATE_LIMITED`.
 */
export async function redeemingLink<T>(
  context: FlowContext,
  ip: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const now = context.clock.now();
  const allowances = allowancesFor(context, 'links', { client: { ip, rate: 'invalidLinksPerClient' } });
  await requireAllowances(context, allowances, now);
  try {
    return await work();
  } catch (error) {
    if (isTenantryError(error, 'TOKEN_INVALID')) await spendAllowances(context, allowances, now);
    throw error;
  }
}
