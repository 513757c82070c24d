import type { RateLimit } from '../rules/rate-limit.js';
import type { Unit } from './unit.js';

/**
 * Records an audit event that an outsider can cause at will (a failed
 * sign-in, a throttled mail), at most the policy's number per `key` and
 * window; the next one written says how many were dropped before it.
 */
export async function recordCapped(
  unit: Unit,
  key: string,
  action: string,
  fields: Parameters<Unit['record']>[1],
  rate: RateLimit = unit.context.policy.rateLimits.auditEventsPerAccount,
): Promise<void> {
  const { write, suppressed } = await unit.context.auditSampler.admit(`${action}:${key}`, rate, unit.now);
  if (!write) return;
  unit.record(action, suppressed > 0 ? { ...fields, metadata: { ...fields.metadata, suppressed } } : fields);
}
