/**
 * A generated history of the five-bed network: institutions with capacity over time, and
 * referral journeys that close, stop at every stage, are cancelled or escalated, with
 * readmissions. The journeys are plain facts; `eventsOf` turns them into the events the
 * services publish, and the oracle computes the expected figures from the facts alone.
 */
import {
  AbilityAssessed,
  AdmissionRecorded,
  BedAvailabilityChanged,
  bedEventsTopic,
  createMessage,
  InstitutionRegistered,
  LtciAuthorised,
  LtciRefused,
  newId,
  OfferAnswered,
  OfferNotSelected,
  ReferralCancelled,
  ReferralClosed,
  ReferralEscalated,
  ReferralOffered,
  ReferralRequested,
  ReferralStateChanged,
  type BedType,
  type OutgoingMessage,
} from '@fbl/contracts';
import { testCreditCode } from '@fbl/testing/credit-code';
import { prng } from '@fbl/testing/random';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;

export const DECLINE_REASONS = ['no-capacity', 'care-needs-exceed-capability', 'outside-service-area', 'payment-or-insurance', 'elder-or-family-refused', 'other'] as const;

export interface Units {
  attributes: Record<string, boolean | string>;
  total: number;
  occupied: number;
  closed: number;
}
export interface CapacityStep {
  at: number;
  sequence: number;
  units: Units[];
}
export interface Institution {
  id: string;
  bedType: BedType;
  name: string;
  county: string;
  steps: CapacityStep[];
}
export interface Offer {
  id: string;
  institution: Institution;
  offeredAt: number;
  respondBy: number;
  answer?: { kind: 'accepted' | 'declined' | 'expired'; at: number; reason?: (typeof DECLINE_REASONS)[number] };
  notSelected?: boolean;
}
/** The number people use for a referral, as the workflow writes it: its China day and its place in order. */
export const referenceOf = (number: number, startedAt: number) => `${new Date(startedAt + 8 * HOUR).toISOString().slice(0, 10).replaceAll('-', '')}-${String(number).padStart(6, '0')}`;

export interface Journey {
  id: string;
  elderRef: string;
  kind: 'discharge' | 'urgent-transfer' | 'return';
  urgent: boolean;
  origin: Institution;
  requested: BedType[];
  startedAt: number;
  stages: { to: string; at: number }[];
  assessedAt?: number;
  ltci?: { decision: 'authorised' | 'refused'; at: number };
  offers: Offer[];
  escalations: number[];
  admission?: { id: string; institution: Institution; admittedAt: number; recordedAt: number };
  placed?: Institution;
  closed?: { at: number; late: boolean };
  cancelled?: { at: number; reason: 'death' | 'family-withdrew' | 'condition-changed' };
}
export interface History {
  institutions: Institution[];
  journeys: Journey[];
  asOf: number;
  windowStart: number;
  windowEnd: number;
}

const COUNTIES = ['371702', '371721', '371722', '370811', '370102'];

