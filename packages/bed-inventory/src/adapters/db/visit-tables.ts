import { auditChainTables, auditTable } from '@fbl/privacy';
import { boolean, index, integer, jsonb, primaryKey, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';
import type { PlanContent } from '../../domain/visits.js';

/**
 * The visit tables of a home bed service (present in every bed schema, used by the two home bed
 * types): service plans with every version, the visits they lay out, and the audit log of reads
 * and changes of visit records under its hash chain. Notes, signatures, photos and one-time codes
 * are sealed.
 */
export function visitTables(schema: PgSchema) {
  const visitPlans = schema.table('visit_plans', {
    id: uuid('id').primaryKey(),
    stayId: uuid('stay_id').notNull().unique(),
    institutionId: uuid('institution_id').notNull(),
    elderRef: text('elder_ref').notNull(),
    version: integer('version').notNull(),
    content: jsonb('content').$type<PlanContent>().notNull(),
    scheduledUntil: timestamp('scheduled_until', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  });

  /** Every version of a plan as the provider wrote it, with who changed it and when. */
  const visitPlanVersions = schema.table(
    'visit_plan_versions',
    {
      planId: uuid('plan_id')
        .notNull()
        .references(() => visitPlans.id),
      version: integer('version').notNull(),
      content: jsonb('content').$type<PlanContent>().notNull(),
      changedBy: text('changed_by').notNull(),
      changedByName: text('changed_by_name'),
      changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
    },
    (t) => [primaryKey({ columns: [t.planId, t.version] })],
  );

  const visits = schema.table(
    'visits',
    {
      id: uuid('id').primaryKey(),
      planId: uuid('plan_id')
        .notNull()
        .references(() => visitPlans.id),
      planVersion: integer('plan_version').notNull(),
      stayId: uuid('stay_id').notNull(),
      institutionId: uuid('institution_id').notNull(),
      elderRef: text('elder_ref').notNull(),
      divisionCode: text('division_code').notNull(),
      purpose: text('purpose', { enum: ['service', 'doctor-round', 'review'] }).notNull(),
      windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
      windowEnd: timestamp('window_end', { withTimezone: true }).notNull(),
      graceMinutes: integer('grace_minutes').notNull(),
      workerId: text('worker_id').notNull(),
      workerName: text('worker_name'),
      items: jsonb('items').$type<string[]>().notNull(),
      status: text('status', { enum: ['scheduled', 'in-progress', 'completed', 'missed', 'cancelled'] }).notNull(),
      /** The one-time code the family reads out to confirm the visit, sealed. */
      codeSealed: text('code_sealed').notNull(),
      checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
      checkedInBy: text('checked_in_by'),
      checkedOutAt: timestamp('checked_out_at', { withTimezone: true }),
      late: boolean('late'),
      minutes: integer('minutes'),
      itemsDone: jsonb('items_done').$type<{ code: string; minutes: number }[]>(),
      confirmation: text('confirmation', { enum: ['signature', 'code', 'none'] }),
      /** The signature drawn on the worker's screen (a PNG data URL), sealed. */
      signatureSealed: text('signature_sealed'),
      /** The worker's notes, sealed: health data. */
      notesSealed: text('notes_sealed'),
      missedAt: timestamp('missed_at', { withTimezone: true }),
    },
    (t) => [index('visits_worker_idx').on(t.workerId, t.windowStart), index('visits_institution_idx').on(t.institutionId, t.windowStart), index('visits_plan_idx').on(t.planId, t.status, t.windowStart)],
  );

  /** Photos a worker took on a visit (optional), each sealed: they show the elder and the home. */
  const visitPhotos = schema.table(
    'visit_photos',
    {
      id: uuid('id').primaryKey(),
      visitId: uuid('visit_id')
        .notNull()
        .references(() => visits.id),
      sealed: text('sealed').notNull(),
      addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
    },
    (t) => [index('visit_photos_visit_idx').on(t.visitId)],
  );

  const { chain: auditChain, state: auditChainState } = auditChainTables(schema);
  return { visitPlans, visitPlanVersions, visits, visitPhotos, auditLog: auditTable(schema), auditChain, auditChainState };
}
