import { signToken, type Principal } from '@fbl/auth';
import { residentIdCheckChar } from '@fbl/codes';
import { allMessages, MessageRegistry } from '@fbl/contracts';
import { openDatabase, type Database } from '@fbl/db';
import { InProcessBus } from '@fbl/messaging';
import { createLogger, createMetrics } from '@fbl/observability';
import { FieldProtector, generateKey, reseal } from '@fbl/privacy';
import { buildHttpServer, startService, type RunningService } from '@fbl/service-kit';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@fbl/testing';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CIVIL_AFFAIRS_SEALED, civilAffairsService, protectorKeysOf, type Secrets } from '../src/index.js';

const now = new Date('2026-05-01T02:00:00Z');
const authSecret = 'reseal-test-secret';
const before: Secrets = { authSecret, piiEncryptionKey: generateKey(), piiHashKey: generateKey() };
/** After the switch to the national suite with new keys; the earlier keys still accepted. */
const during: Secrets = { authSecret, suite: 'sm', piiEncryptionKey: generateKey(), piiHashKey: generateKey(), previousEncryptionKeys: [before.piiEncryptionKey], previousHashKeys: [before.piiHashKey] };
/** Once everything is re-sealed the earlier keys are dropped. */
const after: Secrets = { authSecret, suite: 'sm', piiEncryptionKey: during.piiEncryptionKey, piiHashKey: during.piiHashKey };

const idOf = (first17: string) => first17 + residentIdCheckChar(first17);
const PEOPLE = [
  { name: '王秀英', first17: '37170219360105004' },
  { name: '刘建国', first17: '37170219440708005' },
  { name: '买买提·艾力', first17: '37170219450909001' },
  { name: '张桂兰', first17: '37170219380212006' },
  { name: '李淑珍', first17: '37170219400303008' },
];
const admin: Principal = { userId: 'admin-1', role: 'admin' };
const assessor: Principal = { userId: 'assessor-heze', role: 'assessor', divisionCode: '371700' };

/**
 * A switch of suite (standard → sm) and of both keys on a register in use: the re-seal is stopped
 * half-way and the service keeps finding and opening every elder meanwhile; run again, it finishes,
 * and after that the earlier keys are no longer needed. Nothing is lost, nothing readable is left.
 */