/** Generate a history from a seed: `count` referral journeys over about three months. */
export function generateHistory(seed: number, count: number): History {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const between = (lo: number, hi: number) => Math.floor(lo + rand() * (hi - lo));
  const windowStart = Date.parse('2026-08-25T00:00:00+08:00');
  const windowEnd = Date.parse('2026-11-20T00:00:00+08:00');
  const asOf = Date.parse('2026-12-12T09:30:00+08:00');

  const institutions: Institution[] = [];
  const byType = new Map<BedType, Institution[]>();
  const types: BedType[] = ['medical', 'care', 'home-care', 'home-sick', 'hospice'];
  let n = 0;
  for (const bedType of types) {
    for (let i = 0; i < (bedType === 'care' || bedType === 'medical' ? 4 : 2); i++) {
      const county = COUNTIES[(n++ * 3 + i) % COUNTIES.length]!;
      const inst: Institution = { id: newId(), bedType, name: `${bedType}-${i} 菏泽市牡丹区长名称养老服务中心第${i}分院`, county, steps: [] };
      // Capacity steps from before the window to shortly before asOf.
      let at = windowStart - between(5, 20) * DAY + between(0, DAY);
      const stepCount = between(3, 8);
      for (let s = 1; s <= stepCount; s++) {
        const units: Units[] =
          bedType === 'care'
            ? [
                { attributes: { nursingType: true, dementia: false }, total: between(10, 40), occupied: 0, closed: between(0, 3) },
                { attributes: { nursingType: true, dementia: true }, total: between(0, 12), occupied: 0, closed: 0 },
                { attributes: { nursingType: false }, total: between(5, 30), occupied: 0, closed: between(0, 2) },
              ]
            : [{ attributes: {}, total: between(5, 60), occupied: 0, closed: between(0, 4) }];
        for (const u of units) u.occupied = between(0, u.total - u.closed + 1);
        inst.steps.push({ at, sequence: s, units });
        at += between(2, 30) * DAY + between(0, DAY);
        if (at >= asOf - HOUR) break;
      }
      institutions.push(inst);
      byType.set(bedType, [...(byType.get(bedType) ?? []), inst]);
    }
  }
  const elders = Array.from({ length: Math.ceil(count * 0.7) }, () => newId());
  const journeys: Journey[] = [];

  const walk = (j: Journey, start: number, options: { forceArrival?: boolean } = {}) => {
    let t = start;
    const go = (to: string, at: number) => {
      j.stages.push({ to, at });
      t = at;
    };
    if (j.kind === 'return') {
      go('returning', t + 1000);
      go('followUp', t + between(1, 48) * HOUR);
      closeOrStay(j, t, go, rand, between);
      return;
    }
    go('eligibility', t + 500);
    if (rand() < 0.4) {
      j.assessedAt = t + between(2 * HOUR, 48 * HOUR);
      t = j.assessedAt;
      if (rand() < 0.5) j.ltci = { decision: rand() < 0.7 ? 'authorised' : 'refused', at: t + between(HOUR, 24 * HOUR) };
      if (j.ltci) t = j.ltci.at;
    }
    if (rand() < 0.04 && !options.forceArrival) return; // still waiting for an assessment
    go('matching', t + 1000);
    if (rand() < 0.05 && !options.forceArrival) {
      j.escalations.push(t + 2000);
      go('escalated', t + 2000);
      return;
    }
    go('offering', t + 1000);
    const providers = j.requested.flatMap((b) => byType.get(b) ?? []);
    const offerCount = Math.min(providers.length, between(1, 4));
    const chosenProviders = [...providers].sort(() => rand() - 0.5).slice(0, offerCount);
    const deadline = j.urgent ? 2 * HOUR : 24 * HOUR;
    let lastAnswer = t;
    let unanswered = false;
    for (const institution of chosenProviders) {
      const offer: Offer = { id: newId(), institution, offeredAt: t, respondBy: t + deadline };
      const r = options.forceArrival ? rand() * 0.5 : rand();
      if (r < 0.5) offer.answer = { kind: 'accepted', at: t + between(MINUTE, deadline) };
      else if (r < 0.8) offer.answer = { kind: 'declined', at: t + between(MINUTE, deadline), reason: pick(DECLINE_REASONS) };
      else if (r < 0.95) offer.answer = { kind: 'expired', at: t + deadline };
      else unanswered = true;
      if (offer.answer) lastAnswer = Math.max(lastAnswer, offer.answer.at);
      j.offers.push(offer);
    }
    if (unanswered) {
      if (rand() < 0.3) {
        j.cancelled = { at: lastAnswer + HOUR, reason: 'condition-changed' };
        go('cancelled', lastAnswer + HOUR);
      }
      return;
    }
    const accepted = j.offers.filter((o) => o.answer?.kind === 'accepted');
    if (accepted.length === 0) {
      j.escalations.push(lastAnswer + 1000);
      go('escalated', lastAnswer + 1000);
      if (rand() < 0.4) {
        go('matching', t + DAY);
        j.escalations.push(t + 1000);
        go('escalated', t + 1000);
      }
      return;
    }
    go('choosing', lastAnswer + 1000);
    const fate = options.forceArrival ? 1 : rand();
    if (fate < 0.08) return; // the family has not chosen yet
    if (fate < 0.13) {
      j.cancelled = { at: t + HOUR, reason: 'family-withdrew' };
      go('cancelled', t + HOUR);
      return;
    }
    const chosen = pick(accepted);
    for (const o of accepted) if (o !== chosen) o.notSelected = true;
    go('reserving', t + between(MINUTE, 24 * HOUR));
    go('transferring', t + 2000);
    if (rand() < 0.05 && !options.forceArrival) return;
    const admittedAt = t + between(HOUR, 72 * HOUR);
    const recordedAt = admittedAt + between(0, 2 * HOUR);
    j.admission = { id: newId(), institution: chosen.institution, admittedAt, recordedAt };
    j.placed = chosen.institution;
    go('followUp', recordedAt + 1000);
    closeOrStay(j, t, go, rand, between);
  };

  for (let i = 0; i < count; i++) {
    const kindRoll = rand();
    const kind: Journey['kind'] = kindRoll < 0.06 ? 'return' : 'discharge';
    const origin = pick(byType.get('medical')!);
    const requested: BedType[] = kind === 'return' ? ['care'] : rand() < 0.15 ? ['care', 'home-care'] : [pick(['care', 'home-care', 'home-sick', 'hospice', 'care'] as BedType[])];
    const j: Journey = {
      id: newId(),
      elderRef: pick(elders),
      kind,
      urgent: rand() < 0.15,
      origin,
      requested,
      startedAt: windowStart + Math.floor(rand() * (windowEnd - windowStart)),
      stages: [],
      offers: [],
      escalations: [],
    };
    if (kind === 'return') j.placed = pick(byType.get('care')!);
    walk(j, j.startedAt);
    journeys.push(j);
    // Some elders placed from a hospital go back to one: an urgent transfer, within or after 31 days.
    const arrivedAt = j.admission?.admittedAt;
    if (arrivedAt && j.origin.bedType === 'medical' && rand() < 0.35) {
      const back: Journey = {
        id: newId(),
        elderRef: j.elderRef,
        kind: 'urgent-transfer',
        urgent: true,
        origin: j.placed!,
        requested: ['medical'],
        startedAt: arrivedAt + between(HOUR, 45 * DAY),
        stages: [],
        offers: [],
        escalations: [],
      };
      if (back.startedAt < asOf - 5 * DAY) {
        walk(back, back.startedAt, { forceArrival: true });
        journeys.push(back);
      }
    }
  }
  return { institutions, journeys, asOf, windowStart, windowEnd };
}

