import Type from 'typebox';
import { defineMessage } from '../registry.js';
import { eventsTopic } from '../topics.js';
import { BedTypeSchema } from './beds.js';
import { ShortText, Uuid } from './common.js';

/** Bounded context of the referral workflow (转诊). */
export const REFERRAL = 'referral';
const events = eventsTopic(REFERRAL);

/** A discharge planner asked for a bed for an elder. Subject: the referral. */
export const ReferralRequested = defineMessage({
  type: 'ReferralRequested',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({
    referralId: Uuid,
    /** Opaque reference to the elder in the civil-affairs registry; never identity data. */
    elderRef: ShortText(100),
    institutionId: Uuid,
    bedType: BedTypeSchema,
  }),
});

/** A referral moved from one state to another. Subject: the referral. */
export const ReferralStateChanged = defineMessage({
  type: 'ReferralStateChanged',
  version: 1,
  kind: 'event',
  topic: events,
  schema: Type.Object({
    referralId: Uuid,
    from: ShortText(100),
    to: ShortText(100),
    machineVersion: Type.Integer({ minimum: 1 }),
  }),
});

/** Every message of the referral context. */
export const referralMessages = [ReferralRequested, ReferralStateChanged] as const;
