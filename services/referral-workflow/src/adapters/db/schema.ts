import { messagingTables } from '@fbl/db';
import { auditChainTables, auditTable } from '@fbl/privacy';
import { bigint, boolean, customType, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** The referral-workflow service's own schema. */
export const referralSchema = pgSchema('referral');

/** The outbox, inbox and timers of this schema. */
export const messaging = messagingTables(referralSchema);
export const { outbox, inbox, timers } = messaging;

/** Every read or change of a referral packet or attachment, allowed or refused; append-only. */
export const auditLog = auditTable(referralSchema);

/** The hash chain over the audit log, and where it stands. */
export const { chain: auditChain, state: auditChainState } = auditChainTables(referralSchema);

/** Bytes (sealed documents), as PostgreSQL's bytea; postgres.js gives a Buffer, PGlite a Uint8Array. */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
});

/**
 * One row per referral: the persisted XState snapshot, the machine version it runs on, and an
 * optimistic `version` that every write checks and bumps, so two replicas never both advance it.
 * The other columns are copies for queries (inboxes, lists, the commission's drill-down).
 */
export const referrals = referralSchema.table(
  'referrals',
  {
    id: uuid('id').primaryKey(),
    /** The referral's number for people (转诊单号), in order of creation. */
    number: bigint('number', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    machineVersion: integer('machine_version').notNull(),
    state: text('state').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    version: integer('version').notNull(),
    kind: text('kind').notNull(),
    urgency: text('urgency').notNull(),
    elderRef: text('elder_ref').notNull(),
    originInstitutionId: uuid('origin_institution_id').notNull(),
    /** The elder's stay at the origin, when its bed service knows it (its discharge is awaited). */
    originAdmissionId: uuid('origin_admission_id'),
    /** The referral this one came from (an urgent transfer's return trip). */
    parentId: uuid('parent_id'),
    /** The beds elsewhere the elder is in and leaves by this referral (转床), as the referring side confirmed. */
    movesFrom: jsonb('moves_from'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('referrals_number_uq').on(t.number), index('referrals_created_idx').on(t.createdAt), index('referrals_state_idx').on(t.state), index('referrals_elder_idx').on(t.elderRef), index('referrals_origin_idx').on(t.originInstitutionId, t.createdAt), index('referrals_origin_stay_idx').on(t.originAdmissionId)],
);

/** What happened to a referral, step by step: who or what caused it, and the state it led to. */
export const timeline = referralSchema.table(
  'timeline',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    event: text('event').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    /** Who or what: a person's id, a service, or a deadline. */
    actor: text('actor').notNull(),
    /** The person's display name and role when they acted; `service` or `deadline` otherwise. */
    actorName: text('actor_name'),
    actorRole: text('actor_role'),
    /** The institution the actor acted for (a person's, or the one a service's message names). */
    actorInstitutionId: uuid('actor_institution_id'),
    causedBy: text('caused_by').notNull(),
    detail: text('detail'),
  },
  (t) => [index('timeline_referral_idx').on(t.referralId, t.seq)],
);

/** Offers as providers see them in their inbox. */
export const offers = referralSchema.table(
  'offers',
  {
    id: uuid('id').primaryKey(),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    institutionId: uuid('institution_id').notNull(),
    bedType: text('bed_type').notNull(),
    rank: integer('rank').notNull(),
    status: text('status').notNull(),
    reasonCode: text('reason_code'),
    /** The provider's own words on a decline (may name health needs): sealed. */
    declineNoteSealed: text('decline_note_sealed'),
    urgency: text('urgency').notNull(),
    offeredAt: timestamp('offered_at', { withTimezone: true }).notNull(),
    respondBy: timestamp('respond_by', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [index('offers_institution_idx').on(t.institutionId, t.status), index('offers_referral_idx').on(t.referralId)],
);

/** Each matching run: the ranking and the exclusions with their reasons. */
export const matchRuns = referralSchema.table(
  'match_runs',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    widened: integer('widened').notNull(),
    /** Rankings stored before sealing existed; new runs keep `resultSealed` only. */
    result: jsonb('result'),
    /** The ranking and its exclusions (their reasons cite the elder's health facts): sealed JSON. */
    resultSealed: text('result_sealed'),
  },
  // A referral's latest run is read by its id (the page of a referral); without the index every read scanned all runs.
  (t) => [index('match_runs_referral_idx').on(t.referralId, t.seq)],
);

/** The bed services' capacity, as their BedAvailabilityChanged events tell it (latest sequence wins). */
export const availability = referralSchema.table(
  'availability',
  {
    institutionId: uuid('institution_id').notNull(),
    bedType: text('bed_type').notNull(),
    sequence: integer('sequence').notNull(),
    name: text('name').notNull(),
    divisionCode: text('division_code').notNull(),
    capabilities: jsonb('capabilities').$type<string[]>().notNull(),
    serviceArea: jsonb('service_area').$type<string[]>().notNull(),
    greenChannelPartners: jsonb('green_channel_partners').$type<string[]>().notNull(),
    units: jsonb('units').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.institutionId, t.bedType] }), index('availability_type_idx').on(t.bedType)],
);

