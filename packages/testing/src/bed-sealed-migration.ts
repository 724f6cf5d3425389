import { bedService, type BedTypePolicy } from '@fbl/bed-inventory';
import { allMessages, MessageRegistry, newId } from '@fbl/contracts';
import { openDatabase } from '@fbl/db';
import { InProcessBus } from '@fbl/messaging';
import { createLogger, createMetrics } from '@fbl/observability';
import { generateKey, Sealer } from '@fbl/privacy';
import { startService } from '@fbl/service-kit';
import { sql } from 'drizzle-orm';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { testCreditCode } from './credit-code.js';
import { createTestDatabase } from './databases.js';
import { testSealingKeys } from './suite.js';
import { waitFor } from './wait-for.js';

/**
 * Health text the bed service wrote in clear before it was sealed (migration `0006_sealed_stay_text`)
 * is moved to the sealed columns when the service starts: the migrations up to it on a database of
 * its own, a stay with a service plan and a discharge reason, a transfer and a stage review written
 * in clear, then the service started.
 */
export function sealedLeftoversMigrationCase(policy: BedTypePolicy, unitKind: 'bed' | 'slot', divisionCode: string): void {
  it('seals the health text written in clear before it was sealed, when the service starts', async () => {
    const testDb = await createTestDatabase(`${policy.dbSchema}_sealing`);
    const database = await openDatabase({ url: testDb.url });
    const logger = createLogger({ name: `${policy.service}-sealing-migration`, level: 'silent' });
    const deps = { database, bus: new InProcessBus(logger), logger, metrics: createMetrics(), registry: new MessageRegistry(allMessages), clock: () => new Date() };
    const sealing = testSealingKeys(generateKey());
    const service = bedService(policy, deps, { authSecret: 'sealing-migration', sealing });
    const before = await mkdtemp(join(tmpdir(), 'bed-migrations-before-sealing-'));
    const schema = sql.identifier(policy.dbSchema);
    let running: Awaited<ReturnType<typeof startService>> | undefined;
    try {
      // Given the schema as it was before sealing, with a discharged stay, its transfer and a review in clear,
      await cp(service.migrationsFolder, before, { recursive: true });
      const journal = JSON.parse(await readFile(join(before, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
      const at = journal.entries.findIndex((e) => e.tag === '0006_sealed_stay_text');
      expect(at).toBeGreaterThan(0);
      await writeFile(join(before, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
      await database.migrate({ folder: before, table: service.migrationsTable, ...(service.migrationsRenameSchema ? { renameSchema: service.migrationsRenameSchema } : {}) });
      const [institutionId, unitId, holdId, stayId, transferId, reviewId, referralId] = Array.from({ length: 7 }, () => newId());
      await database.db.execute(sql`insert into ${schema}.institutions (id, name, credit_code, division_code, kind, ownership, capabilities, service_area, green_channel_partners, created_at)
        values (${institutionId}, '封存迁移测试机构', ${testCreditCode(divisionCode)}, ${divisionCode}, 'any', 'private', '[]', '[]', '[]', now())`);
      await database.db.execute(sql`insert into ${schema}.units (id, institution_id, kind, label, ordinal, attributes, status) values (${unitId}, ${institutionId}, ${unitKind}, '1', 1, '{}'::jsonb, 'free')`);
      await database.db.execute(sql`insert into ${schema}.holds (id, referral_id, elder_ref, institution_id, unit_id, status, expires_at, created_at) values (${holdId}, ${referralId}, 'elder-sealing', ${institutionId}, ${unitId}, 'admitted', now(), now())`);
      await database.db.execute(sql`insert into ${schema}.stays (id, hold_id, referral_id, elder_ref, institution_id, unit_id, status, admitted_at, service_plan, discharged_at, discharge_reason)
        values (${stayId}, ${holdId}, ${referralId}, 'elder-sealing', ${institutionId}, ${unitId}, 'discharged', now(), '{"services": ["助浴"], "visitsPerWeek": 2}'::jsonb, now(), 'died')`);
      await database.db.execute(sql`insert into ${schema}.transfers (id, stay_id, reason, bed_kept, requested_at) values (${transferId}, ${stayId}, '突发脑卒中', false, now())`);
      await database.db.execute(sql`insert into ${schema}.episode_reviews (id, stay_id, condition, decision, reviewed_by, reviewed_at, next_review_due_at) values (${reviewId}, ${stayId}, 'worse', 'prepare-closing', 'doctor-1', now(), now())`);

      // when the service starts (the rest of the migrations, then its jobs),
      running = await startService(service);

      // then the clear columns are empty and the sealed ones hold the same text.
      const row = async () => (await database.rows<Record<string, string | null>>(database.db, sql`select s.service_plan::text as plan, s.discharge_reason, s.service_plan_sealed, s.discharge_reason_sealed, t.reason, t.reason_sealed, r.condition, r.decision, r.condition_sealed, r.decision_sealed
        from ${schema}.stays s join ${schema}.transfers t on t.stay_id = s.id join ${schema}.episode_reviews r on r.stay_id = s.id where s.id = ${stayId}`))[0]!;
      // (stays, transfers and reviews are moved in that order, reviews last)
      const moved = await waitFor(async () => {
        const found = await row();
        return found['decision_sealed'] ? found : undefined;
      }, { what: 'the clear text sealed' });
      expect([moved['plan'], moved['discharge_reason'], moved['reason'], moved['condition'], moved['decision']]).toEqual([null, null, null, null, null]);
      const sealer = new Sealer(sealing);
      expect(JSON.parse(sealer.open(moved['service_plan_sealed']!))).toEqual({ services: ['助浴'], visitsPerWeek: 2 });
      expect([moved['discharge_reason_sealed'], moved['reason_sealed'], moved['condition_sealed'], moved['decision_sealed']].map((v) => sealer.open(v!))).toEqual(['died', '突发脑卒中', 'worse', 'prepare-closing']);
    } finally {
      await running?.stop();
      await rm(before, { recursive: true, force: true });
      await database.close();
      await testDb.drop();
    }
  });
}
