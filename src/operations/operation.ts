import type { z } from 'zod';
import type { FlowContext } from '../flows/context.js';
import type { Unit } from '../flows/unit.js';
import type { Actor } from '../types.js';

/** What an operation of several steps is given: each step one transaction, through the orchestrator. */
export interface Steps {
  readonly context: FlowContext;
  readonly actor: Actor;
  /**
   * Runs `work` in a transaction of its own, as a one-step operation runs:
   * the actor resolved, the audit events and outbox items written with the
   * change, and after commit the events emitted and the mail handed on.
   */
  transact<T>(work: (unit: Unit) => Promise<T>): Promise<T>;
}

interface OperationBase<Input extends readonly unknown[]> {
  /** The call as the facades name it, `area.method`: `users.setAccess`. */
  readonly name: string;
  /** The schema of the call's arguments, as a tuple: parsed before anything else happens. */
  readonly input: z.ZodType<Input>;
  /**
   * A change that may cost an organization its last admin. Of two admins
   * demoting each other at once, the one who waited must be told
   * `LAST_ADMIN`, though it lost its rights meanwhile: the orchestrator reads
   * how the actor stood before queueing for any lock, and defers a refusal of
   * the actor for the operation to throw in the right order.
   */
  readonly guarded?: boolean;
}

/** An operation in one transaction. */
export interface SingleStepOperation<Input extends readonly unknown[], Result> extends OperationBase<Input> {
  run(unit: Unit, input: Input): Promise<Result>;
}

/** An operation in several transactions, with work between them (a password hashed, a file read, mail awaited). */
export interface SteppedOperation<Input extends readonly unknown[], Result> extends OperationBase<Input> {
  execute(steps: Steps, input: Input): Promise<Result>;
}

/**
 * One public call of tenantry as a declared object: its name, its input
 * schema, and what it does, which the orchestrator (`act`) runs: parse, open
 * the transaction, run, write the audit events and outbox items, commit,
 * then emit the events and hand the mail on.
 */
// biome-ignore lint/suspicious/noExplicitAny: the most general operation, for places that run any of them.
export type Operation<Input extends readonly unknown[] = any, Result = unknown> =
  | SingleStepOperation<Input, Result>
  | SteppedOperation<Input, Result>;

/** The parsed arguments of an operation. */
export type OperationInput<Op> = Op extends Operation<infer Input, unknown> ? Input : never;
/** What an operation answers. */
export type OperationResult<Op> = Op extends Operation<readonly unknown[], infer Result> ? Result : never;

/** Declares an operation; the identity, for inference. */
export function defineOperation<Input extends readonly unknown[], Result>(
  operation: SingleStepOperation<Input, Result>,
): SingleStepOperation<Input, Result>;
export function defineOperation<Input extends readonly unknown[], Result>(
  operation: SteppedOperation<Input, Result>,
): SteppedOperation<Input, Result>;
export function defineOperation<Input extends readonly unknown[], Result>(
  operation: Operation<Input, Result>,
): Operation<Input, Result> {
  return operation;
}

/** The schema of an operation's argument `index` (for documenting what a transport passes it). */
export function argumentSchema(operation: Operation, index: number): z.ZodType {
  const items = (operation.input as unknown as { def: { items?: z.ZodType[] } }).def.items;
  const schema = items?.[index];
  if (!schema) throw new Error(`${operation.name} has no argument ${index}`);
  return schema;
}
