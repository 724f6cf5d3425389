import type { Executor, Tx } from '@fbl/db';
import { and, desc, inArray, isNull, like, sql, type SQL } from 'drizzle-orm';
import type { ElderRow } from './elder-store.js';
import { assessments, elders } from './schema.js';

/** Which elders a principal may find: every one, none, or those whose division code starts with a prefix. */
export type ElderScope = 'all' | 'none' | { divisionPrefix: string };

/** The SQL condition of an elder scope over the elders table (none for every elder). */
export function scopeCondition(scope: ElderScope): SQL | undefined {
  if (scope === 'all') return undefined;
  if (scope === 'none') return sql`false`;
  return like(elders.divisionCode, `${scope.divisionPrefix}%`);
}

/** What a search of the register asks for; each condition given narrows it. */
export interface ElderSearch {
  scope: ElderScope;
  /** The blind indexes a full name may be stored under (the current one first). */
  nameHashes?: readonly string[];
  /** The keyed hashes a whole ID number may be stored under (the current one first). */
  idNumberHashes?: readonly string[];
  /** Only elders with no assessment on or after this day (`YYYY-MM-DD`): those due one. */
  notAssessedSince?: string;
  limit: number;
  offset: number;
}

/** Reads of the elder register for lists: searches, and each elder's latest ability level. */
export class ElderQueries {
  /** A page of the elders found, newest registered first, and how many there are in all. */
  async search(tx: Tx, q: ElderSearch): Promise<{ total: number; rows: ElderRow[] }> {
    const where = and(
      // An erased record is no one any more: it is not listed or found.
      isNull(elders.erasedAt),
      scopeCondition(q.scope),
      q.nameHashes !== undefined ? inArray(elders.nameHash, [...q.nameHashes]) : undefined,
      q.idNumberHashes !== undefined ? inArray(elders.idNumberHash, [...q.idNumberHashes]) : undefined,
      q.notAssessedSince !== undefined ? sql`not exists (select 1 from ${assessments} where ${assessments.elderId} = ${elders.id} and ${assessments.assessedOn} >= ${q.notAssessedSince})` : undefined,
    );
    const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(elders).where(where);
    const rows = await tx.select().from(elders).where(where).orderBy(desc(elders.createdAt), desc(elders.id)).limit(q.limit).offset(q.offset);
    return { total: Number(count?.n ?? 0), rows };
  }

  /** The latest assessment of each of these elders that has one (by day assessed, then by when recorded). */
  latestAbilities(db: Executor, elderIds: readonly string[]): Promise<{ elderId: string; level: number; assessedOn: string }[]> {
    return db
      .selectDistinctOn([assessments.elderId], { elderId: assessments.elderId, level: assessments.level, assessedOn: assessments.assessedOn })
      .from(assessments)
      .where(inArray(assessments.elderId, [...elderIds]))
      .orderBy(assessments.elderId, desc(assessments.assessedOn), desc(assessments.recordedAt));
  }
}