describeWithPostgres('civil affairs: re-sealing the register under the national suite and new keys', () => {
  let testDb: TestDatabase;
  let database: Database;
  let running: RunningService | undefined;
  let http: FastifyInstance | undefined;
  const ids: string[] = [];
  const logger = createLogger({ name: 'civil-affairs-reseal-test', level: 'silent' });

  const start = async (secrets: Secrets) => {
    await http?.close();
    await running?.stop();
    const service = civilAffairsService({ database, bus: new InProcessBus(logger), logger, metrics: createMetrics(), registry: new MessageRegistry(allMessages), clock: () => now }, secrets);
    running = await startService(service);
    http = await buildHttpServer({ title: 'civil-affairs', logger, metrics: createMetrics(), readiness: [], plugins: [service.routes!] });
  };
  const call = (method: 'GET' | 'POST', url: string, who: Principal, payload?: object) =>
    http!.inject({ method, url, headers: { authorization: `Bearer ${signToken(who, authSecret, { now, ttlSeconds: 3600 })}` }, ...(payload ? { payload } : {}) });
  /** Every elder found by name and by ID number, and the record opened. */
  const everyoneFound = async () => {
    for (const [i, p] of PEOPLE.entries()) {
      for (const q of [p.name, idOf(p.first17)]) {
        const r = await call('POST', '/api/civil-affairs/elders/search', assessor, { q });
        expect(r.statusCode, r.body).toBe(200);
        expect((r.json() as { elderRef: string }[]).map((e) => e.elderRef), q).toEqual([ids[i]]);
      }
      const record = await call('GET', `/api/civil-affairs/elders/${ids[i]}`, admin);
      expect(record.statusCode, record.body).toBe(200);
      expect(record.body).toContain(p.name);
    }
  };
  const sealedForms = async () =>
    database.rows<{ prefix: string; n: number }>(database.db, sql`select left(name_sealed, 3) as prefix, count(*)::int as n from civil_affairs.elders group by 1 order by 1`);

  beforeAll(async () => {
    testDb = await createTestDatabase('civil_affairs_reseal');
    database = await openDatabase({ url: testDb.url });
    await start(before);
    for (const p of PEOPLE) {
      const birthDate = `${p.first17.slice(6, 10)}-${p.first17.slice(10, 12)}-${p.first17.slice(12, 14)}`;
      const r = await call('POST', '/api/civil-affairs/elders', admin, {
        idNumber: idOf(p.first17), name: p.name, gender: Number(p.first17[16]) % 2 === 1 ? 'male' : 'female', birthDate,
        phone: '13800000000', address: { divisionCode: '371702', line: '牡丹区某街道' }, consent: { healthData: true, givenBy: 'elder' },
      });
      expect(r.statusCode, r.body).toBe(201);
      ids.push((r.json() as { id: string }).id);
    }
  });
  afterAll(async () => {
    await http?.close();
    await running?.stop();
    await database?.close();
    await testDb?.drop();
  });

  it('goes on where an interrupted run stopped, the register usable all along, and then needs the earlier keys no more', async () => {
    expect(await sealedForms()).toEqual([{ prefix: 'v1.', n: 5 }]);
    const protector = new FieldProtector(protectorKeysOf(during));
    // Stopped after the first batch of two rows (as by a crash: that batch committed, nothing after).
    const stop = new Error('stopped');
    await expect(
      reseal(database, CIVIL_AFFAIRS_SEALED, { sealer: protector.sealer, protector }, {
        batch: 2,
        onProgress: (p) => {
          if (p.table === 'civil_affairs.elders' && p.done >= 2) throw stop;
        },
      }),
    ).rejects.toBe(stop);
    expect(await sealedForms()).toEqual([{ prefix: 's1.', n: 2 }, { prefix: 'v1.', n: 3 }]);

    // Meanwhile the service runs on the new suite and keys: every elder found and opened, and a
    // second registration of an ID number not yet re-hashed is still refused.
    await start(during);
    await everyoneFound();
    const again = await call('POST', '/api/civil-affairs/elders', admin, {
      idNumber: idOf(PEOPLE[4]!.first17), name: '李淑珍', gender: 'female', birthDate: '1940-03-03', address: { divisionCode: '371702', line: '某处' }, consent: { healthData: true, givenBy: 'elder' },
    });
    expect(again.statusCode, again.body).toBe(409);

    // Run again: it finishes what is left (the two done rows are left alone), then the assessments.
    const results = await reseal(database, CIVIL_AFFAIRS_SEALED, { sealer: protector.sealer, protector }, { batch: 2 });
    expect(results.find((r) => r.table === 'civil_affairs.elders')).toEqual({ table: 'civil_affairs.elders', done: 5, total: 5, changed: 3 });
    expect(await sealedForms()).toEqual([{ prefix: 's1.', n: 5 }]);
    const [stale] = await database.rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from civil_affairs.elders where id_number_sealed not like 's1.%' or birth_date_sealed not like 's1.%' or address_sealed not like 's1.%' or phone_sealed not like 's1.%'`,
    );
    expect(stale!.n).toBe(0);
    // A third run finds nothing to do.
    expect((await reseal(database, CIVIL_AFFAIRS_SEALED, { sealer: protector.sealer, protector })).every((r) => r.changed === 0)).toBe(true);

    // Without the earlier keys: everything still found and opened.
    await start(after);
    await everyoneFound();
    // Nothing readable in the rows.
    const [text] = await database.rows<{ t: string }>(database.db, sql`select string_agg(e::text, ' ') as t from civil_affairs.elders e`);
    for (const p of PEOPLE) {
      expect(text!.t).not.toContain(p.name);
      expect(text!.t).not.toContain(idOf(p.first17));
    }
  });
});
