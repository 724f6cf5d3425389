import { auditAppendOnlySql } from '@fbl/privacy';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentProblem, sniffMediaType } from '../src/domain/attachments.js';
import { ageBand, clinicalPart, disclosureOf, factsDiffer, factsOfPacket, missingFacts, packetAccessOf, splitFacts, type PacketParties } from '../src/domain/packet.js';
import { numberOfReference, referenceOf } from '../src/domain/reference.js';

/*
 * The referral packet's pure rules: who stands how to a referral and sees how much of its packet,
 * what eligibility reads from it and what it still lacks; attachments known by their content; the
 * number people use for a referral.
 */

const parties: PacketParties = {
  originInstitutionId: 'hospital',
  offers: [
    { institutionId: 'open-home', status: 'open' },
    { institutionId: 'reserve-home', status: 'accepted' },
    { institutionId: 'declined-home', status: 'declined' },
    { institutionId: 'late-home', status: 'expired' },
    { institutionId: 'chosen-home', status: 'accepted' },
  ],
  chosenInstitutionId: 'chosen-home',
};

describe('who stands how to a referral', () => {
  it('makes the referring institution\'s planners and staff the referrer', () => {
    expect(packetAccessOf(parties, { role: 'planner', institutionId: 'hospital' })).toBe('referrer');
    expect(packetAccessOf(parties, { role: 'provider', institutionId: 'hospital' })).toBe('referrer');
  });
  it('makes the chosen, placing or bed-keeping provider the receiver', () => {
    expect(packetAccessOf(parties, { role: 'provider', institutionId: 'chosen-home' })).toBe('receiver');
    expect(packetAccessOf({ ...parties, chosenInstitutionId: undefined, placedInstitutionId: 'placed' }, { role: 'provider', institutionId: 'placed' })).toBe('receiver');
    expect(packetAccessOf({ ...parties, keptBedInstitutionId: 'kept' }, { role: 'provider', institutionId: 'kept' })).toBe('receiver');
  });
  it('lets a provider with a live offer (open, or accepted in reserve) see it as offered', () => {
    expect(packetAccessOf(parties, { role: 'provider', institutionId: 'open-home' })).toBe('offered');
    expect(packetAccessOf(parties, { role: 'provider', institutionId: 'reserve-home' })).toBe('offered');
  });
  it('gives nothing to providers whose offer is over, to strangers, to other roles and to a reader without an institution', () => {
    for (const institutionId of ['declined-home', 'late-home', 'never-offered']) expect(packetAccessOf(parties, { role: 'provider', institutionId })).toBe('none');
    expect(packetAccessOf(parties, { role: 'planner', institutionId: 'other-hospital' })).toBe('none');
    expect(packetAccessOf(parties, { role: 'analyst', institutionId: 'chosen-home' })).toBe('none');
    expect(packetAccessOf(parties, { role: 'provider' })).toBe('none');
  });
});

describe('what each reader sees of the packet', () => {
  it('shows the referrer everything, consent or not', () => {
    expect(disclosureOf('referrer', false)).toEqual({ level: 'full' });
  });
  it('shows the receiver everything and a live offer the clinical part, only under consent', () => {
    expect(disclosureOf('receiver', true)).toEqual({ level: 'full' });
    expect(disclosureOf('offered', true)).toEqual({ level: 'clinical' });
    expect(disclosureOf('receiver', false)).toEqual({ level: 'none', withheld: 'no-consent' });
    expect(disclosureOf('offered', false)).toEqual({ level: 'none', withheld: 'no-consent' });
  });
  it('shows no one else anything', () => {
    expect(disclosureOf('none', true)).toEqual({ level: 'none', withheld: 'not-a-party' });
  });
  it('keeps the family\'s contact out of the clinical part, and everything else in', () => {
    const packet = { reason: '术后康复', familyContact: { name: '张建军', relation: 'child' as const, phone: '13853000001' }, careNeeds: [{ code: 'oxygen' as const }] };
    expect(clinicalPart(packet)).toEqual({ reason: '术后康复', careNeeds: [{ code: 'oxygen' }] });
  });
  it('gives an age band of five years instead of a birth date', () => {
    expect(ageBand(1937, new Date('2026-12-05T00:00:00Z'))).toEqual({ from: 85, to: 89 });
    expect(ageBand(1936, new Date('2026-12-05T00:00:00Z'))).toEqual({ from: 90, to: 94 });
  });
});

