import { TenantryError } from '../errors.js';
import type { StorageTransaction } from '../ports/storage.js';
import { newEventId } from '../random.js';
import type { ActorFacts } from '../rules/actor.js';
import { type OrganizationAccess, organizationAccess, requireAccess } from '../rules/administration-scope.js';
import type { Refusal } from '../rules/decision.js';
import { effectivePermissions } from '../rules/effective-permissions.js';
import { type OrganizationRole, organizationRoles } from '../rules/organization-roles.js';
import { isErased, isExpired } from '../rules/user-conditions.js';
import type { Actor, AuditEvent, FieldChange, Organization, User, UserView } from '../types.js';
import type { FlowContext } from './context.js';
import { userView } from './user-records.js';

const MAX_DEPTH = 64;

/** Throws the refusal of a rule as a `TenantryError`; otherwise the decision is known to be its allowing kind. */
export function enforce<Allowed extends { ok: true }>(decision: Allowed | Refusal): asserts decision is Allowed {
  if (!decision.ok) throw new TenantryError(decision.code, decision.message, decision.details);
}

/** The error for anything the actor may not know exists. */
export function notFound(what = 'Not found'): TenantryError {
  return new TenantryError('NOT_FOUND', what);
}

/**
 * One call's work inside one transaction: who acts, what time it is, the
 * audit events to write with the change, and memoized loads.
 */
export class Unit {
  readonly events: AuditEvent[] = [];
  readonly #roles = new Map<string, Promise<ReadonlyMap<string, OrganizationRole>>>();
  /** Who the actor was when the call began, before any lock was waited for. */
  startFacts: ActorFacts = { type: 'operator' };
  /** Set when the actor lost the right to act while a lock was awaited, and the caller chose to decide when to refuse. */
  actorRefusal: TenantryError | null = null;

  constructor(
    readonly context: FlowContext,
    readonly tx: StorageTransaction,
    readonly now: Date,
    readonly actor: Actor,
    public facts: ActorFacts,
  ) {}

  /** Queues an audit event; it is written with the change and emitted after commit. */
  record(
    action: string,
    fields: {
      organizationId: string | null;
      targetId: string | null;
      changes?: Record<string, FieldChange>;
      metadata?: Record<string, unknown>;
      /** Who acted, when not the unit's actor (public flows act for the user they concern). */
      actor?: Actor;
    },
  ): void {
    this.events.push({
      id: newEventId(this.now),
      at: this.now,
      actor: fields.actor ?? this.actor,
      organizationId: fields.organizationId,
      action,
      targetId: fields.targetId,
      changes: fields.changes ?? {},
      metadata: fields.metadata ?? {},
    });
  }

  /**
   * The organization and its ancestors, or NOT_FOUND. With `forUpdate` the
   * organization row is locked and the actor re-resolved; `deferRefusal`
   * keeps an actor who can no longer act in `actorRefusal` instead of throwing.
   */
  async chain(
    organizationId: string,
    options?: { forUpdate?: boolean; deferRefusal?: boolean },
  ): Promise<Organization[]> {
    const first = await this.tx.organizations.get(organizationId, options);
    if (!first) throw notFound();
    // Rights are judged on what holds once the lock is ours: a concurrent change may have committed while we waited.
    if (options?.forUpdate && this.actor.type === 'user') await this.#reresolve(this.actor, options.deferRefusal);
    const chain = [first];
    let parentId = first.parentId;
    while (parentId !== null && chain.length < MAX_DEPTH) {
      const parent = await this.tx.organizations.get(parentId);
      if (!parent) break;
      chain.push(parent);
      parentId = parent.parentId;
    }
    return chain;
  }

