import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/index.js';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

const password = 'a long passphrase nobody guesses';
const DAY = 86_400_000;

/** A company whose admin has accepted the invitation, and a way to sign them in. */
async function company(makeStorage: MakeStorage, policy: Parameters<typeof makeTenantry>[1] = {}) {
  const t = await makeTenantry(makeStorage, policy);
  const created = await t.operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
  const token = new URL(t.mailer.outbox.at(-1)?.link as string).searchParams.get('token') as string;
  await t.um.auth.acceptInvitation({ token, password });
  const signIn = async () => {
    const result = await t.um.auth.signIn({ email: created.firstUser.email, password });
    if (result.kind !== 'session') throw new Error('expected a session');
    return result.token;
  };
  const purged: AuditEvent[] = [];
  t.um.on('maintenance.purged', (event) => {
    purged.push(event);
  });
  return { ...t, ...created, signIn, purged };
}

export function describeRetention(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: retention`, () => {
    it('removes sessions and tokens over for longer than the windows, never a live one, audited once', async () => {
      const t = await company(makeStorage);
      const ended = await t.signIn();
      await t.um.auth.signOut(ended);
      t.clock.advance(31 * DAY);
      const live = await t.signIn();
      const report = await t.um.maintenance.purge();
      // The signed-out session and the used invitation; the audit trail and import reports are kept by default.
      expect(report.removed).toMatchObject({ sessions: 1, tokens: 1, auditEvents: 0, importReports: 0 });
      expect(report.total).toBe(Object.values(report.removed).reduce((sum, count) => sum + count, 0));
      expect(report.now).toEqual(t.clock.now());
      expect((await t.um.auth.validateSession(live)).actor).toEqual({ type: 'user', userId: t.firstUser.id });
      expect(t.purged).toHaveLength(1);
      expect(t.purged[0]).toMatchObject({
        actor: { type: 'system' },
        organizationId: null,
        targetId: null,
        metadata: { removed: report.removed, now: report.now.toISOString() },
      });
      expect((await t.um.maintenance.purge()).total).toBe(0);
    });

    it('keeps a session until its absolute end is longer ago than the window, counting from `now`', async () => {
      const t = await company(makeStorage, { policy: { session: { absoluteTimeoutMs: DAY } } });
      await t.signIn();
      const start = t.clock.now().getTime();
      expect((await t.um.maintenance.purge({ now: new Date(start + 30 * DAY) })).removed.sessions).toBe(0);
      // The session the invitation's acceptance began, and the sign-in's.
      expect((await t.um.maintenance.purge({ now: new Date(start + 32 * DAY) })).removed.sessions).toBe(2);
    });

    it('removes the audit trail and import reports only when the policy gives them a period', async () => {
      const t = await company(makeStorage, { policy: { retention: { auditEventsDays: 30, importReportsDays: 30 } } });
      await t.as(t.firstUser.id).imports.run({
        organizationId: t.organization.id,
        csv: 'email,first_name,last_name\ncarl@example.test,Carl,Import\n',
      });
      const before = await t.operator.audit.list({ organizationId: t.organization.id });
      t.clock.advance(31 * DAY);
      const report = await t.operator.maintenance.purge();
      expect(report.removed.auditEvents).toBeGreaterThanOrEqual(before.items.length);
      expect(report.removed.importReports).toBe(1);
      expect((await t.operator.audit.list({ organizationId: t.organization.id })).items).toEqual([]);
      expect(await t.operator.imports.list(t.organization.id)).toEqual([]);
      // The run's own event is younger than any cutoff: the next run keeps it.
      expect((await t.um.maintenance.purge()).removed.auditEvents).toBe(0);
    });

    it('is the operator’s and the system’s alone', async () => {
      const t = await company(makeStorage);
      expect(await codeOf(t.as(t.firstUser.id).maintenance.purge())).toBe('FORBIDDEN');
      expect(await codeOf(t.operator.maintenance.purge({ now: 'yesterday' as never }))).toBe('VALIDATION_FAILED');
      expect(t.purged).toEqual([]);
    });
  });
}
