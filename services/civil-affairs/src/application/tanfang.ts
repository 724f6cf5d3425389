import { divisionCovers, divisionPrefix, type Principal } from '@fbl/auth';
import { conflict, createMessage, eventsTopic, CIVIL_AFFAIRS, HomeVisitCompleted, invalidInput, newId, notFound, Refusal, SPECIAL_HARDSHIP_CATEGORIES, TanfangScheduled, type MessageOrigin, type VisitChannel } from '@fbl/contracts';
import type { Tx } from '@fbl/db';
import type { Outbox } from '@fbl/messaging';
import { userActor, type Actor, type AuditLog } from '@fbl/privacy';
import type { ServicePorts } from '@fbl/service-kit/pipeline';
import { civilAffairsAuditLog } from '../adapters/db/audit.js';
import { HomeCareStore, type TanfangRow } from '../adapters/db/home-care-store.js';
import { monthDays } from '../domain/home-care-hours.js';
import { localDate } from '../domain/waiting-list.js';
import type { Elders } from './elders.js';

/** Categories whose 探访 is planned at home (上门); the others by phone. Any channel may be recorded. */
const AT_HOME = new Set(['living-alone', 'disabled', 'severe-disability']);

/** A 探访 as recorded by the civil-affairs account that made it, with the fields of a visit record. */
export interface TanfangVisit {
  channel: VisitChannel;
  checkedInAt: string;
  checkedOutAt: string;
  items: { code: string; minutes: number }[];
  confirmation: 'signature' | 'code' | 'none';
}

/** The scope of a principal as a division-code prefix: '' for admins (everything). */
const scopeOf = (who: Principal) => (who.role === 'admin' ? '' : divisionPrefix(who.divisionCode ?? '999999'));

/**
 * The monthly 探访 of elders on the special-hardship register (独居, 空巢, 留守, 失能, 重残, 计划
 * 生育特殊家庭): one per elder and month, scheduled at the start of the month (and when an elder is
 * listed during it), assigned to a civil-affairs account, answered by a visit record of the same
 * shape as a provider's (`HomeVisitCompleted`, purpose `tanfang`). An elder stays on the month's
 * due list until visited.
 */
export class Tanfang {
  private readonly store: HomeCareStore;
  private readonly log: AuditLog;

  constructor(
    private readonly ports: ServicePorts,
    private readonly registry: Elders,
  ) {
    this.store = new HomeCareStore(ports.database);
    this.log = civilAffairsAuditLog(ports);
  }

  /** The current month, China time. */
  thisMonth(): string {
    return localDate(this.ports.clock()).slice(0, 7);
  }

  /**
   * Schedule a month's 探访 for every elder of the scope (a division prefix, '' for all) listed in a
   * special-hardship category valid in it, or for one elder: idempotent, one per elder and month;
   * `TanfangScheduled` for each one made. The number made.
   */
  async schedule(month: string, scope: string, origin: MessageOrigin, actor: Actor, elderId?: string): Promise<number> {
    const { first, last } = monthDays(month);
    const at = this.ports.clock();
    return this.ports.transact(async (tx, outbox) => {
      const listed = await this.store.registered(tx, SPECIAL_HARDSHIP_CATEGORIES, first, last, scope, elderId);
      const made = await this.store.schedule(
        tx,
        listed.map((e) => ({ id: newId(), elderId: e.elderId, month, divisionCode: e.divisionCode, categories: e.categories, channel: e.categories.some((c) => AT_HOME.has(c)) ? 'home' : 'phone', scheduledAt: at })),
      );
      for (const t of made) await this.log.write(tx, { actor, action: 'schedule-tanfang', objectType: 'tanfang', objectId: t.id, outcome: 'allowed', detail: { elderId: t.elderId, month } });
      await this.announce(tx, outbox, made, origin, at);
      return made.length;
    });
  }

  private async announce(tx: Tx, outbox: Outbox, made: TanfangRow[], origin: MessageOrigin, at: Date): Promise<void> {
    const categories = (row: TanfangRow) => row.categories.filter((c): c is (typeof SPECIAL_HARDSHIP_CATEGORIES)[number] => (SPECIAL_HARDSHIP_CATEGORIES as readonly string[]).includes(c));
    if (made.length === 0) return;
    await outbox.append(
      tx,
      made.map((t) => createMessage(TanfangScheduled, t.id, { tanfangId: t.id, elderRef: t.elderId, divisionCode: t.divisionCode, month: t.month, categories: categories(t), channel: t.channel as VisitChannel, scheduledAt: at.toISOString() }, origin)),
    );
  }

  /** Schedule this month's 探访 for the caller's division (assessors) or everywhere (admins). */
  scheduleFor(who: Principal, month: string, origin: MessageOrigin): Promise<number> {
    return this.schedule(month, scopeOf(who), origin, userActor(who));
  }

