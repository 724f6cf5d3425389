import { describe, expect, it } from 'vitest';
import {
  AssessAbility,
  BedHoldRejected,
  EmergencyTransferRequested,
  HomeCareStatementIssued,
  HomeVisitCompleted,
  MessageRegistry,
  ReserveBed,
  allMessages,
  createMessage,
  dlqTopic,
  eventsTopic,
  commandsTopic,
} from '../src/index.js';

const registry = new MessageRegistry(allMessages);
const referralId = '0192f3b2-7c1a-7000-8000-000000000001';
const institutionId = '0192f3b2-7c1a-7000-8000-000000000002';

describe('message registry', () => {
  it('builds envelopes that decode back to the same data', () => {
    const message = createMessage(ReserveBed, institutionId, { referralId, institutionId, bedType: 'care', elderRef: 'e-1' }, { source: 'referral-workflow', correlationId: referralId });
    expect(message.topic).toBe('beds.commands');
    expect(createMessage(ReserveBed, institutionId, { referralId, institutionId, bedType: 'care', elderRef: 'e-1' }, { source: 'x' }, { topic: 'care-beds.commands' }).topic).toBe('care-beds.commands');
    expect(message.key).toBe(institutionId);
    const decoded = registry.decode(JSON.parse(JSON.stringify(message.envelope)));
    expect(decoded).toMatchObject({ ok: true, envelope: { type: 'ReserveBed', data: { referralId, institutionId }, correlationId: referralId } });
  });

  it('upcasts version 1 of BedHoldRejected to version 2', () => {
    const v1 = {
      ...createMessage(BedHoldRejected, institutionId, { referralId, institutionId, bedType: 'care', reasonCode: 'other' }, { source: 'care-beds' }).envelope,
      version: 1,
      data: { referralId, institutionId, reason: 'ward closed for disinfection' },
    };
    const decoded = registry.decode(v1);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.envelope.version).toBe(2);
    expect(decoded.envelope.data).toEqual({ referralId, institutionId, bedType: 'care', reasonCode: 'other', detail: 'ward closed for disinfection' });
  });

  it('carries the urgency of an assessment request when given, and reads one without it (as before it existed)', () => {
    const elderRef = '0192f3b2-7c1a-7000-8000-000000000003';
    const green = createMessage(AssessAbility, elderRef, { elderRef, referralId, reason: 'immediate', urgency: 'green-channel' }, { source: 'referral-workflow' });
    expect(registry.decode(JSON.parse(JSON.stringify(green.envelope)))).toMatchObject({ ok: true, envelope: { version: 1, data: { urgency: 'green-channel' } } });
    const before = createMessage(AssessAbility, elderRef, { elderRef, referralId, reason: 'immediate' }, { source: 'referral-workflow' });
    const decoded = registry.decode(JSON.parse(JSON.stringify(before.envelope)));
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(decoded.envelope.data).toEqual({ elderRef, referralId, reason: 'immediate' });
    expect(registry.decode({ ...green.envelope, data: { ...green.envelope.data as object, urgency: 'urgent' } })).toMatchObject({ ok: false, reason: expect.stringContaining('/urgency') });
  });

  it('carries an urgent transfer with its reason sealed, still reads one with the reason in clear (as before), and refuses a bad one', () => {
    const data = {
      transferId: '0192f3b2-7c1a-7000-8000-000000000020', admissionId: '0192f3b2-7c1a-7000-8000-000000000021', referralId: null, institutionId, bedType: 'care' as const,
      elderRef: 'e-1', divisionCode: '371702', bedKept: true, hospitalInstitutionId: '0192f3b2-7c1a-7000-8000-000000000022', requestedAt: '2026-12-01T01:00:00.000Z',
    };
    const decode = (extra: object) => registry.decode(JSON.parse(JSON.stringify({ ...createMessage(EmergencyTransferRequested, institutionId, data, { source: 'care-beds' }).envelope, data: { ...data, ...extra } })));
    const sealed = decode({ reasonSealed: 'v1.opaque-sealed-text' });
    expect(sealed).toMatchObject({ ok: true, envelope: { type: 'EmergencyTransferRequested', data: { reasonSealed: 'v1.opaque-sealed-text' } } });
    if (sealed.ok) expect(sealed.envelope.data).not.toHaveProperty('reason');
    const older = decode({ reason: '突发高热伴意识模糊' });
    expect(older).toMatchObject({ ok: true, envelope: { data: { reason: '突发高热伴意识模糊' } } });
    if (older.ok) expect(older.envelope.data).not.toHaveProperty('reasonSealed');
    expect(decode({ reasonSealed: '' })).toMatchObject({ ok: false, reason: expect.stringContaining('/reasonSealed') });
    expect(decode({ reason: 'x'.repeat(501) })).toMatchObject({ ok: false, reason: expect.stringContaining('/reason') });
  });

  it('carries a home visit on the provider topic, and a statement with its lines in minutes and fen', () => {
    const visitId = '0192f3b2-7c1a-7000-8000-000000000010';
    const elderRef = '0192f3b2-7c1a-7000-8000-000000000003';
    const visit = {
      visitId, elderRef, divisionCode: '371082', institutionId, bedType: 'home-care' as const, purpose: 'service' as const, channel: 'home' as const,
      windowStart: '2026-12-01T01:00:00.000Z', windowEnd: '2026-12-01T03:00:00.000Z', checkedInAt: '2026-12-01T01:10:00.000Z', checkedOutAt: '2026-12-01T02:10:00.000Z',
      minutes: 60, items: [{ code: 'bathing', minutes: 40 }, { code: 'cleaning', minutes: 20 }], confirmation: 'signature' as const, late: false,
    };
    const message = createMessage(HomeVisitCompleted, visitId, visit, { source: 'home-care-beds' }, { topic: 'home-care-beds.events' });
    expect(message.topic).toBe('home-care-beds.events');
    expect(registry.decode(JSON.parse(JSON.stringify(message.envelope)))).toMatchObject({ ok: true, envelope: { data: visit } });
    expect(registry.decode({ ...message.envelope, data: { ...visit, channel: 'letter' } })).toMatchObject({ ok: false, reason: expect.stringContaining('/channel') });
    const statement = createMessage(
      HomeCareStatementIssued, visitId,
      { statementId: visitId, institutionId, month: '2026-11', rulesVersion: 'rushan-2023', rateFen: 2000, lines: [{ elderRef, divisionCode: '371082', entitledMinutes: 3600, deliveredMinutes: 3600, amountFen: 120000 }], issuedAt: '2026-12-01T00:00:00.000Z' },
      { source: 'civil-affairs' },
    );
    expect(statement.topic).toBe('civil-affairs.events');
    expect(registry.decode({ ...statement.envelope, data: { ...statement.envelope.data as object, month: '2026-13' } })).toMatchObject({ ok: false, reason: expect.stringContaining('/month') });
  });

  it('names the failing field of invalid data', () => {
    const message = createMessage(ReserveBed, institutionId, { referralId, institutionId, bedType: 'care', elderRef: 'e-1' }, { source: 'x' });
    const decoded = registry.decode({ ...message.envelope, data: { referralId: 'not-a-uuid' } });
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.reason).toContain('/referralId');
    expect(decoded.reason).toContain('/institutionId is required');
  });

  it('refuses unknown types, newer versions and broken envelopes', () => {
    const message = createMessage(ReserveBed, institutionId, { referralId, institutionId, bedType: 'care', elderRef: 'e-1' }, { source: 'x' });
    expect(registry.decode({ ...message.envelope, type: 'Nope' })).toMatchObject({ ok: false, reason: 'unknown message type Nope' });
    expect(registry.decode({ ...message.envelope, version: 9 })).toMatchObject({ ok: false });
    expect(registry.decode({ hello: 'world' })).toMatchObject({ ok: false, reason: expect.stringContaining('invalid envelope') });
  });

  it('names topics by context', () => {
    expect(eventsTopic('care-beds')).toBe('care-beds.events');
    expect(commandsTopic('referral')).toBe('referral.commands');
    expect(dlqTopic('care-beds.events')).toBe('care-beds.events.dlq');
  });
});
