import { TenantryError } from '../errors.js';
import { type MailOrder, mailIntentOf } from '../outbox/mail-order.js';
import type { StoredFactor } from '../ports/factor-storage.js';
import type { OutboxItem } from '../ports/outbox.js';
import type { StorageTransaction } from '../ports/storage.js';
import { newEventId } from '../random.js';
import { mayAct, standing } from '../rules/account-standing.js';
import type { ActorFacts } from '../rules/actor.js';
import { type OrganizationAccess, organizationAccess, requireAccess } from '../rules/administration-scope.js';
import type { Refusal } from '../rules/decision.js';
import { effectivePermissions } from '../rules/effective-permissions.js';
import { type OrganizationRole, organizationRoles } from '../rules/organization-roles.js';
import { effectiveResourceAccess } from '../rules/resource-access.js';
import type { Actor, AuditEvent, FieldChange, Organization, ResourceAccess, User, UserView } from '../types.js';
import type { FlowContext } from './context.js';
import { userView } from './user-records.js';

const MAX_DEPTH = 64;
const noResourceAccess: ResourceAccess = Object.freeze({});

/** Throws the refusal of a rule as a `TenantryError`; otherwise the decision is known to be its allowing kind. */
export function enforce<Allowed extends { ok: true }>(decision: Allowed | Refusal): asserts decision is Allowed {
  if (!decision.ok) throw new TenantryError(decision.code, decision.message, decision.details);
}

/** The error for anything the actor may not know exists. */
export function notFound(what = 'Not found'): TenantryError {
  return new TenantryError('NOT_FOUND', what);
}

/** What `unit.send` gives back: the mail's stable id, and whether its first hand-on after commit succeeded. */
export interface MailReceipt {
  id: string;
  delivered: Promise<boolean>;
}

/** A mail written to the outbox by this unit, with what only this process holds: the link's secret. */
export interface SentMail {
  item: OutboxItem;
  order: MailOrder;
  settle(delivered: boolean): void;
}

/**
 * One call's work inside one transaction: who acts, what time it is, the
 * audit events and outbox items to write with the change, and memoized loads.
 * The orchestrator (`act`) makes it, writes what it queued, and hands the
 * mail and events on after commit.
 */
export class Unit {
  readonly events: AuditEvent[] = [];
  readonly mails: SentMail[] = [];
  /** Events that subscribers wait for, written to the outbox so a crash before they are emitted loses none. */
  readonly eventItems: OutboxItem[] = [];
  readonly #roles = new Map<string, Promise<ReadonlyMap<string, OrganizationRole>>>();
  readonly #access = new Map<string, ResourceAccess>();
  /** Factors read with a user (`lockUser`), for the next `confirmedFactors` of them. */
  readonly #factors = new Map<string, StoredFactor[]>();
  /** Organization chains read by this call, by the first organization's id, until an organization is written. */
  readonly #chains = new Map<string, Organization[]>();
  /** Who the actor was when the call began, before any lock was waited for (guarded operations). */
  startFacts: ActorFacts = { type: 'operator' };
  /** Set when the actor lost the right to act while a lock was awaited, in a guarded operation, for it to throw when it chooses. */
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
    const event: AuditEvent = {
      id: newEventId(this.now),
      at: this.now,
      actor: fields.actor ?? this.actor,
      organizationId: fields.organizationId,
      action,
      targetId: fields.targetId,
      changes: fields.changes ?? {},
      metadata: fields.metadata ?? {},
    };
    this.events.push(event);
    if (this.context.events.awaited(action)) {
      this.eventItems.push(this.#item(event.id, 'event', null, JSON.stringify(event)));
    }
  }

  /**
   * Queues a mail: it is written to the outbox with the change and sent
   * after commit (and by the outbox later, should this process not manage).
   */
  send(order: MailOrder): MailReceipt {
    const id = newEventId(this.now).replace('evt_', 'mail_');
    const { secrets } = this.context;
    const intent = mailIntentOf(order, (secret, context) => secrets.seal(secret, context));
    const item = this.#item(id, 'mail', order.user.id, JSON.stringify(intent));
    let settle: (delivered: boolean) => void = () => undefined;
    const delivered = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    this.mails.push({ item, order, settle });
    return { id: item.id, delivered };
  }

