import { signToken, type Principal } from '@fbl/auth';
import { residentIdCheckChar } from '@fbl/codes';
import { allMessages, MessageRegistry } from '@fbl/contracts';
import { openDatabase, type Database } from '@fbl/db';
import { InProcessBus } from '@fbl/messaging';
import { createLogger, createMetrics } from '@fbl/observability';
import { generateKey } from '@fbl/privacy';
import { buildHttpServer, startService, type RunningService } from '@fbl/service-kit';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@fbl/testing';
import { testSuite, testTokenKey } from '@fbl/testing/suite';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { civilAffairsService } from '../src/index.js';

const now = new Date('2026-05-01T02:00:00Z');
// The run's suite: under CRYPTO_SUITE=sm (the `sm` test project) SM4 seals, HMAC-SM3 hashes, SM2-SM3 tokens.
const secrets = { authSecret: testTokenKey('divisions-test-secret'), piiEncryptionKey: generateKey(), piiHashKey: generateKey(), suite: testSuite };
const admin: Principal = { userId: 'admin-1', role: 'admin' };
/** A fictional ID number of someone first registered in `division`, born on 15 March 1940 (a woman). */
const idFrom = (division: string, serial = '002') => `${division}19400315${serial}` + residentIdCheckChar(`${division}19400315${serial}`);

describeWithPostgres('civil affairs: elders from every division of the country, old IDs with retired codes', () => {
  let testDb: TestDatabase;
  let database: Database;
  let running: RunningService;
  let http: FastifyInstance;

  const register = (idNumber: string, divisionCode: string, name = '张桂兰') =>
    http.inject({
      method: 'POST',
      url: '/api/civil-affairs/elders',
      headers: { authorization: `Bearer ${signToken(admin, secrets.authSecret, { now, ttlSeconds: 3600 })}` },
      payload: { idNumber, name, gender: 'female', birthDate: '1940-03-15', address: { divisionCode, line: '某街道某社区' }, consent: { healthData: true, givenBy: 'elder' } },
    });
  const find = (idNumber: string) => http.inject({ method: 'POST', url: '/api/civil-affairs/elders/search', headers: { authorization: `Bearer ${signToken(admin, secrets.authSecret, { now, ttlSeconds: 3600 })}` }, payload: { q: idNumber } });

  beforeAll(async () => {
    testDb = await createTestDatabase('civil_affairs');
    database = await openDatabase({ url: testDb.url });
    const logger = createLogger({ name: 'civil-affairs-divisions-test', level: 'silent' });
    const service = civilAffairsService({ database, bus: new InProcessBus(logger), logger, metrics: createMetrics(), registry: new MessageRegistry(allMessages), clock: () => now }, secrets);
    running = await startService(service);
    http = await buildHttpServer({ title: 'civil-affairs', logger, metrics: createMetrics(), readiness: [], plugins: [service.routes!] });
  });
  afterAll(async () => {
    await http?.close();
    await running?.stop();
    await database?.close();
    await testDb?.drop();
  });

  it.each([
    ['370102', '370102', '历下区'], // 济南, whose counties the first table lacked
    ['370202', '370202', '市南区'], // 青岛
    ['370402', '370402', '市中区'], // 枣庄
    ['371002', '371002', '环翠区'], // 威海
    ['110101', '370102', '历下区'], // born in Beijing, living in Jinan
  ])('registers an elder whose ID number is from %s, living in %s (%s)', async (idDivision, home, homeName) => {
    const r = await register(idFrom(idDivision), home);
    expect(r.statusCode, r.body).toBe(201);
    const found = await find(idFrom(idDivision));
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json()).toEqual([expect.objectContaining({ elderRef: (r.json() as { id: string }).id, divisionCode: home, divisionName: homeName })]);
  });

  it.each([
    ['371727', '定陶县, 定陶区 since 2016'],
    ['370882', '兖州市, 兖州区 since 2013'],
    ['330103', '下城区 of Hangzhou, merged in 2021'],
    ['372901', 'an old code of 菏泽地区 that no table here holds'],
  ])('registers an elder whose ID number carries the retired code %s (%s)', async (code) => {
    const r = await register(idFrom(code, '004'), '371702');
    expect(r.statusCode, r.body).toBe(201);
  });

  it('registers an elder who lives outside the province', async () => {
    const r = await register(idFrom('110105', '006'), '110105');
    expect(r.statusCode, r.body).toBe(201);
  });

  it.each([
    ['371727', 'is a retired administrative division'],
    ['371799', 'is not a known administrative division'],
  ])('refuses a home in %s with a problem naming the field', async (code, reason) => {
    const r = await register(idFrom('370102', '008'), code);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const errors = (r.json() as { errors: { field: string; reason: string }[] }).errors;
    expect(errors).toEqual([expect.objectContaining({ field: 'address.divisionCode', reason: expect.stringContaining(reason) })]);
  });
});
