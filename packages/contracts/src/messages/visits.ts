import Type from 'typebox';
import { defineMessage } from '../registry.js';
import { eventsTopic } from '../topics.js';
import { DivisionCode, Instant, Literals, ShortText, Uuid } from './common.js';
import { CIVIL_AFFAIRS } from './eligibility.js';

/**
 * Home beds are visits (家庭养老床位, 家庭病床): a provider's service plan schedules visits to the
 * elder's home, a worker records each one where it happens, and civil affairs pays for the hours
 * the government buys (政府购买服务) and keeps the monthly 探访 of special-hardship elders. The
 * messages carry references and figures only, never identity data.
 *
 * Visits made by a home bed's provider travel on that bed service's events topic
 * (`home-care-beds.events`, `home-sick-beds.events`); 探访 and statements on `civil-affairs.events`.
 */

// Nominal topic; each service passes its own topic when it creates a message.
const events = eventsTopic('visits');
const CIVIL_AFFAIRS_EVENTS = eventsTopic(CIVIL_AFFAIRS);

/**
 * What a visit is for: a visit of a service plan (上门服务), a home sick bed doctor's round (查床),
 * a home sick bed's periodic review (定期评估), or a 探访 of a special-hardship elder.
 */
export const VISIT_PURPOSES = ['service', 'doctor-round', 'review', 'tanfang'] as const;
export type VisitPurpose = (typeof VISIT_PURPOSES)[number];

/** How a visit was made: at home (上门), by phone (电话), online (视频). Plan visits are at home. */
export const VISIT_CHANNELS = ['home', 'phone', 'online'] as const;
export type VisitChannel = (typeof VISIT_CHANNELS)[number];

/** How the elder or family confirmed a visit: a signature drawn on the worker's screen, a one-time code, or not at all. */
export const VISIT_CONFIRMATIONS = ['signature', 'code', 'none'] as const;

/** Special-hardship categories of the 探访 register (独居, 空巢, 留守, 失能, 重残, 计划生育特殊家庭). */
export const SPECIAL_HARDSHIP_CATEGORIES = ['living-alone', 'empty-nest', 'left-behind', 'disabled', 'severe-disability', 'family-planning-special'] as const;

const VisitFacts = {
  visitId: Uuid,
  elderRef: ShortText(100),
  /** The elder's home county, for figures by county. */
  divisionCode: DivisionCode,
  /** The provider whose worker made the visit; absent for a 探访 civil affairs staff made themselves. */
  institutionId: Type.Optional(Uuid),
  /** `home-care` or `home-sick` for a home bed's visit; absent for a 探访. */
  bedType: Type.Optional(Literals(['home-care', 'home-sick'])),
  /** The service plan that scheduled it (a visit of a plan), or the 探访 it answers. */
  planId: Type.Optional(Uuid),
  tanfangId: Type.Optional(Uuid),
  purpose: Literals(VISIT_PURPOSES),
  channel: Literals(VISIT_CHANNELS),
  /** When the visit was due: its window. */
  windowStart: Instant,
  windowEnd: Instant,
};

/**
 * A visit was made: checked in and out, the items done with their minutes, and how it was
 * confirmed. Minutes of items are what government-bought hours count. Subject: the visit.
 */
export const HomeVisitCompleted = defineMessage({
  type: 'HomeVisitCompleted',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({
    ...VisitFacts,
    checkedInAt: Instant,
    checkedOutAt: Instant,
    /** Whole minutes between check-in and check-out. */
    minutes: Type.Integer({ minimum: 0, maximum: 24 * 60 }),
    /** Items of the service-item catalogue done, each with its minutes (a 探访 may list none). */
    items: Type.Array(Type.Object({ code: ShortText(40), minutes: Type.Integer({ minimum: 0, maximum: 24 * 60 }) }), { maxItems: 50 }),
    confirmation: Literals(VISIT_CONFIRMATIONS),
    /** Checked in after its window started by more than the plan's grace. */
    late: Type.Boolean(),
  }),
});

/** A visit's window ended without a check-in: flagged to the provider and counted. Subject: the visit. */
export const HomeVisitMissed = defineMessage({
  type: 'HomeVisitMissed',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({ ...VisitFacts, flaggedAt: Instant }),
});

/**
 * An elder on the special-hardship register is due a 探访 in a month (scheduled by civil affairs at
 * the start of the month or when the elder is listed). Subject: the 探访.
 */
export const TanfangScheduled = defineMessage({
  type: 'TanfangScheduled',
  version: 1,
  kind: 'event',
  topic: CIVIL_AFFAIRS_EVENTS,
  schema: Type.Object({
    tanfangId: Uuid,
    elderRef: Uuid,
    divisionCode: DivisionCode,
    /** `YYYY-MM`, the month it is due in (local time of the deployment). */
    month: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' }),
    categories: Type.Array(Literals(SPECIAL_HARDSHIP_CATEGORIES), { minItems: 1 }),
    channel: Literals(VISIT_CHANNELS),
    scheduledAt: Instant,
  }),
});

/**
 * Civil affairs issued a provider's monthly statement of government-bought home-care hours: per
 * elder the hours entitled and delivered, and the amount at the rate of the rules in force that
 * month. A statement is closed once issued; a correction is a later statement of the same
 * provider and month with `correctionOf` set, whose lines are the differences. Subject: the statement.
 */
export const HomeCareStatementIssued = defineMessage({
  type: 'HomeCareStatementIssued',
  version: 1,
  kind: 'event',
  topic: CIVIL_AFFAIRS_EVENTS,
  schema: Type.Object({
    statementId: Uuid,
    correctionOf: Type.Optional(Uuid),
    institutionId: Uuid,
    month: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' }),
    /** The version of the entitlement rules applied (dated rules data). */
    rulesVersion: ShortText(40),
    /** Rate in fen (分) per hour. */
    rateFen: Type.Integer({ minimum: 0 }),
    lines: Type.Array(
      Type.Object({
        elderRef: Uuid,
        divisionCode: DivisionCode,
        /** Minutes, so that lines add up exactly; hours are minutes ÷ 60. */
        entitledMinutes: Type.Integer(),
        deliveredMinutes: Type.Integer(),
        amountFen: Type.Integer(),
      }),
      { maxItems: 5000 },
    ),
    issuedAt: Instant,
  }),
});

/** Every message of home visits, 探访 and government-bought hours. */
export const visitMessages = [HomeVisitCompleted, HomeVisitMissed, TanfangScheduled, HomeCareStatementIssued] as const;
