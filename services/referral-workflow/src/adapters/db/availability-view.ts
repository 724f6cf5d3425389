import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '@fbl/db';
import type { Logger } from '@fbl/observability';
import { and, eq, or, sql } from 'drizzle-orm';
import type { ProviderAvailability } from '../../domain/matching.js';
import type { BedTypeName } from '../../domain/types.js';
import { availability } from './schema.js';

const byName = new Intl.Collator('zh-CN').compare;

/** The PostgreSQL channel on which a replica announces the availability rows it changed. */
export const AVAILABILITY_CHANNEL = 'fbl_availability_changed';

/** Rows per NOTIFY (a payload is at most 8000 bytes; a key takes about 50). */
const KEYS_PER_NOTIFY = 120;

/** A row of the availability projection: an institution's capacity of one bed type. */
export interface AvailabilityKey {
  institutionId: string;
  bedType: string;
}

type Row = typeof availability.$inferSelect;

/** The rows of the projection, as matching reads them. */
export function providerOf(r: Row): ProviderAvailability {
  return {
    institutionId: r.institutionId,
    bedType: r.bedType as BedTypeName,
    name: r.name,
    divisionCode: r.divisionCode,
    capabilities: r.capabilities,
    serviceArea: r.serviceArea,
    greenChannelPartners: r.greenChannelPartners,
    units: r.units as ProviderAvailability['units'],
  };
}

/** One bed type's providers, in institution order, and where each is. */
interface OfType {
  list: ProviderAvailability[];
  sequences: number[];
  at: Map<string, number>;
}

/** Settings of the view. */
export interface AvailabilityViewOptions {
  /** How often the whole table is read again, whatever was announced (default one minute). */
  resyncMs?: number;
}

/**
 * The availability projection kept in this process's memory, so matching ranks without reading
 * 5,000 rows in its transaction. The table stays the truth: the view only ever holds rows read
 * from it, never a message's data, and keeps of each row the highest `sequence` it has read (the
 * table itself only moves forward), so reads finishing out of order cannot move it back.
 *
 * It follows the table: loaded whole when the service starts; after a consumed batch that
 * projected availability commits, the rows it changed are read again at once ({@link changed},
 * an after-commit task of the consumer, so the next message sees them) and announced on
 * {@link AVAILABILITY_CHANNEL}, so every other replica reads them again too (PostgreSQL and PGlite
 * alike); when the listening session is re-established (announcements may have been missed) and
 * every `resyncMs`, the whole table is read again. Staleness is so bounded by the time an
 * announcement takes to arrive (milliseconds), and by `resyncMs` when one is lost.
 *
 * A stale view cannot admit anyone: matching only makes offers; the provider answers each and the
 * bed service decides the hold (`BedHoldRejected` when its unit is gone). And matching confirms a
 * ranking without candidates, or without the provider the sender chose, with the table before
 * it answers so (see `application/referral-matching.ts`), so staleness never escalates a referral
 * a provider could take.
 */
export class AvailabilityView {
  private readonly types = new Map<string, OfType>();
  private loaded = false;
  private readonly replica = randomUUID();
  private stopListening: (() => Promise<void>) | undefined;
  private retry: NodeJS.Timeout | undefined;
  private resync: NodeJS.Timeout | undefined;
  private stopped = true;
  private listens = 0;
  private loading: Promise<void> | undefined;
  private pending: AvailabilityKey[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    private readonly options: AvailabilityViewOptions = {},
  ) {}

  /** Whether the view has been loaded (before, matching reads the table). */
  get ready(): boolean {
    return this.loaded;
  }

  /** The providers of some bed types, in institution order; undefined until the view is loaded. */
  providers(bedTypes: readonly BedTypeName[]): ProviderAvailability[] | undefined {
    if (!this.loaded) return undefined;
    const found: ProviderAvailability[] = [];
    for (const bedType of new Set(bedTypes)) {
      const ofType = this.types.get(bedType);
      if (ofType) for (const p of ofType.list) found.push(p);
    }
    return found;
  }

  /** The rows the view holds (of one bed type, or all), by name; undefined until the view is loaded. */
  rows(bedType?: string): { institutionId: string; bedType: string; name: string; divisionCode: string; capabilities: string[]; greenChannelPartners: string[]; sequence: number; units: unknown }[] | undefined {
    if (!this.loaded) return undefined;
    const found = [...this.types.entries()]
      .filter(([type]) => bedType === undefined || type === bedType)
      .flatMap(([, ofType]) => ofType.list.map((p, i) => ({ ...p, sequence: ofType.sequences[i]! })));
    return found.sort((a, b) => byName(a.name, b.name));
  }

