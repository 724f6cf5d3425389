import { divisionPrefix, type Principal } from '@fbl/auth';
import { ageOn, maskResidentId, chinaDivisions } from '@fbl/codes';
import type { Executor } from '@fbl/db';
import { userActor, type AuditLog, type AuditOutcome, type FieldProtector } from '@fbl/privacy';
import type { ServicePorts } from '@fbl/service-kit/pipeline';
import { invalidField } from '@fbl/contracts';
import { civilAffairsAuditLog } from '../adapters/db/audit.js';
import { ElderQueries, type ElderScope } from '../adapters/db/elder-queries.js';
import { ElderStore, type ElderRow } from '../adapters/db/elder-store.js';
import { currentAssessmentSince, readElderQuery, reassessmentDue } from '../domain/elder.js';

/** An elder as a list shows them: who, how old, where, how able, and whether an assessment is due. */
export interface ElderSummary {
  elderRef: string;
  name: string;
  gender: 'male' | 'female';
  birthYear: number;
  age: number;
  divisionCode: string;
  /** The county's (or city's) name in the division table; null for a code it does not hold. */
  divisionName: string | null;
  /** The ID number masked (first six and last four characters shown). */
  idNumberMasked: string;
  ability: { level: number; assessedOn: string } | null;
  /** Never assessed, or the latest assessment is older than six months. */
  reassessmentDue: boolean;
}

/** A page of a list and how many there are in all. */
export interface Page<T> {
  total: number;
  items: T[];
}

/** Roles that may search the register (planners only by a name or an ID number, never browse it). */
export const SEARCHERS = ['planner', 'assessor', 'insurer', 'admin'] as const;

/**
 * Finding elders on the register: by full name (through its blind index), by whole ID number
 * (through its keyed hash), or every elder of the caller's division, a page at a time. Names stay
 * sealed at rest; each elder shown is an audited read.
 */
export class ElderDirectory {
  private readonly log: AuditLog;
  private readonly queries = new ElderQueries();
  private readonly store: ElderStore;

  constructor(
    private readonly ports: ServicePorts,
    private readonly protector: FieldProtector,
  ) {
    this.log = civilAffairsAuditLog(ports);
    this.store = new ElderStore(ports.database);
  }

  private get now(): Date {
    return this.ports.clock();
  }

  /**
   * The elders of the caller's scope that match `q` (a full name or a whole ID number; none: all),
   * newest registered first. `due` keeps those due an assessment. Assessors and insurance officers
   * see their division (county, city or province by its code), admins and planners every elder,
   * planners only by a name or an ID number. Bad parameters are refused (400) and audited.
   */
  async search(who: Principal, params: { q?: string; due?: boolean; limit: number; offset: number }): Promise<Page<ElderSummary>> {
    const read = readElderQuery(params.q, this.now);
    const refuse = async (reason: string) => {
      await this.log.alone(this.entry(who, 'search', 'elders', 'invalid'));
      return invalidField('q', reason);
    };
    if (!read.ok) throw await refuse(read.reason);
    const { query } = read;
    if (query.by === 'all' && who.role === 'planner') throw await refuse('required: a planner finds an elder by full name or ID number');
    const search = {
      scope: this.scope(who),
      ...(query.by === 'name' ? { nameHashes: this.protector.nameHashes(query.name) } : {}),
      ...(query.by === 'id-number' ? { idNumberHashes: this.protector.lookupHashes(query.idNumber) } : {}),
      ...(params.due ? { notAssessedSince: currentAssessmentSince(this.now) } : {}),
      limit: params.limit,
      offset: params.offset,
    };
    return this.ports.database.transaction(async (tx) => {
      const { total, rows } = await this.queries.search(tx, search);
      const items = await this.summaries(tx, rows);
      if (items.length === 0) await this.log.write(tx, this.entry(who, 'search', `by-${query.by}`, 'not-found'));
      await this.log.write(tx, ...items.map((e) => this.entry(who, 'search', e.elderRef, 'allowed', { by: query.by })));
      return { total, items };
    });
  }

  /** The elders a principal may find: by division for the officers of one. */
  scope(who: Principal): ElderScope {
    switch (who.role) {
      case 'admin':
      case 'planner':
        return 'all';
      case 'assessor':
      case 'insurer':
      case 'analyst':
        return who.divisionCode ? { divisionPrefix: divisionPrefix(who.divisionCode) } : 'none';
      case 'provider':
        return 'none';
      default: {
        const unreachable: never = who.role;
        throw new Error(`unknown role ${String(unreachable)}`);
      }
    }
  }

  /** The summaries of elders' rows, with each one's latest assessment, in the rows' order. */
  async summaries(db: Executor, rows: readonly ElderRow[]): Promise<ElderSummary[]> {
    if (rows.length === 0) return [];
    const latest = await this.queries.latestAbilities(db, rows.map((r) => r.id));
    const byElder = new Map(latest.map((a) => [a.elderId, a]));
    return rows.map((row) => {
      const ability = byElder.get(row.id);
      return {
        elderRef: row.id,
        name: this.protector.open(row.nameSealed),
        gender: row.gender,
        birthYear: row.birthYear,
        age: ageOn(this.protector.open(row.birthDateSealed), this.now),
        divisionCode: row.divisionCode,
        divisionName: chinaDivisions.get(row.divisionCode)?.name ?? null,
        idNumberMasked: maskResidentId(this.protector.open(row.idNumberSealed)),
        ability: ability ? { level: ability.level, assessedOn: ability.assessedOn } : null,
        reassessmentDue: reassessmentDue(ability?.assessedOn, this.now),
      };
    });
  }

  /**
   * Fill the name index of elders registered before it existed; returns how many. Runs at
   * start-up; each row is indexed in one statement, and a row indexed meanwhile is left alone.
   */
  async indexNames(batch = 500): Promise<number> {
    let indexed = 0;
    for (;;) {
      const rows = await this.store.withoutNameIndex(batch);
      for (const row of rows) await this.store.indexName(row.id, this.protector.nameHash(this.protector.open(row.nameSealed)));
      indexed += rows.length;
      if (rows.length < batch) return indexed;
    }
  }

  private entry(who: Principal, action: string, objectId: string, outcome: AuditOutcome, detail?: Record<string, unknown>) {
    return { actor: userActor(who), action, objectType: 'elder', objectId, outcome, ...(detail ? { detail } : {}) };
  }
}
