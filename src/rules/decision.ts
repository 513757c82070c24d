import type { ErrorCode } from '../error-codes.js';

/** A rule's refusal: the error code, a safe message, and details for the caller. */
export interface Refusal {
  ok: false;
  code: ErrorCode;
  message: string;
  details: Record<string, unknown>;
}

/** What a rule decides: allowed, or refused with a reason. */
export type Decision = { ok: true } | Refusal;

/** The decision that allows. */
export const allowed: Decision = Object.freeze({ ok: true });

/** Builds a refusal. */
export function refuse(code: ErrorCode, message: string, details: Record<string, unknown> = {}): Refusal {
  return { ok: false, code, message, details };
}

/** The first refusal among decisions evaluated in order, or `allowed`. */
export function firstRefusal(...decisions: ReadonlyArray<() => Decision>): Decision {
  for (const decide of decisions) {
    const decision = decide();
    if (!decision.ok) return decision;
  }
  return allowed;
}
