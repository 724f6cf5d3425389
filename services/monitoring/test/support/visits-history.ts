/**
 * A generated history of home beds as visits: home-care and home-sick providers, elders with a
 * home bed and visits due each month (done, late, missed, some flagged missed and then made),
 * special-hardship elders due a 探访 each month (some listed twice in a month, some after moving
 * county) and the 探访 visits that answer them (by 探访 id, or by elder and month), and providers'
 * monthly statements of government-bought hours with corrections. `visitEventsOf` turns the facts
 * into the messages the services publish; the oracle computes the figures from the facts alone.
 */
import {
  bedEventsTopic,
  CIVIL_AFFAIRS,
  createMessage,
  eventsTopic,
  HomeCareStatementIssued,
  HomeVisitCompleted,
  HomeVisitMissed,
  InstitutionRegistered,
  newId,
  TanfangScheduled,
  type OutgoingMessage,
} from '@fbl/contracts';
import { testCreditCode } from '@fbl/testing/credit-code';
import { prng } from '@fbl/testing/random';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;
const CST = 8 * HOUR;

export const VISIT_COUNTIES = ['371702', '371721', '371722', '370811', '370102'];
/** The months of the history (YYYY-MM). */
export const VISIT_MONTHS = ['2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];

export interface Provider {
  id: string;
  bedType: 'home-care' | 'home-sick';
  name: string;
  county: string;
  /** Registered on its bed topic (a provider never registered has no name to show). */
  registered: boolean;
}

export interface Visit {
  id: string;
  elderRef: string;
  county: string;
  provider?: Provider | undefined;
  bedType?: 'home-care' | 'home-sick' | undefined;
  purpose: 'service' | 'doctor-round' | 'review' | 'tanfang';
  tanfangId?: string | undefined;
  windowStart: number;
  windowEnd: number;
  /** A completion, if the visit was made (late or not). */
  completed?: { checkedInAt: number; minutes: number; late: boolean } | undefined;
  /** Flagged missed when its window ended (a visit may be flagged and then made after all). */
  flaggedMissed: boolean;
}

export interface Tanfang {
  id: string;
  elderRef: string;
  county: string;
  month: string;
  scheduledAt: number;
}

export interface StatementLine {
  elderRef: string;
  county: string;
  entitledMinutes: number;
  deliveredMinutes: number;
  amountFen: number;
}

export interface Statement {
  id: string;
  correctionOf?: string | undefined;
  provider: Provider;
  month: string;
  issuedAt: number;
  lines: StatementLine[];
}

export interface VisitHistory {
  providers: Provider[];
  visits: Visit[];
  tanfangs: Tanfang[];
  statements: Statement[];
  asOf: number;
}

/** The first instant of a month (YYYY-MM) in China Standard Time. */
export const monthStart = (month: string) => Date.parse(`${month}-01T00:00:00Z`) - CST;
const nextMonth = (month: string) => {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 7);
};

