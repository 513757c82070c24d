import { TenantryError } from '../errors.js';
import type { RateLimit } from '../rules/rate-limit.js';
import type { FlowContext } from './context.js';

/** One allowance a public flow draws on: whose (the key) and how much (the rate). */
export interface Allowance {
  key: string;
  rate: RateLimit;
}

type RateName = Exclude<
  keyof FlowContext['policy']['rateLimits'],
  'enabled' | 'auditEventsPerAccount' | 'auditEventsForUnknownAccounts'
>;

/**
 * The allowances of a flow for what is known of the request: the client's
 * address (when the caller gave it) and the account (an address as typed,
 * normalized, whether or not an account has it). Empty when the policy turns
 * rate limits off.
 */
export function allowancesFor(
  context: FlowContext,
  flow: string,
  parts: { client?: { ip: string | undefined; rate: RateName }; account?: { key: string | null; rate: RateName } },
): Allowance[] {
  const limits = context.policy.rateLimits;
  if (!limits.enabled) return [];
  const allowances: Allowance[] = [];
  if (parts.client?.ip) allowances.push({ key: `${flow}:client:${parts.client.ip}`, rate: limits[parts.client.rate] });
  if (parts.account?.key) {
    allowances.push({ key: `${flow}:account:${parts.account.key}`, rate: limits[parts.account.rate] });
  }
  return allowances;
}

function rateLimited(retryAfterMs: number): TenantryError {
  return new TenantryError('RATE_LIMITED', 'Too many attempts; try again later', { retryAfterMs });
}

/** Refuses with `RATE_LIMITED` when any of the allowances is spent, without spending (before costly work). */
export async function requireAllowances(context: FlowContext, allowances: readonly Allowance[], now: Date) {
  for (const { key, rate } of allowances) {
    const answer = await context.rateLimiter.consume(key, rate, now, 0);
    if (!answer.allowed) throw rateLimited(answer.retryAfterMs);
  }
}

/** Spends one unit of each allowance (after a failure); one already spent stays spent. */
export async function spendAllowances(context: FlowContext, allowances: readonly Allowance[], now: Date) {
  await Promise.all(allowances.map(({ key, rate }) => context.rateLimiter.consume(key, rate, now)));
}

/** Spends one unit of each allowance, or refuses with `RATE_LIMITED` when one is spent (for every request). */
export async function consumeAllowances(context: FlowContext, allowances: readonly Allowance[], now: Date) {
  for (const { key, rate } of allowances) {
    const answer = await context.rateLimiter.consume(key, rate, now);
    if (!answer.allowed) throw rateLimited(answer.retryAfterMs);
  }
}
