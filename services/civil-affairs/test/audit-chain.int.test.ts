import { signToken, type Principal } from '@fbl/auth';
import { residentIdCheckChar } from '@fbl/codes';
import { allMessages, MessageRegistry } from '@fbl/contracts';
import { openDatabase, type Database } from '@fbl/db';
import { InProcessBus } from '@fbl/messaging';
import { createLogger, createMetrics } from '@fbl/observability';
import { archiveLog, chainPass, generateKey, verifyArchivedLinks, verifyChain, type ArchivedLink, type ChainHead } from '@fbl/privacy';
import { auditLogConfig, buildHttpServer, runAuditLogCommand, startService, type RunningService } from '@fbl/service-kit';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@fbl/testing';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { civilAffairsService, type Secrets } from '../src/index.js';

let now = new Date('2026-03-01T02:00:00Z');
const secrets: Secrets = { authSecret: 'audit-chain-test-secret', piiEncryptionKey: generateKey(), piiHashKey: generateKey(), suite: 'sm' };
const admin: Principal = { userId: 'admin-1', role: 'admin' };
const LOG = { schema: 'civil_affairs', log: 'audit_log' } as const;
const idOf = (first17: string) => first17 + residentIdCheckChar(first17);

/**
 * The register's audit log under an SM3 hash chain: intact it verifies; a row changed, a row
 * deleted, a row slipped in behind the chain, or the last links cut are each found and named; rows
 * are deleted only by archiving them first, and the archive verifies on its own.
 */
