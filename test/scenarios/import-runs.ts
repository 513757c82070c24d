import { describe, expect, it } from 'vitest';
import type { Storage } from '../../src/index.js';
import { type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

const MINUTE = 60_000;

const csv = (...rows: string[]) => `email,first_name,last_name,roles\n${rows.join('\n')}\n`;

export function describeImportRuns(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: import runs`, () => {
    it('records an update of access from a file as users.setAccess records it', async () => {
      const t = await makeTenantry(makeStorage);
      const { organization, firstUser } = await t.operator.organizations.create({
        name: 'Acme',
        firstUser: person('Ann', 'Admin'),
      });
      const ann = t.as(firstUser.id);
      const { user: bob } = await ann.users.add({ organizationId: organization.id, ...person('Bob', 'Basic') });
      const accessChanges: string[] = [];
      t.um.on('user.permissions.changed', (event) => {
        if (event.targetId) accessChanges.push(event.targetId);
      });
      const report = await ann.imports.run({
        organizationId: organization.id,
        csv: csv(`${bob.email},Robert,Basic,advanced`),
        mode: 'update',
      });
      expect(report.updated).toBe(1);
      const trail = await ann.audit.list({ organizationId: organization.id, targetId: bob.id });
      const byAction = Object.fromEntries(trail.items.map((event) => [event.action, event]));
      expect(byAction['user.permissions.changed']).toMatchObject({
        changes: { roles: { before: [], after: ['advanced'] } },
        metadata: { importId: report.id },
      });
      expect(byAction['user.updated']).toMatchObject({
        changes: { firstName: { before: 'Bob', after: 'Robert' } },
        metadata: { importId: report.id },
      });
      expect(accessChanges).toEqual([bob.id]);
    });

    it('keeps the report from the start, batch by batch, and reads it interrupted once its run died', async () => {
      const storage = await makeStorage();
      let frozen = false;
      // A process that dies after its second batch: from then on its transactions never finish.
      const dying: Storage = {
        ...storage,
        transaction: (work) => (frozen ? new Promise(() => undefined) : storage.transaction(work)),
      };
      const t = await makeTenantry(async () => dying);
      const { organization, firstUser } = await t.operator.organizations.create({
        name: 'Acme',
        firstUser: { ...person('Ann', 'Admin'), invite: false },
      });
      const rows = Array.from({ length: 1_600 }, (_, index) => `row.${index}@example.test,Row,Number${index},basic`);
      const died = new Promise<void>((resolve) => {
        void t.as(firstUser.id).imports.run({
          organizationId: organization.id,
          csv: csv(...rows),
          invite: true,
          onProgress: ({ processed }) => {
            if (processed < 1_000) return;
            frozen = true;
            resolve();
          },
        });
      });
      const survivor = await makeTenantry(async () => storage);
      survivor.clock.set(t.clock.now());
      const reports = async () => survivor.as(firstUser.id).imports.list(organization.id);
      await died;
      const [running] = await reports();
      expect(running).toMatchObject({ status: 'running', created: 1_000, total: 1_600, finishedAt: null });
      survivor.clock.advance(6 * MINUTE);
      const [interrupted] = await reports();
      expect(interrupted).toMatchObject({ status: 'interrupted', created: 1_000 });
      // The committed batches' invitations are in the outbox: every one of those users gets exactly one.
      for (let pass = 0; pass < 10; pass++) {
        if ((await survivor.um.outbox.deliverPending({ limit: 500 })).remaining === 0) break;
      }
      // The dying process may have sent some before it died (and one may go twice: it died before noting it
      // sent); a receiver drops the repeat by its id, so each user has exactly one invitation.
      const invitations = [...t.mailer.outbox, ...survivor.mailer.outbox].filter((mail) => mail.kind === 'invitation');
      const idsByAddress = new Map<string, Set<string>>();
      for (const mail of invitations)
        idsByAddress.set(mail.to, (idsByAddress.get(mail.to) ?? new Set()).add(String(mail.id)));
      expect(idsByAddress.size).toBe(1_000);
      expect([...idsByAddress.values()].every((ids) => ids.size === 1)).toBe(true);
      // Running the file again in skip mode finishes it.
      const again = await survivor.as(firstUser.id).imports.run({
        organizationId: organization.id,
        csv: csv(...rows),
        invite: true,
      });
      expect([again.status, again.created, again.skipped]).toEqual(['finished', 600, 1_000]);
    });
  });
}