  async #reresolve(actor: Actor, deferRefusal = false): Promise<void> {
    const { facts, refusal } = await resolveActor(this, actor, deferRefusal);
    this.facts = facts;
    this.actorRefusal = refusal;
  }

  access(chain: readonly Organization[]): OrganizationAccess {
    return organizationAccess(this.facts, chain);
  }

  /** Loads the organization and requires the actor to administer (or be a member of) it. */
  async organizationFor(
    organizationId: string,
    needed: 'administer' | 'member',
    options?: { forUpdate?: boolean },
  ): Promise<Organization> {
    const chain = await this.chain(organizationId, options);
    enforce(requireAccess(this.access(chain), needed));
    return chain[0] as Organization;
  }

  /** Every role that exists for the organization (memoized for this call). */
  rolesOf(organization: Organization): Promise<ReadonlyMap<string, OrganizationRole>> {
    let roles = this.#roles.get(organization.id);
    if (!roles) {
      roles = this.tx.roles
        .list(organization.id)
        .then((custom) => organizationRoles(organization, this.context.standardRoles, custom));
      this.#roles.set(organization.id, roles);
    }
    return roles;
  }

  async effective(user: User, organization: Organization): Promise<string[]> {
    return effectivePermissions(user, organization, this.context.catalog, await this.rolesOf(organization));
  }

  async view(user: User, organization: Organization): Promise<UserView> {
    return userView(user, organization, await this.effective(user, organization), this.now);
  }
}

/**
 * Runs one call: a transaction in which the actor is resolved, `work` decides
 * and writes, and the audit events are written; after commit the events are
 * emitted. A refusal or failure leaves storage as it was. With
 * `deferActorRefusal` an actor who may not act reaches `work`, which must
 * throw `unit.actorRefusal` when it chooses; a call that ends with the refusal
 * still pending fails with it all the same.
 */
export async function act<T>(
  context: FlowContext,
  actor: Actor,
  work: (unit: Unit) => Promise<T>,
  options: { deferActorRefusal?: boolean } = {},
): Promise<{ result: T; unit: Unit }> {
  let finished: Unit | undefined;
  const peeked = options.deferActorRefusal ? await peekActor(context, actor) : null;
  const result = await context.storage.transaction(async (tx) => {
    const now = context.clock.now();
    const unit = new Unit(context, tx, now, actor, { type: 'operator' });
    const { facts, refusal } = await resolveActor(unit, actor, options.deferActorRefusal);
    unit.facts = facts;
    unit.startFacts = peeked ?? facts;
    unit.actorRefusal = refusal;
    const value = await work(unit);
    if (unit.actorRefusal) throw unit.actorRefusal;
    if (unit.events.length > 0) await tx.audit.insert(unit.events);
    finished = unit;
    return value;
  });
  const unit = finished as unknown as Unit;
  context.events.emit(unit.events);
  return { result, unit };
}

/**
 * How the actor stands before the call queues for any transaction, where the
 * storage can tell (see `Storage.peek`); null when it cannot or the read fails.
 */
async function peekActor(context: FlowContext, actor: Actor): Promise<ActorFacts | null> {
  if (!context.storage.peek || actor.type !== 'user') return null;
  try {
    return await context.storage.peek(async (tx) => {
      const unit = new Unit(context, tx, context.clock.now(), actor, { type: 'operator' });
      return (await resolveActor(unit, actor, true)).facts;
    });
  } catch {
    return null;
  }
}

/**
 * Who the actor is now. A user who may not act (disabled, expired, erased,
 * gone) is refused with `FORBIDDEN`; with `defer`, a disabled or expired user
 * is kept as a member without rights and the refusal is returned for the
 * caller to throw when it chooses.
 */
async function resolveActor(
  unit: Unit,
  actor: Actor,
  defer = false,
): Promise<{ facts: ActorFacts; refusal: TenantryError | null }> {
  if (actor.type !== 'user') return { facts: actor, refusal: null };
  const refusal = new TenantryError('FORBIDDEN', 'This account cannot act');
  const user = await unit.tx.users.get(actor.userId);
  const organization = user && !isErased(user) ? await unit.tx.organizations.get(user.organizationId) : undefined;
  if (!user || !organization) throw refusal;
  if (user.status === 'disabled' || isExpired(user, unit.now)) {
    if (!defer) throw refusal;
    return {
      facts: { type: 'user', userId: user.id, organizationId: organization.id, permissions: new Set() },
      refusal,
    };
  }
  const permissions = new Set(await unit.effective(user, organization));
  return { facts: { type: 'user', userId: user.id, organizationId: organization.id, permissions }, refusal: null };
}
