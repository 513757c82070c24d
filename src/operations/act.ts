import type { FlowContext } from '../flows/context.js';
import { resolveActor, Unit } from '../flows/unit.js';
import type { ActorFacts } from '../rules/actor.js';
import { parseArguments } from '../schemas/parse.js';
import type { Actor } from '../types.js';
import type { Courier } from './courier.js';
import type { Operation, OperationResult, Steps } from './operation.js';

/** What the orchestrator runs operations with: the installation's context and its courier. */
export interface Orchestra {
  context: FlowContext;
  courier: Courier;
}

/**
 * Runs one operation for an actor: parses its arguments (`VALIDATION_FAILED`
 * before anything else), then runs it in one transaction (or its steps, each
 * in one). A refusal or failure leaves storage as it was. This is the one
 * place that opens transactions, writes audit events and outbox items, emits
 * events and hands mail on.
 */
export async function act<Op extends Operation>(
  orchestra: Orchestra,
  actor: Actor,
  operation: Op,
  args: readonly unknown[],
): Promise<OperationResult<Op>> {
  const input = parseArguments(operation.input, args);
  const steps = new OperationSteps(orchestra, actor, operation.guarded === true);
  if ('execute' in operation) return operation.execute(steps, input) as Promise<OperationResult<Op>>;
  return steps.transact((unit) => operation.run(unit, input)) as Promise<OperationResult<Op>>;
}

class OperationSteps implements Steps {
  readonly context: FlowContext;
  readonly actor: Actor;
  readonly #orchestra: Orchestra;
  readonly #guarded: boolean;

  constructor(orchestra: Orchestra, actor: Actor, guarded: boolean) {
    this.context = orchestra.context;
    this.#orchestra = orchestra;
    this.actor = actor;
    this.#guarded = guarded;
  }

  async transact<T>(work: (unit: Unit) => Promise<T>): Promise<T> {
    const { context, courier } = this.#orchestra;
    const startFacts = this.#guarded ? await this.#factsBeforeQueueing() : null;
    let committed: Unit | undefined;
    const result = await context.storage.transaction(async (tx) => {
      const unit = new Unit(context, tx, context.clock.now(), this.actor, { type: 'operator' });
      const { facts, refusal } = await resolveActor(unit, this.actor, this.#guarded);
      unit.facts = facts;
      unit.startFacts = startFacts ?? facts;
      unit.actorRefusal = refusal;
      const value = await work(unit);
      if (unit.actorRefusal) throw unit.actorRefusal;
      if (unit.events.length > 0) await tx.audit.insert(unit.events);
      const items = [...unit.eventItems, ...unit.mails.map((mail) => mail.item)];
      if (items.length > 0) await tx.outbox.insert(items);
      committed = unit;
      return value;
    });
    const unit = committed as Unit;
    courier.handOn(unit.events, unit.eventItems, unit.mails);
    return result;
  }

  /**
   * How the actor stood when the call began, read in a transaction of its
   * own before the call's: every storage queues it ahead of whatever the
   * call then waits for, so of two calls issued at once both read the state
   * before either changed it. Null for anyone but a user, or if the read fails.
   */
  async #factsBeforeQueueing(): Promise<ActorFacts | null> {
    const { context } = this.#orchestra;
    if (this.actor.type !== 'user') return null;
    try {
      return await context.storage.transaction(async (tx) => {
        const unit = new Unit(context, tx, context.clock.now(), this.actor, { type: 'operator' });
        return (await resolveActor(unit, this.actor, true)).facts;
      });
    } catch {
      return null;
    }
  }
}