/** What civil affairs and medical insurance have said about elders (by opaque reference). */
export const elderFacts = referralSchema.table('elder_facts', {
  elderRef: text('elder_ref').primaryKey(),
  facts: jsonb('facts').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** What civil affairs announced of elders when they registered: sex, birth year, home division (no identity). */
export const elderProfiles = referralSchema.table('elder_profiles', {
  elderRef: text('elder_ref').primaryKey(),
  gender: text('gender').notNull(),
  birthYear: integer('birth_year').notNull(),
  divisionCode: text('division_code').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** The referral packet (转诊资料): the planner's document, sealed whole; `version` counts its changes. */
export const packets = referralSchema.table('packets', {
  referralId: uuid('referral_id')
    .primaryKey()
    .references(() => referrals.id),
  sealed: text('sealed').notNull(),
  version: integer('version').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** Consent to share the packet with providers, as given and withdrawn; the latest row holds. */
export const packetConsents = referralSchema.table(
  'packet_consents',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    granted: boolean('granted').notNull(),
    givenBy: text('given_by').notNull(),
    giverNameSealed: text('giver_name_sealed'),
    method: text('method').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedByName: text('recorded_by_name'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('packet_consents_referral_idx').on(t.referralId, t.seq)],
);

/** Documents sent with a referral: what they are; their bytes are in `attachment_contents`. */
export const attachments = referralSchema.table(
  'attachments',
  {
    id: uuid('id').primaryKey(),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    kind: text('kind').notNull(),
    mediaType: text('media_type').notNull(),
    size: integer('size').notNull(),
    nameSealed: text('name_sealed').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
    /** When the bytes were removed (by the planner, or by retention after the referral ended). */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletedReason: text('deleted_reason'),
  },
  (t) => [index('attachments_referral_idx').on(t.referralId)],
);

/** The sealed bytes of each attachment, kept apart so lists never read them. */
export const attachmentContents = referralSchema.table('attachment_contents', {
  attachmentId: uuid('attachment_id')
    .primaryKey()
    .references(() => attachments.id),
  sealed: bytea('sealed').notNull(),
});

/** The receiving provider's follow-up (随访) of a referral, sealed whole: it is health data. */
export const followUps = referralSchema.table('follow_ups', {
  referralId: uuid('referral_id')
    .primaryKey()
    .references(() => referrals.id),
  sealed: text('sealed').notNull(),
  recordedBy: text('recorded_by').notNull(),
  recordedByName: text('recorded_by_name'),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
});

/**
 * Where each elder is now: one row per stay in any bed service (care home, hospital, home care,
 * home sick bed, hospice), from admission until discharge. A referral into a second bed while
 * one is held elsewhere must be an explicit move (两床融合 of home care and home sick bed aside).
 */
export const elderStays = referralSchema.table(
  'elder_stays',
  {
    admissionId: uuid('admission_id').primaryKey(),
    elderRef: text('elder_ref').notNull(),
    institutionId: uuid('institution_id').notNull(),
    bedType: text('bed_type').notNull(),
    admittedAt: timestamp('admitted_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('elder_stays_elder_idx').on(t.elderRef)],
);

/**
 * Why the care home sends a resident to hospital (转院原因), one row per urgent-transfer referral,
 * written in the transaction that starts it: health text, sealed. The offered hospital's staff
 * read it in their inbox without a consent record (PIPL art. 13 (1)(4)).
 */
export const transferReasons = referralSchema.table('transfer_reasons', {
  referralId: uuid('referral_id')
    .primaryKey()
    .references(() => referrals.id),
  /** The bed service's transfer the referral answers. */
  transferId: uuid('transfer_id').notNull(),
  reasonSealed: text('reason_sealed').notNull(),
  requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
});
