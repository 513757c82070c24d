import type { FlowContext } from '../../flows/context.js';
import type { DnsResolver } from '../../ports/dns.js';
import { lookupFailureReason, type VerificationFailure, verificationOutcome } from '../../rules/domains.js';

/** The TXT record a verification looks for. */
export interface VerificationRecord {
  recordName: string;
  recordValue: string;
}

async function outcomeOf(dns: DnsResolver, record: VerificationRecord): Promise<'verified' | VerificationFailure> {
  let records: string[][];
  try {
    records = await dns.resolveTxt(record.recordName);
  } catch (error) {
    return lookupFailureReason((error as { code?: unknown } | null)?.code);
  }
  return verificationOutcome(records, record.recordValue);
}

/**
 * Looks the verification record up: `verified` when DNS holds it, else why
 * not. The whole lookup is bounded by `domainVerification.lookupTimeoutMs`
 * whatever the resolver does: at the limit it answers `timeout`, and the
 * resolver's query, if it still runs, ends by its own timeouts unawaited.
 */
export async function lookUpVerification(
  context: FlowContext,
  record: VerificationRecord,
): Promise<'verified' | VerificationFailure> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), context.domainVerification.lookupTimeoutMs);
  });
  try {
    return await Promise.race([outcomeOf(context.dns, record), expired]);
  } finally {
    clearTimeout(timer);
  }
}