  /** Start following the table: listen for announcements, load it, and read it again every `resyncMs`. */
  start(): void {
    this.stopped = false;
    void this.listen(1000);
    void this.reload();
    this.resync = setInterval(() => void this.reload(), this.options.resyncMs ?? 60_000);
    this.resync.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.resync);
    await this.stopListening?.();
    this.stopListening = undefined;
    await this.loading;
  }

  /**
   * Rows this process changed in a transaction that committed: read them again, then announce
   * them to the other replicas. Never throws (a failure is logged; the next resync repairs it).
   */
  changed(keys: readonly AvailabilityKey[]): Promise<void> {
    // The rows of one committed batch are read (and announced) together.
    this.pending.push(...keys);
    return (this.flushing ??= Promise.resolve().then(() => this.flush()));
  }

  private async flush(): Promise<void> {
    const keys = this.pending;
    this.pending = [];
    this.flushing = undefined;
    if (keys.length === 0) return;
    try {
      const unique = [...new Map(keys.map((k) => [`${k.institutionId}|${k.bedType}`, k])).values()];
      await this.refresh(unique);
      for (let i = 0; i < unique.length; i += KEYS_PER_NOTIFY) {
        const payload = JSON.stringify({ from: this.replica, keys: unique.slice(i, i + KEYS_PER_NOTIFY).map((k) => [k.institutionId, k.bedType]) });
        await this.database.rows(this.database.db, sql`select pg_notify(${AVAILABILITY_CHANNEL}, ${payload})`);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'availability rows could not be read again or announced; the next resync reads them');
    }
  }

  /** Read the whole table and take every row newer than the view's. */
  reload(): Promise<void> {
    // One load at a time; a resync asked for meanwhile waits for it and loads again.
    const previous = this.loading ?? Promise.resolve();
    const next = previous.then(async () => {
      if (this.stopped && this.loaded) return;
      try {
        const rows = await this.database.db.select().from(availability);
        this.take(rows);
        this.loaded = true;
      } catch (error) {
        this.logger.warn({ err: error }, 'the availability view could not be loaded; matching reads the table meanwhile');
      }
    });
    this.loading = next;
    void next.finally(() => {
      if (this.loading === next) this.loading = undefined;
    });
    return next;
  }

  /** Read some rows again. */
  private async refresh(keys: readonly AvailabilityKey[], db: Executor = this.database.db): Promise<void> {
    for (let i = 0; i < keys.length; i += 500) {
      const some = keys.slice(i, i + 500);
      const rows = await db
        .select()
        .from(availability)
        .where(or(...some.map((k) => and(eq(availability.institutionId, k.institutionId), eq(availability.bedType, k.bedType)))));
      this.take(rows);
    }
  }

  /** Keep each row unless the view has it at a sequence as high. */
  private take(rows: readonly Row[]): void {
    const added = new Set<OfType>();
    for (const r of rows) {
      let ofType = this.types.get(r.bedType);
      if (!ofType) this.types.set(r.bedType, (ofType = { list: [], sequences: [], at: new Map() }));
      const at = ofType.at.get(r.institutionId);
      if (at === undefined) {
        ofType.list.push(providerOf(r));
        ofType.sequences.push(r.sequence);
        added.add(ofType);
      } else if (r.sequence > ofType.sequences[at]!) {
        ofType.list[at] = providerOf(r);
        ofType.sequences[at] = r.sequence;
      }
    }
    // A new institution (rare): the bed type's list is put in institution order again.
    for (const ofType of added) {
      const order = ofType.list.map((p, i) => ({ p, s: ofType.sequences[i]! })).sort((a, b) => (a.p.institutionId < b.p.institutionId ? -1 : a.p.institutionId > b.p.institutionId ? 1 : 0));
      ofType.list = order.map((o) => o.p);
      ofType.sequences = order.map((o) => o.s);
      ofType.at = new Map(ofType.list.map((p, i) => [p.institutionId, i]));
    }
  }

  private async listen(backoffMs: number): Promise<void> {
    try {
      const handle = await this.database.listen(
        AVAILABILITY_CHANNEL,
        (payload) => void this.announced(payload),
        () => {
          // A re-established session may have missed announcements: read everything again.
          this.listens += 1;
          if (this.listens > 1) void this.reload();
        },
      );
      if (this.stopped) await handle.unlisten();
      else this.stopListening = () => handle.unlisten();
    } catch (error) {
      if (this.stopped) return;
      this.logger.warn({ err: error, retryInMs: backoffMs }, 'could not listen for availability changes; trying again');
      this.retry = setTimeout(() => void this.listen(Math.min(backoffMs * 2, 30_000)), backoffMs);
    }
  }

  private async announced(payload: string): Promise<void> {
    let keys: AvailabilityKey[];
    try {
      const parsed = JSON.parse(payload) as { from: string; keys: [string, string][] };
      if (parsed.from === this.replica) return;
      keys = parsed.keys.map(([institutionId, bedType]) => ({ institutionId, bedType }));
    } catch {
      this.logger.warn('unreadable availability change notification ignored');
      return;
    }
    try {
      await this.refresh(keys);
    } catch (error) {
      this.logger.warn({ err: error }, 'announced availability rows could not be read; the next resync reads them');
    }
  }
}