  #item(id: string, kind: OutboxItem['kind'], userId: string | null, payload: string): OutboxItem {
    return {
      id,
      kind,
      userId,
      payload,
      createdAt: this.now,
      attempts: 0,
      nextAttemptAt: this.now,
      // The process that writes an item hands it on at once; others leave it alone meanwhile.
      claimedUntil: new Date(this.now.getTime() + this.context.policy.outbox.claimMs),
      failedAt: null,
      lastError: null,
    };
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
    const known = options?.forUpdate ? undefined : this.#chains.get(organizationId);
    if (known) return known;
    const first = await this.tx.organizations.get(organizationId, options);
    if (!first) throw notFound();
    // Rights are judged on what holds once the lock is ours: a concurrent change may have committed while we waited.
    if (options?.forUpdate && this.actor.type === 'user') {
      const { facts, refusal } = await resolveActor(this, this.actor, options.deferRefusal);
      this.facts = facts;
      this.actorRefusal = refusal;
    }
    const chain = [first];
    let parentId = first.parentId;
    while (parentId !== null && chain.length < MAX_DEPTH) {
      const parent = await this.tx.organizations.get(parentId);
      if (!parent) break;
      chain.push(parent);
      parentId = parent.parentId;
    }
    this.#chains.set(organizationId, chain);
    return chain;
  }

  /**
   * A user, locked until the call ends, with what a sign-in reads next (their
   * organization chain, its roles, their factors and access) in the same
   * read where the storage offers it; null when they are gone.
   */
  async lockUser(userId: string): Promise<User | null> {
    const { users } = this.tx;
    if (!users.getWithContext) return users.get(userId, { forUpdate: true });
    const found = await users.getWithContext(userId, { forUpdate: true });
    if (!found) return null;
    const { user, organizations, customRoles, factors, access } = found;
    const organization = organizations[0];
    if (organization) {
      this.#chains.set(organization.id, organizations);
      const roles = organizationRoles(organization, this.context.standardRoles, customRoles);
      if (!this.#roles.has(organization.id)) this.#roles.set(organization.id, Promise.resolve(roles));
    }
    this.#access.set(user.id, access);
    this.#factors.set(user.id, factors);
    return user;
  }

  /** The user's factors as `lockUser` read them, once; undefined when it did not (or they were taken). */
  takeFactorsRead(userId: string): StoredFactor[] | undefined {
    const factors = this.#factors.get(userId);
    this.#factors.delete(userId);
    return factors;
  }

  /** Forgets the organization chains this call read, after writing an organization. */
  organizationsChanged(): void {
    this.#chains.clear();
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

  /** The stored resource access of these users, read once for this call (`views` of a page read it in one go). */
  async resourceAccessOf(users: readonly User[]): Promise<void> {
    const missing = users.filter((user) => !this.#access.has(user.id)).map((user) => user.id);
    if (missing.length === 0) return;
    const found = await this.tx.resources.forUsers(missing);
    for (const id of missing) this.#access.set(id, found.get(id) ?? noResourceAccess);
  }

  /** Forgets what this call read of a user's access, after changing it. */
  accessChanged(userId: string): void {
    this.#access.delete(userId);
  }

  /** The user as the API shows them; `newUser` skips reading the access of one this call created. */
  async view(user: User, organization: Organization, options: { newUser?: boolean } = {}): Promise<UserView> {
    if (options.newUser) this.#access.set(user.id, noResourceAccess);
    await this.resourceAccessOf([user]);
    const stored = this.#access.get(user.id) ?? noResourceAccess;
    const effective = effectiveResourceAccess(stored, this.context.resources, organization);
    return userView(user, organization, await this.effective(user, organization), this.now, { stored, effective });
  }

  /** Views of many users of one organization, their access read in one go. */
  async views(users: readonly User[], organization: Organization): Promise<UserView[]> {
    await this.resourceAccessOf(users);
    const views: UserView[] = [];
    for (const user of users) views.push(await this.view(user, organization));
    return views;
  }
}

/**
 * Who the actor is now. A user who may not act (disabled, expired, erased,
 * gone) is refused with `FORBIDDEN`; with `defer`, a disabled or expired user
 * is kept as a member without rights and the refusal is returned for the
 * caller to throw when it chooses.
 */
export async function resolveActor(
  unit: Unit,
  actor: Actor,
  defer = false,
): Promise<{ facts: ActorFacts; refusal: TenantryError | null }> {
  if (actor.type !== 'user') return { facts: actor, refusal: null };
  // Made only when refused: an error's stack trace costs more than the rest of this check.
  const refused = () => new TenantryError('FORBIDDEN', 'This account cannot act');
  const user = await unit.tx.users.get(actor.userId);
  const organization = user && user.erasedAt === null ? await unit.tx.organizations.get(user.organizationId) : null;
  if (!user || !organization) throw refused();
  if (!mayAct(standing(user, unit.now))) {
    const refusal = refused();
    if (!defer) throw refusal;
    return {
      facts: { type: 'user', userId: user.id, organizationId: organization.id, permissions: new Set() },
      refusal,
    };
  }
  const permissions = new Set(await unit.effective(user, organization));
  return { facts: { type: 'user', userId: user.id, organizationId: organization.id, permissions }, refusal: null };
}
