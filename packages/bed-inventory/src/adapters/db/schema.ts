import { pgSchema } from 'drizzle-orm/pg-core';
import { bedInventoryTables } from './tables.js';

/**
 * The schema drizzle-kit generates the migrations from. Its name is a placeholder: each bed
 * service applies the same migrations to its own schema (`migrationsRenameSchema` in service.ts).
 */
export const PLACEHOLDER_SCHEMA = 'bed_inventory';
export const bedInventorySchema = pgSchema(PLACEHOLDER_SCHEMA);
const tables = bedInventoryTables(bedInventorySchema);

export const { institutions, units, unitCounts, holds, stays, transfers, episodeReviews, visitPlans, visitPlanVersions, visits, visitPhotos, auditLog, auditChain, auditChainState } = tables;
export const { outbox, inbox, timers } = tables.messaging;