function closeOrStay(j: Journey, t: number, go: (to: string, at: number) => void, rand: () => number, between: (lo: number, hi: number) => number) {
  if (rand() < 0.15) return; // follow-up not recorded yet
  const closedAt = t + between(HOUR, 10 * DAY);
  j.closed = { at: closedAt, late: closedAt - t > 7 * DAY };
  go('closed', closedAt);
}

const origin = (source: string) => ({ source });

/** The events the services would have published for a history, each with its topic. */
export function eventsOf(history: History): OutgoingMessage[] {
  const out: OutgoingMessage[] = [];
  const at = (ms: number) => ({ time: new Date(ms) });
  for (const inst of history.institutions) {
    const facts = { institutionId: inst.id, bedType: inst.bedType, name: inst.name, divisionCode: inst.county, ownership: 'private' as const, capabilities: [], serviceArea: [inst.county], greenChannelPartners: [] };
    const topic = bedEventsTopic(inst.bedType);
    out.push(createMessage(InstitutionRegistered, inst.id, { ...facts, creditCode: testCreditCode(inst.county) }, origin(topic), { ...at(history.windowStart - 30 * DAY), topic }));
    for (const step of inst.steps) {
      const units = step.units.map((u) => ({ kind: 'bed' as const, attributes: u.attributes, total: u.total, free: u.total - u.closed - u.occupied, held: 0, occupied: u.occupied, kept: 0, closed: u.closed }));
      out.push(createMessage(BedAvailabilityChanged, inst.id, { ...facts, sequence: step.sequence, units }, origin(topic), { ...at(step.at), topic }));
    }
  }
  for (const [index, j] of history.journeys.entries()) {
    const wf = origin('referral-workflow');
    out.push(
      createMessage(
        ReferralRequested,
        j.id,
        { referralId: j.id, elderRef: j.elderRef, kind: j.kind, urgency: j.urgent ? 'green-channel' : 'routine', originInstitutionId: j.origin.id, originBedType: j.origin.bedType, originDivisionCode: j.origin.county, requestedBedTypes: j.requested, reference: referenceOf(index + 1, j.startedAt) },
        wf,
        at(j.startedAt),
      ),
    );
    let from = 'intake';
    for (const s of j.stages) {
      out.push(createMessage(ReferralStateChanged, j.id, { referralId: j.id, from, to: s.to, machineVersion: 2 }, wf, at(s.at)));
      from = s.to;
    }
    if (j.assessedAt !== undefined) {
      out.push(createMessage(AbilityAssessed, j.elderRef, { assessmentId: newId(), elderRef: j.elderRef, level: 2, assessedOn: '2026-09-01', dementiaDiagnosis: false, referralId: j.id }, origin('civil-affairs'), at(j.assessedAt)));
    }
    if (j.ltci) {
      out.push(
        j.ltci.decision === 'authorised'
          ? createMessage(LtciAuthorised, j.elderRef, { elderRef: j.elderRef, grade: 3, referralId: j.id, effectiveFrom: '2026-09-01' }, origin('medical-insurance'), at(j.ltci.at))
          : createMessage(LtciRefused, j.elderRef, { elderRef: j.elderRef, referralId: j.id, ground: 'conditions-not-met' }, origin('medical-insurance'), at(j.ltci.at)),
      );
    }
    for (const o of j.offers) {
      const facts = { referralId: j.id, offerId: o.id, institutionId: o.institution.id, bedType: o.institution.bedType };
      out.push(createMessage(ReferralOffered, j.id, { ...facts, urgency: j.urgent ? 'green-channel' : 'routine', rank: 1, respondBy: new Date(o.respondBy).toISOString() }, wf, at(o.offeredAt)));
      if (o.answer) {
        out.push(
          createMessage(
            OfferAnswered,
            j.id,
            { ...facts, answer: o.answer.kind, ...(o.answer.reason ? { reasonCode: o.answer.reason } : {}), offeredAt: new Date(o.offeredAt).toISOString() },
            wf,
            at(o.answer.at),
          ),
        );
      }
      if (o.notSelected) out.push(createMessage(OfferNotSelected, j.id, facts, wf, at((o.answer?.at ?? o.offeredAt) + 5000)));
    }
    for (const e of j.escalations) out.push(createMessage(ReferralEscalated, j.id, { referralId: j.id, reason: 'no provider accepted', stage: 'matching', offersMade: j.offers.length }, wf, at(e)));
    if (j.cancelled) out.push(createMessage(ReferralCancelled, j.id, { referralId: j.id, reason: j.cancelled.reason, stage: 'cancelled' }, wf, at(j.cancelled.at)));
    if (j.admission) {
      const a = j.admission;
      const topic = bedEventsTopic(a.institution.bedType);
      out.push(
        createMessage(
          AdmissionRecorded,
          a.institution.id,
          { holdId: newId(), referralId: j.id, institutionId: a.institution.id, bedType: a.institution.bedType, unitId: newId(), admissionId: a.id, elderRef: j.elderRef, admittedAt: new Date(a.admittedAt).toISOString() },
          origin(topic),
          { ...at(a.recordedAt), topic },
        ),
      );
    }
    if (j.closed) out.push(createMessage(ReferralClosed, j.id, { referralId: j.id, institutionId: j.placed!.id, bedType: j.placed!.bedType, followUpLate: j.closed.late }, wf, at(j.closed.at)));
  }
  return out;
}
