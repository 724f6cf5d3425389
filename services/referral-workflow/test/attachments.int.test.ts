import { signToken } from '@fbl/auth';
import { generateKey } from '@fbl/privacy';
import { describeWithPostgres } from '@fbl/testing';
import { testSealingKeys, testTokenKey } from '@fbl/testing/suite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorkflow, type WorkflowUnderTest } from './harness.js';

/*
 * Attachments on a real PostgreSQL: their bytes sealed, a file that is not what it says refused
 * with nothing stored, and the bytes of an ended referral's attachments deleted after the
 * retention period (the record of each kept), while a live referral's stay.
 */

const HOSPITAL = '0192f3b2-7c1a-7000-8000-0000000000a1';
// The run's suite: under CRYPTO_SUITE=sm (the `sm` test project) SM4 seals and SM2-SM3 tokens.
const secrets = { authSecret: testTokenKey('attachments-test-secret'), encryptionKey: testSealingKeys(generateKey()) };
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\n%%EOF\n`, 'latin1');

describeWithPostgres('referral attachments: sealed, checked, kept for the retention period', () => {
  let workflow: WorkflowUnderTest;
  let now = new Date('2026-06-01T08:00:00Z');

  const planner = () => signToken({ userId: 'planner-a', role: 'planner', institutionId: HOSPITAL }, secrets.authSecret, { now, ttlSeconds: 3600 });
  const inject = (method: 'GET' | 'POST', url: string, payload?: object | Buffer, contentType?: string) =>
    workflow.http.inject({ method, url, headers: { authorization: `Bearer ${planner()}`, ...(contentType ? { 'content-type': contentType } : {}) }, ...(payload ? { payload } : {}) });
  const start = async () => {
    const r = await inject('POST', '/api/referrals', { elderRef: `elder-${Math.random().toString(36).slice(2, 8)}`, origin: { institutionId: HOSPITAL, divisionCode: '371702' }, requestedBedTypes: ['hospice'], packet: { reason: '转安宁疗护' }, consent: { givenBy: 'elder', method: 'written' } });
    expect(r.statusCode, r.body).toBe(202);
    return (r.json() as { id: string }).id;
  };
  const attach = async (id: string, text: string) => {
    const r = await inject('POST', `/api/referrals/${id}/attachments?kind=discharge-summary&name=${encodeURIComponent(`${text}.pdf`)}`, pdf(text), 'application/pdf');
    expect(r.statusCode, r.body).toBe(201);
    return (r.json() as { id: string }).id;
  };
  const contents = async () => (await workflow.database.rows<{ attachment_id: string; sealed: Buffer }>(workflow.database.db, sql`select attachment_id, sealed from referral.attachment_contents`));

  beforeAll(async () => {
    workflow = await startWorkflow('referral_attachments', { ...secrets, attachmentRetentionDays: 90, clock: () => now });
  });
  afterAll(async () => workflow?.stop());

  it('keeps an attachment sealed, and gives back the very bytes', async () => {
    const id = await start();
    const attachmentId = await attach(id, 'sealed-summary-marker');
    const [stored] = (await contents()).filter((c) => c.attachment_id === attachmentId);
    expect(stored).toBeDefined();
    expect(Buffer.from(stored!.sealed).includes(Buffer.from('sealed-summary-marker'))).toBe(false);
    expect(Buffer.from(stored!.sealed).includes(Buffer.from('%PDF'))).toBe(false);
    const names = await workflow.database.rows<{ row: string }>(workflow.database.db, sql`select row_to_json(a)::text as row from referral.attachments a`);
    expect(names.map((n) => n.row).join('\n')).not.toContain('sealed-summary-marker');
    const back = await inject('GET', `/api/referrals/${id}/attachments/${attachmentId}`);
    expect(back.statusCode).toBe(200);
    expect(back.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(back.rawPayload, pdf('sealed-summary-marker'))).toBe(0);
  });

  it('refuses a file that is not what it says, naming the body, and stores nothing of it', async () => {
    const id = await start();
    const before = (await contents()).length;
    const html = await inject('POST', `/api/referrals/${id}/attachments?kind=test-result&name=a.pdf`, Buffer.from('<html><script>x</script></html>'), 'application/pdf');
    expect(html.statusCode).toBe(400);
    expect(html.headers['content-type']).toContain('application/problem+json');
    expect((html.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('body');
    const exe = await inject('POST', `/api/referrals/${id}/attachments?kind=test-result&name=a.png`, Buffer.from('MZ\x90\x00 program'), 'application/octet-stream');
    expect(exe.statusCode).toBe(400);
    expect((await contents()).length).toBe(before);
    expect((await inject('GET', `/api/referrals/${id}/attachments`)).json()).toEqual([]);
  });

  it('deletes the bytes of an ended referral\'s attachments after the retention period, keeping the record, and leaves a live referral\'s', async () => {
    const ended = await start();
    const endedFile = await attach(ended, 'ended');
    const live = await start();
    const liveFile = await attach(live, 'live');
    expect((await inject('POST', `/api/referrals/${ended}/cancel`, { reason: 'duplicate' })).statusCode).toBe(200);

    expect(await workflow.service.attachments.purgeExpired()).toBe(0);
    now = new Date(now.getTime() + 89 * 86_400_000);
    expect(await workflow.service.attachments.purgeExpired()).toBe(0);
    now = new Date(now.getTime() + 2 * 86_400_000);
    expect(await workflow.service.attachments.purgeExpired()).toBeGreaterThanOrEqual(1);

    const kept = (await contents()).map((c) => c.attachment_id);
    expect(kept).not.toContain(endedFile);
    expect(kept).toContain(liveFile);
    const [record] = await workflow.database.rows<{ deleted_reason: string }>(workflow.database.db, sql`select deleted_reason from referral.attachments where id = ${endedFile}`);
    expect(record?.deleted_reason).toBe('retention');
    expect((await inject('GET', `/api/referrals/${ended}/attachments/${endedFile}`)).statusCode).toBe(404);
    expect((await inject('GET', `/api/referrals/${ended}/attachments`)).json()).toEqual([]);
    expect((await inject('GET', `/api/referrals/${live}/attachments/${liveFile}`)).statusCode).toBe(200);
  });
});