  /**
   * A month's 探访 of the caller's division, not yet visited first; `due` keeps only those. Each
   * elder shown is named as the caller's role may see them (an audited read).
   */
  async list(who: Principal, month: string, due: boolean) {
    const rows = await this.store.tanfangOf(month, scopeOf(who), due);
    const names = rows.length === 0 ? [] : await this.registry.names(rows.map((r) => r.elderId), who);
    return rows.map((r) => ({
      tanfangId: r.id,
      elderRef: r.elderId,
      name: names.find((n) => n.elderRef === r.elderId)?.name ?? null,
      divisionCode: r.divisionCode,
      month: r.month,
      categories: r.categories,
      channel: r.channel,
      assignedTo: r.assignedTo,
      assignedName: r.assignedName,
      visitId: r.visitId,
      visitedAt: r.visitedAt?.toISOString() ?? null,
    }));
  }

  private async inScope(tx: Tx, id: string, who: Principal, action: string): Promise<TanfangRow> {
    const row = await this.store.tanfangById(tx, id, true);
    if (!row) throw notFound(`探访 ${id}`);
    if (who.role !== 'admin' && !divisionCovers(who.divisionCode, row.divisionCode)) {
      await this.log.alone({ actor: userActor(who), action, objectType: 'tanfang', objectId: id, outcome: 'denied' });
      throw new Refusal('forbidden', 'this 探访 is outside your division');
    }
    return row;
  }

  /** Assign a 探访 to a civil-affairs account (the caller's own when none is given). */
  async assign(id: string, to: { userId: string; name?: string } | undefined, who: Principal): Promise<void> {
    await this.ports.transact(async (tx) => {
      const row = await this.inScope(tx, id, who, 'assign-tanfang');
      if (row.visitId) throw conflict('this 探访 has been made');
      const target = to ?? { userId: who.userId, ...(who.name ? { name: who.name } : {}) };
      await this.store.assign(tx, id, target.userId, target.name ?? null);
      await this.log.write(tx, { actor: userActor(who), action: 'assign-tanfang', objectType: 'tanfang', objectId: id, outcome: 'allowed', detail: { to: target.userId } });
    });
  }

  /**
   * Record a 探访 as made: a visit record of purpose `tanfang` kept with the providers' visits,
   * the 探访 answered, and `HomeVisitCompleted` with its `tanfangId` on `civil-affairs.events`.
   */
  async record(id: string, v: TanfangVisit, who: Principal, origin: MessageOrigin): Promise<{ visitId: string }> {
    const inAt = new Date(v.checkedInAt);
    const outAt = new Date(v.checkedOutAt);
    const now = this.ports.clock();
    if (outAt < inAt) throw invalidInput([{ field: 'checkedOutAt', pointer: '/checkedOutAt', in: 'body', reason: 'must not be before checkedInAt' }]);
    if (outAt > now) throw invalidInput([{ field: 'checkedOutAt', pointer: '/checkedOutAt', in: 'body', reason: 'must not be in the future' }]);
    const minutes = Math.floor((outAt.getTime() - inAt.getTime()) / 60_000);
    if (minutes > 24 * 60) throw invalidInput([{ field: 'checkedOutAt', pointer: '/checkedOutAt', in: 'body', reason: 'a visit lasts at most a day' }]);
    return this.ports.transact(async (tx, outbox) => {
      const row = await this.inScope(tx, id, who, 'record-tanfang');
      if (row.visitId) throw conflict('this 探访 has been recorded already');
      const { first } = monthDays(row.month);
      const windowStart = new Date(`${first}T00:00:00+08:00`);
      const [y, m] = row.month.split('-').map(Number) as [number, number];
      const windowEnd = new Date(Date.UTC(y, m, 1) - 8 * 3600_000);
      const visitId = newId();
      const visit = { visitId, elderRef: row.elderId, divisionCode: row.divisionCode, tanfangId: row.id, purpose: 'tanfang' as const, channel: v.channel, windowStart, windowEnd, checkedInAt: inAt, checkedOutAt: outAt, minutes, items: v.items, confirmation: v.confirmation, late: false };
      await this.store.recordVisit(tx, { ...visit, institutionId: null, bedType: null, planId: null, month: localDate(inAt).slice(0, 7), recordedBy: who.userId });
      await this.store.visited(tx, id, visitId, outAt);
      await this.registry.audit(tx, who, 'record-tanfang', row.elderId, 'allowed', { tanfangId: id, channel: v.channel });
      await outbox.append(tx, [
        createMessage(
          HomeVisitCompleted,
          visitId,
          { ...visit, windowStart: windowStart.toISOString(), windowEnd: windowEnd.toISOString(), checkedInAt: inAt.toISOString(), checkedOutAt: outAt.toISOString() },
          origin,
          { time: now, topic: eventsTopic(CIVIL_AFFAIRS) },
        ),
      ]);
      return { visitId };
    });
  }
}