describeWithPostgres('civil affairs: the tamper-evident audit log', () => {
  let testDb: TestDatabase;
  let database: Database;
  let running: RunningService;
  let http: FastifyInstance;
  const folder = mkdtempSync(join(tmpdir(), 'audit-archive-'));
  const env = () => ({ DATABASE_URL: testDb.url, AUDIT_RETENTION_DAYS: '180' });
  const printed: string[] = [];
  const command = (...argv: string[]) => runAuditLogCommand(argv, auditLogConfig(env()), (line) => printed.push(line));
  /** Run statements as someone with the database's keys would, around the triggers. */
  const tamper = async (table: string, statement: ReturnType<typeof sql>) => {
    await database.db.execute(sql.raw(`alter table civil_affairs.${table} disable trigger user`));
    try {
      await database.db.execute(statement);
    } finally {
      await database.db.execute(sql.raw(`alter table civil_affairs.${table} enable trigger user`));
    }
  };
  const register = async (first17: string, name: string) => {
    const r = await http.inject({
      method: 'POST',
      url: '/api/civil-affairs/elders',
      headers: { authorization: `Bearer ${signToken(admin, secrets.authSecret, { now, ttlSeconds: 3600 })}` },
      payload: { idNumber: idOf(first17), name, gender: Number(first17[16]) % 2 === 1 ? 'male' : 'female', birthDate: `${first17.slice(6, 10)}-${first17.slice(10, 12)}-${first17.slice(12, 14)}`, address: { divisionCode: '371702', line: '某街道' }, consent: { healthData: true, givenBy: 'elder' } },
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = (r.json() as { id: string }).id;
    const read = await http.inject({ method: 'GET', url: `/api/civil-affairs/elders/${id}`, headers: { authorization: `Bearer ${signToken(admin, secrets.authSecret, { now, ttlSeconds: 3600 })}` } });
    expect(read.statusCode).toBe(200);
  };
  /**
   * Link every row written so far. A row is linked once every transaction older than its own has
   * finished anywhere on the server (other databases' too), so this may take more than one pass.
   */
  const linkAll = () =>
    expect.poll(async () => {
      await chainPass(database, LOG, 'sm');
      return (await verifyChain(database, LOG)).pending;
    }, { timeout: 120_000, interval: 200 }).toBe(0);
  const seqs = async () => (await database.rows<{ seq: number }>(database.db, sql`select seq::int as seq from civil_affairs.audit_log order by seq`)).map((r) => r.seq);

  beforeAll(async () => {
    testDb = await createTestDatabase('civil_affairs_audit_chain');
    database = await openDatabase({ url: testDb.url });
    const logger = createLogger({ name: 'audit-chain-test', level: 'silent' });
    const service = civilAffairsService({ database, bus: new InProcessBus(logger), logger, metrics: createMetrics(), registry: new MessageRegistry(allMessages), clock: () => now }, secrets);
    running = await startService(service);
    http = await buildHttpServer({ title: 'civil-affairs', logger, metrics: createMetrics(), readiness: [], plugins: [service.routes!] });
    // Two registrations in March, two in May: each writes its own audit rows (register, read).
    await register('37170219360105004', '王秀英');
    await register('37170219440708005', '刘建国');
    now = new Date('2026-05-01T02:00:00Z');
    await register('37170219450909001', '买买提·艾力');
    await register('37170219380212006', '张桂兰');
  });
  afterAll(async () => {
    await http?.close();
    await running?.stop();
    await database?.close();
    await testDb?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('links every finished row with SM3 and verifies intact, also against a head recorded before', async () => {
    await linkAll();
    const rows = await seqs();
    expect(rows.length).toBeGreaterThanOrEqual(8);
    const result = await verifyChain(database, LOG);
    expect(result).toMatchObject({ ok: true, checked: rows.length, pending: 0, problems: [] });
    expect(result.head!.hash).toMatch(/^sm3:[0-9a-f]{64}$/);
    const links = await database.rows<{ seq: number }>(database.db, sql`select seq::int as seq from civil_affairs.audit_chain order by position`);
    expect(links.map((l) => l.seq)).toEqual(rows);
    expect(await command('verify', '--head', `civil_affairs.audit_log@${result.head!.position}=${result.head!.hash}`)).toBe(0);
    expect(printed.at(-1)).toContain(`civil_affairs.audit_log: intact, ${rows.length} links`);
    expect(await command('verify', '--head', `civil_affairs.audit_log@${result.head!.position}=sm3:${'0'.repeat(64)}`)).toBe(1);
  });

  it('refuses a change or a deletion of a row or a link outside archiving', async () => {
    const [first] = await seqs();
    await expect(database.db.execute(sql`update civil_affairs.audit_log set actor = 'x' where seq = ${first}`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from civil_affairs.audit_log where seq = ${first}`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from civil_affairs.audit_chain`)).rejects.toThrow();
    await expect(database.db.execute(sql`update civil_affairs.audit_chain set hash = 'x'`)).rejects.toThrow();
  });

  it('finds a changed row, a row slipped in behind the chain, and links cut from the end', async () => {
    const rows = await seqs();
    const changed = rows[2]!;
    await tamper('audit_log', sql`update civil_affairs.audit_log set actor = 'someone-else' where seq = ${changed}`);
    const found = await verifyChain(database, LOG);
    expect(found.ok).toBe(false);
    expect(found.problems).toEqual([{ kind: 'changed', position: expect.any(Number), seq: changed }]);
    expect(await command('verify')).toBe(1);
    expect(printed.at(-1)).toContain(`row ${changed} (link`);
    await tamper('audit_log', sql`update civil_affairs.audit_log set actor = 'admin-1' where seq = ${changed}`);
    expect((await verifyChain(database, LOG)).ok).toBe(true);

    // A row inserted with an old transaction id, so that the chain would pass over it.
    const [forged] = await database.rows<{ seq: number }>(
      database.db,
      sql`insert into civil_affairs.audit_log (at, actor, role, action, object_type, object_id, outcome, xid) values (now(), 'admin-1', 'admin', 'read', 'elder', 'x', 'allowed', '3'::xid8) returning seq::int as seq`,
    );
    expect((await verifyChain(database, LOG)).problems).toEqual([{ kind: 'unlinked', seq: forged!.seq }]);
    await tamper('audit_log', sql`delete from civil_affairs.audit_log where seq = ${forged!.seq}`);

    // The last link cut away: the head kept with the chain no longer matches, and its row is left without a link.
    const before = (await verifyChain(database, LOG)).head!;
    const [cut] = await database.rows<{ position: number; seq: number; hash: string; log: string }>(database.db, sql`select position::int as position, seq::int as seq, hash, log from civil_affairs.audit_chain order by position desc limit 1`);
    await tamper('audit_chain', sql`delete from civil_affairs.audit_chain where position = ${cut!.position}`);
    const cutResult = await verifyChain(database, LOG);
    expect(cutResult.problems).toEqual([
      { kind: 'head', expected: before, found: { position: before.position - 1, hash: expect.any(String) } },
      { kind: 'unlinked', seq: cut!.seq },
    ]);
    await tamper('audit_chain', sql`insert into civil_affairs.audit_chain (position, log, seq, hash) overriding system value values (${cut!.position}, ${cut!.log}, ${cut!.seq}, ${cut!.hash})`);
    expect((await verifyChain(database, LOG)).ok).toBe(true);
  });

  it('archives the rows older than a day to a file first, then deletes them; the rest verifies from the new anchor and the archive on its own', async () => {
    await linkAll();
    const all = await seqs();
    const march = (await database.rows<{ seq: number }>(database.db, sql`select seq::int as seq from civil_affairs.audit_log where at < '2026-04-01' order by seq`)).map((r) => r.seq);
    expect(march.length).toBeGreaterThan(0);
    expect(march.length).toBeLessThan(all.length);
    // The command keeps the retention: a cut within 180 days is refused.
    expect(await command('archive', '--before', new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10), '--to', join(folder, 'refused.jsonl'))).toBe(2);
    let header: { anchor: ChainHead | null } | undefined;
    let archived: readonly ArchivedLink[] = [];
    const result = await archiveLog(database, LOG, { before: new Date('2026-04-01T00:00:00Z'), write: async (h, links) => { header = h; archived = links; } });
    expect(result.archived).toBe(march.length);
    expect(archived.map((l) => l.seq)).toEqual(march);
    expect(verifyArchivedLinks(header!.anchor, 'audit_log', archived)).toBeNull();
    expect(verifyArchivedLinks(header!.anchor, 'audit_log', archived.map((l, i) => (i === 1 ? { ...l, row: l.row.replace('admin-1', 'admin-2') } : l)))).toBe(archived[1]!.position);
    expect(await seqs()).toEqual(all.filter((s) => !march.includes(s)));
    const after = await verifyChain(database, LOG);
    expect(after.problems).toEqual([]);
    expect(after).toMatchObject({ ok: true, checked: all.length - march.length });

    // Through the command, into a file: everything before a day long past (nothing left that old).
    const file = join(folder, 'archive.jsonl');
    expect(await command('archive', '--before', '2026-04-01', '--to', file)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('');
    // A row deleted now (not archived) is found.
    const gone = (await seqs())[0]!;
    await tamper('audit_log', sql`delete from civil_affairs.audit_log where seq = ${gone}`);
    expect((await verifyChain(database, LOG)).problems).toEqual([{ kind: 'deleted', position: expect.any(Number), seq: gone }]);
  });
});
