import type { ImportReport, Storage } from '../adapter-kit/index.js';
import { at, organizationRecord, importReportRecord as report, userRecord } from './records.js';
import type { MakeStorage } from './storage-contract.js';
import type { VitestApi } from './vitest-api.js';

/** What imports need of storage: users by many addresses, users written in batches, and the import history. */
export function describeImportContract(vitest: VitestApi, name: string, makeStorage: MakeStorage): void {
  const { beforeEach, describe, expect, it } = vitest;
  describe(`${name} storage: batches and import history`, () => {
    let storage: Storage;
    const organization = organizationRecord();
    beforeEach(async () => {
      storage = await makeStorage();
      await storage.transaction((tx) => tx.organizations.insert(organization));
    });

    it('writes users in a batch and finds them by many ids, or many addresses whatever their case', async () => {
      const users = Array.from({ length: 1_203 }, (_, index) =>
        userRecord(organization.id, { email: `Batch.${index}@Example.test` }),
      );
      await storage.transaction((tx) => tx.users.insertMany(users));
      const found = await storage.transaction((tx) =>
        tx.users.getByEmails([
          'batch.0@example.test',
          'BATCH.1202@EXAMPLE.TEST',
          'batch.0@example.test',
          'nobody@x.test',
        ]),
      );
      expect(found.map((user) => user.id).sort()).toEqual([users[0]?.id, users[1202]?.id].sort());
      expect(await storage.transaction((tx) => tx.users.get(users[600]?.id as string))).toEqual(users[600]);
      const byId = await storage.transaction((tx) =>
        tx.users.getMany([users[5]?.id as string, 'usr_nobody', users[1200]?.id as string, users[5]?.id as string]),
      );
      expect(byId.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
        [users[5], users[1200]].sort((a, b) => (a?.id ?? '').localeCompare(b?.id ?? '')),
      );
      expect(await storage.transaction((tx) => tx.users.getMany([]))).toEqual([]);
    });

    it('refuses a batch with a taken address as a whole, inside its transaction', async () => {
      const taken = userRecord(organization.id, { email: 'taken@example.test' });
      await storage.transaction((tx) => tx.users.insert(taken));
      const batch = [userRecord(organization.id), userRecord(organization.id, { email: 'TAKEN@example.test' })];
      const error = await storage.transaction((tx) => tx.users.insertMany(batch)).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'EMAIL_TAKEN' });
      expect(await storage.transaction((tx) => tx.users.get(batch[0]?.id as string))).toBeNull();
    });

    it('writes one-time tokens in a batch, each with its own origin and consumed once', async () => {
      const origins = ['bulk', 'admin', 'self-service'] as const;
      const tokens = Array.from({ length: 1_001 }, (_, index) => ({
        digest: index.toString(16).padStart(64, '0'),
        userId: `usr_${index}`,
        organizationId: organization.id,
        purpose: 'invitation' as const,
        origin: origins[index % 3] as (typeof origins)[number],
        createdAt: at(0),
        expiresAt: at(3_600_000),
        consumedAt: null,
      }));
      await storage.transaction((tx) => tx.tokens.insertMany(tokens));
      for (const index of [0, 1, 2, 999]) {
        expect(await storage.transaction((tx) => tx.tokens.get(tokens[index]?.digest as string))).toEqual(
          tokens[index],
        );
      }
      const count = (origin: (typeof origins)[number]) =>
        storage.transaction((tx) =>
          tx.tokens.countIssued({
            organizationId: organization.id,
            purposes: ['invitation'],
            origins: [origin],
            since: at(0),
          }),
        );
      expect([await count('bulk'), await count('admin'), await count('self-service')]).toEqual([334, 334, 333]);
      const last = tokens[1_000]?.digest as string;
      expect(await storage.transaction((tx) => tx.tokens.get(last))).toEqual(tokens[1_000]);
      expect(await storage.transaction((tx) => tx.tokens.consume(last, at(1)))).toBe(true);
      expect(await storage.transaction((tx) => tx.tokens.consume(last, at(2)))).toBe(false);
    });

    it('keeps when a report was last written, batch after batch, and that a run was interrupted', async () => {
      const started = report({ id: 'imp_1', startedAt: at(1_000), updatedAt: at(1_000) });
      await storage.transaction((tx) => tx.imports.insert(started));
      const afterBatch = { ...started, created: 2, updatedAt: at(1_250) };
      await storage.transaction((tx) => tx.imports.update(afterBatch));
      expect(await storage.transaction((tx) => tx.imports.get('imp_1'))).toEqual(afterBatch);
      const interrupted: ImportReport = { ...afterBatch, status: 'interrupted', updatedAt: at(90_000) };
      await storage.transaction((tx) => tx.imports.update(interrupted));
      expect(await storage.transaction((tx) => tx.imports.get('imp_1'))).toEqual(interrupted);
      expect(await storage.transaction((tx) => tx.imports.list('org_a', 10))).toEqual([interrupted]);
    });

    it('keeps import reports, updates them, and lists an organization’s newest first', async () => {
      const first = report({ id: 'imp_1', startedAt: at(1_000) });
      const second = report({ id: 'imp_2', startedAt: at(2_000), dryRun: true, mode: 'update' });
      await storage.transaction(async (tx) => {
        await tx.imports.insert(first);
        await tx.imports.insert(second);
        await tx.imports.insert(report({ id: 'imp_3', organizationId: 'org_other' }));
      });
      const finished: ImportReport = {
        ...first,
        status: 'finished',
        created: 1,
        skipped: 1,
        failed: 1,
        exceptions: [
          { row: 3, email: 'bad@x', code: 'VALIDATION_FAILED', message: 'email: Enter one valid email address' },
        ],
        updatedAt: at(1_500),
        finishedAt: at(1_500),
      };
      await storage.transaction((tx) => tx.imports.update(finished));
      expect(await storage.transaction((tx) => tx.imports.get('imp_1'))).toEqual(finished);
      expect(await storage.transaction((tx) => tx.imports.get('imp_404'))).toBeNull();
      const listed = await storage.transaction((tx) => tx.imports.list('org_a', 10));
      expect(listed.map((item) => item.id)).toEqual(['imp_2', 'imp_1']);
      expect(await storage.transaction((tx) => tx.imports.list('org_a', 1))).toEqual([second]);
    });
  });
}