/** Generate a history from a seed: `elders` elders over five months. */
export function generateVisitHistory(seed: number, elders: number): VisitHistory {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const between = (lo: number, hi: number) => Math.floor(lo + rand() * (hi - lo));
  const chance = (p: number) => rand() < p;

  const providers: Provider[] = [];
  for (const [i, bedType] of (['home-care', 'home-care', 'home-care', 'home-sick', 'home-sick', 'home-care'] as const).entries()) {
    providers.push({ id: newId(), bedType, name: `${bedType === 'home-care' ? '居家养老' : '家庭病床'}服务中心${i}`, county: VISIT_COUNTIES[i % VISIT_COUNTIES.length]!, registered: i !== 5 });
  }
  const visits: Visit[] = [];
  const tanfangs: Tanfang[] = [];
  const statements: Statement[] = [];
  const lines = new Map<string, StatementLine[]>(); // provider|month → lines

  for (let e = 0; e < elders; e++) {
    const elderRef = newId();
    let county = pick(VISIT_COUNTIES);
    // Most elders have a home bed; many are on the special-hardship register; some are both.
    const bed = chance(0.8) ? pick(providers) : undefined;
    const hardship = !bed || chance(0.45);
    for (const month of VISIT_MONTHS) {
      const start = monthStart(month);
      const end = monthStart(nextMonth(month));
      if (bed) {
        const due = between(1, 6);
        for (let v = 0; v < due; v++) {
          // Windows anywhere in the month, some ending just either side of a China midnight at the month's end.
          const windowEnd = chance(0.15) ? end + pick([-30, -1, 0, 1, 45]) * MINUTE : between(start + 3 * HOUR, end);
          const windowStart = windowEnd - between(1, 4) * HOUR;
          const made = chance(0.8);
          const late = made && chance(0.2);
          const flaggedMissed = !made || (late && chance(0.3));
          const checkedInAt = windowStart + (late ? between(31, 200) : between(0, 30)) * MINUTE;
          visits.push({
            id: newId(),
            elderRef,
            county,
            provider: bed,
            bedType: bed.bedType,
            purpose: bed.bedType === 'home-sick' ? pick(['service', 'doctor-round', 'review'] as const) : 'service',
            windowStart,
            windowEnd,
            completed: made ? { checkedInAt, minutes: between(20, 120), late } : undefined,
            flaggedMissed,
          });
        }
        if (bed.bedType === 'home-care' && month !== VISIT_MONTHS.at(-1)) {
          const entitledMinutes = between(10, 40) * 60;
          const deliveredMinutes = Math.min(entitledMinutes, between(5, 45) * 60);
          const key = `${bed.id}|${month}`;
          lines.set(key, [...(lines.get(key) ?? []), { elderRef, county, entitledMinutes, deliveredMinutes, amountFen: deliveredMinutes * 50 }]);
        }
      }
      if (hardship) {
        // An elder who moves is listed again in their new county in the same month.
        const schedules = chance(0.12) ? 2 : 1;
        const monthTanfangs: Tanfang[] = [];
        for (let s = 0; s < schedules; s++) {
          if (s === 1 && chance(0.6)) county = pick(VISIT_COUNTIES);
          const t = { id: newId(), elderRef, county, month, scheduledAt: start + between(0, 3 * DAY) + s * between(DAY, 10 * DAY) };
          tanfangs.push(t);
          monthTanfangs.push(t);
        }
        const answered = chance(0.75);
        const tanfangVisit = (tanfangId: string | undefined, checkedInAt: number | undefined, provider?: Provider) => {
          const windowStart = checkedInAt !== undefined ? checkedInAt - between(0, 3) * HOUR : between(start, end - DAY);
          visits.push({
            id: newId(),
            elderRef,
            county,
            provider,
            purpose: 'tanfang',
            tanfangId,
            windowStart,
            windowEnd: windowStart + 4 * HOUR,
            completed: checkedInAt !== undefined ? { checkedInAt, minutes: between(10, 60), late: false } : undefined,
            flaggedMissed: checkedInAt === undefined,
          });
        };
        if (answered) {
          if (chance(0.6)) {
            // By 探访 id: checked in within the month, or a few days into the next (it still answers the month's 探访).
            const checkedInAt = chance(0.15) ? end + between(0, 4 * DAY) : between(start, end);
            tanfangVisit(pick(monthTanfangs).id, checkedInAt, chance(0.3) ? pick(providers) : undefined);
          } else {
            // Without an id: it counts for the elder in the month it was checked in, some a minute either side of the month's end.
            const checkedInAt = chance(0.2) ? end + pick([-1, 1]) * MINUTE : between(start, end);
            tanfangVisit(undefined, checkedInAt);
          }
        } else if (chance(0.5)) {
          tanfangVisit(pick(monthTanfangs).id, undefined);
        }
      }
    }
    // Some 探访 visits without a schedule at all (an elder not on the register): they count nowhere.
    if (!hardship && chance(0.2)) {
      const at = between(monthStart(VISIT_MONTHS[1]!), monthStart(VISIT_MONTHS[3]!));
      visits.push({ id: newId(), elderRef, county, purpose: 'tanfang', tanfangId: chance(0.5) ? newId() : undefined, windowStart: at, windowEnd: at + HOUR, completed: { checkedInAt: at, minutes: 30, late: false }, flaggedMissed: false });
    }
  }

  for (const [key, list] of lines) {
    const [providerId, month] = key.split('|') as [string, string];
    const provider = providers.find((p) => p.id === providerId)!;
    const issuedAt = monthStart(nextMonth(month)) + between(2, 8) * DAY;
    const original: Statement = { id: newId(), provider, month, issuedAt, lines: list };
    statements.push(original);
    // A correction (or two): differences for some of the elders, up or down.
    for (let c = 0; c < (chance(0.4) ? between(1, 3) : 0); c++) {
      const changed = list.filter(() => chance(0.4)).map((l) => {
        const delivered = between(-5, 6) * 30;
        return { elderRef: l.elderRef, county: l.county, entitledMinutes: chance(0.3) ? between(-2, 3) * 60 : 0, deliveredMinutes: delivered, amountFen: delivered * 50 };
      });
      statements.push({ id: newId(), correctionOf: original.id, provider, month, issuedAt: issuedAt + (c + 1) * between(DAY, 5 * DAY), lines: changed });
    }
  }
  return { providers, visits, tanfangs, statements, asOf: Date.parse('2026-12-12T09:30:00+08:00') };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The messages the services would have published for a history, in a shuffled order (so
 * completions are read before their 探访 was scheduled, corrections before their original,
 * missed flags after the completion), then a share of them delivered again as they were, and a
 * share published again as new messages (a producer re-sending the same visit or statement).
 */
export function visitEventsOf(history: VisitHistory, seed: number): OutgoingMessage[] {
  const rand = prng(seed + 1);
  const out: OutgoingMessage[] = [];
  const civil = eventsTopic(CIVIL_AFFAIRS);
  for (const p of history.providers) {
    if (!p.registered) continue;
    const topic = bedEventsTopic(p.bedType);
    const facts = { institutionId: p.id, bedType: p.bedType, name: p.name, divisionCode: p.county, ownership: 'private' as const, capabilities: [], serviceArea: [p.county], greenChannelPartners: [], creditCode: testCreditCode(p.county) };
    out.push(createMessage(InstitutionRegistered, p.id, facts, { source: topic }, { time: new Date(monthStart(VISIT_MONTHS[0]!) - 30 * DAY), topic }));
  }
  const visitMessages = (v: Visit): OutgoingMessage[] => {
    const topic = v.bedType ? bedEventsTopic(v.bedType) : civil;
    const facts = {
      visitId: v.id,
      elderRef: v.elderRef,
      divisionCode: v.county,
      ...(v.provider ? { institutionId: v.provider.id } : {}),
      ...(v.bedType ? { bedType: v.bedType } : {}),
      ...(v.tanfangId ? { tanfangId: v.tanfangId } : {}),
      purpose: v.purpose,
      channel: 'home' as const,
      windowStart: iso(v.windowStart),
      windowEnd: iso(v.windowEnd),
    };
    const messages: OutgoingMessage[] = [];
    if (v.flaggedMissed) messages.push(createMessage(HomeVisitMissed, v.id, { ...facts, flaggedAt: iso(v.windowEnd + MINUTE) }, { source: topic }, { time: new Date(v.windowEnd + MINUTE), topic }));
    if (v.completed) {
      const c = v.completed;
      const data = { ...facts, checkedInAt: iso(c.checkedInAt), checkedOutAt: iso(c.checkedInAt + c.minutes * MINUTE), minutes: c.minutes, items: v.purpose === 'tanfang' ? [] : [{ code: 'bathing', minutes: c.minutes }], confirmation: 'signature' as const, late: c.late };
      messages.push(createMessage(HomeVisitCompleted, v.id, data, { source: topic }, { time: new Date(c.checkedInAt + c.minutes * MINUTE), topic }));
    }
    return messages;
  };
  const events: OutgoingMessage[] = [];
  for (const v of history.visits) events.push(...visitMessages(v));
  for (const t of history.tanfangs) {
    events.push(createMessage(TanfangScheduled, t.id, { tanfangId: t.id, elderRef: t.elderRef, divisionCode: t.county, month: t.month, categories: ['living-alone'], channel: 'home', scheduledAt: iso(t.scheduledAt) }, { source: 'civil-affairs' }, { time: new Date(t.scheduledAt), topic: civil }));
  }
  for (const s of history.statements) {
    const data = {
      statementId: s.id,
      ...(s.correctionOf ? { correctionOf: s.correctionOf } : {}),
      institutionId: s.provider.id,
      month: s.month,
      rulesVersion: 'heze-2026-01',
      rateFen: 3000,
      lines: s.lines.map((l) => ({ elderRef: l.elderRef, divisionCode: l.county, entitledMinutes: l.entitledMinutes, deliveredMinutes: l.deliveredMinutes, amountFen: l.amountFen })),
      issuedAt: iso(s.issuedAt),
    };
    events.push(createMessage(HomeCareStatementIssued, s.id, data, { source: 'civil-affairs' }, { time: new Date(s.issuedAt), topic: civil }));
  }
  // Shuffled (Fisher–Yates with the seed): any order across topics and within one.
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [events[i], events[j]] = [events[j]!, events[i]!];
  }
  // Published again as new messages (new ids, same facts): the projections, not the inbox, must pass over them.
  const republished = events.filter((_, i) => i % 23 === 5).map((m) => ({ ...m, envelope: { ...m.envelope, id: newId() } }));
  out.push(...events, ...republished);
  return out;
}