describe('what eligibility reads from a packet', () => {
  it('reads the form\'s answers, the care needs as medical needs, and dementia from a diagnosis code', () => {
    expect(factsOfPacket(undefined)).toEqual({});
    expect(factsOfPacket({ eligibility: { kps: 40 }, careNeeds: [{ code: 'oxygen' }, { code: 'tube-feeding' }], diagnoses: [{ code: 'G30.9', name: '阿尔茨海默病' }] })).toEqual({
      kps: 40,
      medicalNeeds: ['oxygen', 'tube-feeding'],
      dementiaDiagnosis: true,
    });
    expect(factsOfPacket({ diagnoses: [{ code: 'F03', name: '痴呆' }] }).dementiaDiagnosis).toBe(true);
    expect(factsOfPacket({ diagnoses: [{ code: 'I63.9', name: '脑梗死' }, { name: '记忆力减退' }] }).dementiaDiagnosis).toBeUndefined();
  });
  it('lets the form\'s own answer on dementia stand over a diagnosis code', () => {
    expect(factsOfPacket({ eligibility: { dementiaDiagnosis: false }, diagnoses: [{ code: 'F01.9', name: '血管性痴呆' }] }).dementiaDiagnosis).toBe(false);
  });
  it('splits the facts a planner answers from those civil affairs and medical insurance own', () => {
    expect(splitFacts({ kps: 40, abilityLevel: 3, homeDivisionCode: '371702', ltciGrade: 2 })).toEqual({ packet: { kps: 40, homeDivisionCode: '371702' }, other: { abilityLevel: 3, ltciGrade: 2 } });
  });
  it('tells when facts differ in anything eligibility reads', () => {
    expect(factsDiffer({ kps: 40, medicalNeeds: ['oxygen'] }, { medicalNeeds: ['oxygen'], kps: 40 })).toBe(false);
    expect(factsDiffer({ kps: 40 }, { kps: 50 })).toBe(true);
    expect(factsDiffer({ kps: 40 }, { kps: 40, ecog: 3 })).toBe(true);
  });
});

describe('what a referral still lacks', () => {
  const asOf = new Date('2026-12-05T00:00:00Z');
  it('lists each hospice fact until it is answered', () => {
    const lacking = missingFacts(['hospice'], {}, asOf).map((m) => m.fact);
    expect(lacking).toEqual(expect.arrayContaining(['terminalIllness', 'prognosisMonths', 'kps', 'ecog', 'informedChoice', 'advanceCarePlanRecorded']));
    const answered = { terminalIllness: true, prognosisMonths: 3, kps: 40, ecog: 3, informedChoice: 'elder', advanceCarePlanRecorded: true };
    expect(missingFacts(['hospice'], answered, asOf)).toEqual([]);
  });
  it('lists a home sick bed\'s qualifying conditions and the insurance filing, and not the provider\'s service area', () => {
    const facts = { clearDiagnosis: true, stableCondition: true, bedBoundOrCannotReachClinic: true, homeDivisionCode: '371702' };
    expect(missingFacts(['home-sick'], facts, asOf)).toEqual([
      { bedType: 'home-sick', fact: 'homeSickBedConditions' },
      { bedType: 'home-sick', fact: 'insuranceFiled' },
    ]);
    expect(missingFacts(['home-sick'], { ...facts, homeSickBedConditions: ['pressure-injury-or-stoma'], insuranceFiled: true }, asOf)).toEqual([]);
  });
  it('names each fact once per bed type even when several rules ask for it', () => {
    const missing = missingFacts(['hospice', 'home-sick'], {}, asOf);
    const keys = missing.map((m) => `${m.bedType}:${m.fact}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(missing.some((m) => m.bedType === 'home-sick') && missing.some((m) => m.bedType === 'hospice')).toBe(true);
  });
});

describe('attachments known by their content', () => {
  const pdf = Buffer.from('%PDF-1.4\n...');
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
  it('reads PDF, PNG and JPEG from their first bytes', () => {
    expect(sniffMediaType(pdf)).toBe('application/pdf');
    expect(sniffMediaType(png)).toBe('image/png');
    expect(sniffMediaType(jpeg)).toBe('image/jpeg');
    expect(sniffMediaType(Buffer.from('MZ\x90\x00 an executable'))).toBeUndefined();
  });
  it('refuses an empty file, another kind of file, and one sent as what it is not', () => {
    expect(contentProblem(Buffer.alloc(0), 'application/pdf')).toBe('is empty');
    expect(contentProblem(Buffer.from('<html>'), 'application/pdf')).toBe('is not a PDF, JPEG or PNG file');
    expect(contentProblem(png, 'application/pdf')).toBe('is image/png, not the application/pdf it was sent as');
    expect(contentProblem(pdf, 'application/pdf')).toBeUndefined();
    expect(contentProblem(jpeg, 'application/octet-stream')).toBeUndefined();
  });
});

describe('the referral number people use', () => {
  it('is the China-time date it was started and its place in order', () => {
    expect(referenceOf(123, new Date('2026-12-05T10:00:00Z'))).toBe('20261205-000123');
    // 23:30 UTC is already the next day in China.
    expect(referenceOf(7, new Date('2026-12-05T23:30:00Z'))).toBe('20261206-000007');
  });
  it('is read back whole, or by its sequence alone', () => {
    expect(numberOfReference('20261205-000123')).toBe(123);
    expect(numberOfReference(' 000123 ')).toBe(123);
    expect(numberOfReference('123')).toBe(123);
    expect(numberOfReference('2026-12-05')).toBeUndefined();
    expect(numberOfReference('转诊单')).toBeUndefined();
  });
});

it('makes the referral audit log append-only with the trigger the privacy package defines', () => {
  const migration = readFileSync(new URL('../drizzle/0002_audit_append_only.sql', import.meta.url), 'utf8');
  expect(migration.trim()).toBe(auditAppendOnlySql('referral').trim());
});
