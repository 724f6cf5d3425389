import type { Database, Tx } from '@fbl/db';
import { sql } from 'drizzle-orm';
import { digest, type CryptoSuite } from './suite.js';

/**
 * The hash chain over a service's append-only logs (等保三级: the audit record protected from
 * change and deletion). A job appends, in a table of its own (`<schema>.audit_chain`), one link per
 * log row: `hash = H(previous hash, log, seq, the row as canonical JSON)`, H being SHA-256 or SM3 by
 * the suite (each link names its algorithm, so a change of suite keeps old links checkable).
 *
 * Which rows, in which order: a row is linked once the transaction that wrote it is finished for
 * every reader, that is when its `xid` is below the oldest transaction still running
 * (`pg_snapshot_xmin`); rows are linked in (xid, seq) order after a cursor kept with the chain's
 * head. A transaction that commits late still has an xid above the cursor, so no row is passed over.
 *
 * What `verifyChain` finds: a log row changed (its link's hash no longer matches), a log row deleted
 * (a link without its row), a link deleted or changed (every later hash stops matching), a row
 * slipped in behind the cursor (a row before the cursor without a link), the last links cut (the
 * head kept in the state no longer matches). Rewriting the whole chain after a change is only found
 * against a head recorded elsewhere: the job logs the head after each pass, and `verifyChain`
 * checks heads given to it.
 */

/** One log under a chain: the schema and the log table (rows with `seq` and `xid` columns). */
export interface ChainedLog {
  readonly schema: string;
  readonly log: string;
}

/** Where a chain stands: how many links, the last link's position and hash. */
export interface ChainHead {
  readonly position: number;
  readonly hash: string;
}

/** What a verification found. */
export type ChainProblem =
  | { kind: 'changed'; position: number; seq: number }
  | { kind: 'deleted'; position: number; seq: number }
  | { kind: 'unlinked'; seq: number }
  | { kind: 'head'; expected: ChainHead; found: ChainHead | null };

export interface ChainVerification {
  readonly ok: boolean;
  /** Links checked. */
  readonly checked: number;
  /** The head the links come to. */
  readonly head: ChainHead | null;
  /** Rows written and finished but not linked yet (the job links them on its next pass). */
  readonly pending: number;
  readonly problems: readonly ChainProblem[];
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
function names(target: ChainedLog) {
  if (!IDENT.test(target.schema) || !IDENT.test(target.log)) throw new Error(`not a plain identifier: ${target.schema}.${target.log}`);
  return { log: sql.raw(`"${target.schema}"."${target.log}"`), chain: sql.raw(`"${target.schema}".audit_chain`), state: sql.raw(`"${target.schema}".audit_chain_state`) };
}

const ALGORITHM: Record<CryptoSuite, string> = { standard: 'sha256', sm: 'sm3' };
const SUITE_OF: Record<string, CryptoSuite> = { sha256: 'standard', sm3: 'sm' };

/** A link's hash, `<algorithm>:<hex>`. */
export function linkHash(suite: CryptoSuite, previous: string, log: string, seq: number, row: string): string {
  return `${ALGORITHM[suite]}:${digest(suite, `${previous}\n${log}\n${seq}\n${row}`)}`;
}

function recompute(stored: string, previous: string, log: string, seq: number, row: string): string {
  const suite = SUITE_OF[stored.split(':')[0] ?? ''];
  return suite ? linkHash(suite, previous, log, seq, row) : '';
}

interface StateRow extends Record<string, unknown> {
  last_xid: string | null;
  last_seq: string | number | null;
  position: string | number | null;
  head: string | null;
  anchor_position: string | number | null;
  anchor_hash: string | null;
}

async function lockedState(database: Database, tx: Tx, target: ChainedLog): Promise<StateRow> {
  const t = names(target);
  await database.rows(tx, sql`insert into ${t.state} (log) values (${target.log}) on conflict (log) do nothing returning log`);
  const [state] = await database.rows<StateRow>(tx, sql`select last_xid::text as last_xid, last_seq, position, head, anchor_position, anchor_hash from ${t.state} where log = ${target.log} for update`);
  return state!;
}

/** The row as the chain hashes it: canonical JSON (jsonb) of every column but `xid`, times in UTC. */
const ROW_TEXT = sql.raw(`(to_jsonb(l) - 'xid')::text`);

/**
 * Link the log's finished rows not linked yet, up to `limit`, in one transaction (several replicas
 * may run this: the chain's state row is locked for the pass). Returns the links added and the head.
 */
export async function chainPass(database: Database, target: ChainedLog, suite: CryptoSuite, limit = 1000): Promise<{ linked: number; head: ChainHead | null }> {
  const t = names(target);
  return database.transaction(async (tx) => {
    await database.rows(tx, sql`select set_config('timezone', 'UTC', true) as tz`);
    const state = await lockedState(database, tx, target);
    const after = state.last_xid === null ? sql`` : sql`and (l.xid, l.seq) > (${state.last_xid}::xid8, ${Number(state.last_seq)})`;
    const rows = await database.rows<{ seq: string | number; xid: string; row: string }>(
      tx,
      sql`select l.seq, l.xid::text as xid, ${ROW_TEXT} as row from ${t.log} l
          where l.xid < pg_snapshot_xmin(pg_current_snapshot()) ${after}
          order by l.xid, l.seq limit ${limit}`,
    );
    let head: ChainHead | null = state.head === null ? null : { position: Number(state.position), hash: state.head };
    if (rows.length === 0) return { linked: 0, head };
    let previous = head?.hash ?? state.anchor_hash ?? '';
    const links = rows.map((r) => {
      previous = linkHash(suite, previous, target.log, Number(r.seq), r.row);
      return { seq: Number(r.seq), hash: previous };
    });
    const inserted = await database.rows<{ position: string | number }>(
      tx,
      sql`insert into ${t.chain} (log, seq, hash) select ${target.log}, s, h from unnest(${sql.raw('ARRAY[')}${sql.join(
        links.map((l) => sql`${l.seq}::bigint`),
        sql`, `,
      )}${sql.raw(']')}, ${sql.raw('ARRAY[')}${sql.join(
        links.map((l) => sql`${l.hash}::text`),
        sql`, `,
      )}${sql.raw(']')}) with ordinality as u(s, h, o) order by o returning position`,
    );
    const last = rows.at(-1)!;
    head = { position: Math.max(...inserted.map((p) => Number(p.position))), hash: previous };
    await database.rows(
      tx,
      sql`update ${t.state} set last_xid = ${last.xid}::xid8, last_seq = ${Number(last.seq)}, position = ${head.position}, head = ${head.hash} where log = ${target.log} returning log`,
    );
    return { linked: rows.length, head };
  });
}

/**
 * Check the chain of a log from its anchor (the last link archived away, if any) to its head,
 * page by page, against the log's rows; and against heads recorded elsewhere, if given.
 */
export async function verifyChain(database: Database, target: ChainedLog, options: { recordedHeads?: readonly ChainHead[]; page?: number } = {}): Promise<ChainVerification> {
  const t = names(target);
  const page = options.page ?? 5000;
  return database.transaction(async (tx) => {
    await database.rows(tx, sql`select set_config('timezone', 'UTC', true) as tz`);
    const [state] = await database.rows<StateRow>(tx, sql`select last_xid::text as last_xid, last_seq, position, head, anchor_position, anchor_hash from ${t.state} where log = ${target.log}`);
    const problems: ChainProblem[] = [];
    const seen = new Map<number, string>();
    let previous = state?.anchor_hash ?? '';
    let after = Number(state?.anchor_position ?? 0);
    let checked = 0;
    let head: ChainHead | null = null;
    // Links a pass adds while this runs are left to the next verification.
    const upTo = Number(state?.position ?? 0);
    for (;;) {
      const links = await database.rows<{ position: string | number; seq: string | number; hash: string; row: string | null }>(
        tx,
        sql`select c.position, c.seq, c.hash, case when l.seq is null then null else ${ROW_TEXT} end as row
            from ${t.chain} c left join ${t.log} l on l.seq = c.seq
            where c.log = ${target.log} and c.position > ${after} and c.position <= ${upTo} order by c.position limit ${page}`,
      );
      for (const link of links) {
        const position = Number(link.position);
        const seq = Number(link.seq);
        if (link.row === null) problems.push({ kind: 'deleted', position, seq });
        else if (recompute(link.hash, previous, target.log, seq, link.row) !== link.hash) problems.push({ kind: 'changed', position, seq });
        // The next link is checked against the stored hash: one change is reported once, where it is.
        previous = link.hash;
        head = { position, hash: link.hash };
        seen.set(position, link.hash);
        checked++;
      }
      if (links.length < page) break;
      after = Number(links.at(-1)!.position);
    }
    // Links cut from the end, or the state's head moved: the head kept with the state must be the last link.
    if (state?.head && (head?.hash !== state.head || head?.position !== Number(state.position))) {
      problems.push({ kind: 'head', expected: { position: Number(state.position), hash: state.head }, found: head });
    }
    for (const recorded of options.recordedHeads ?? []) {
      const found = seen.get(recorded.position);
      if (found !== recorded.hash && !(recorded.position <= Number(state?.anchor_position ?? 0))) problems.push({ kind: 'head', expected: recorded, found: found === undefined ? null : { position: recorded.position, hash: found } });
    }
    // Rows behind the cursor without a link: slipped in after their place in the chain was passed.
    if (state?.last_xid) {
      const unlinked = await database.rows<{ seq: string | number }>(
        tx,
        sql`select l.seq from ${t.log} l where (l.xid, l.seq) <= (${state.last_xid}::xid8, ${Number(state.last_seq)})
            and not exists (select 1 from ${t.chain} c where c.log = ${target.log} and c.seq = l.seq) order by l.seq limit 100`,
      );
      for (const u of unlinked) problems.push({ kind: 'unlinked', seq: Number(u.seq) });
    }
    const after2 = state?.last_xid ? sql`and (l.xid, l.seq) > (${state.last_xid}::xid8, ${Number(state.last_seq)})` : sql``;
    const [pending] = await database.rows<{ n: number }>(tx, sql`select count(*)::int as n from ${t.log} l where l.xid < pg_snapshot_xmin(pg_current_snapshot()) ${after2}`);
    return { ok: problems.length === 0, checked, head, pending: pending?.n ?? 0, problems };
  });
}

/** Links archived in one transaction at most; {@link archiveLog} is called again for more. */
const ARCHIVE_BATCH = 10_000;

/** One archived link with its row, a line of the archive file. */
export interface ArchivedLink {
  readonly position: number;
  readonly seq: number;
  readonly hash: string;
  /** The row as it was hashed: canonical JSON text. */
  readonly row: string;
}

/**
 * Check archived links (as `archiveLog` handed them out, in order) against their rows, from the
 * anchor before them: the position of the first link that does not match, or null when all do.
 */
export function verifyArchivedLinks(anchor: ChainHead | null, log: string, links: readonly ArchivedLink[]): number | null {
  let previous = anchor?.hash ?? '';
  for (const link of links) {
    if (recompute(link.hash, previous, log, link.seq, link.row) !== link.hash) return link.position;
    previous = link.hash;
  }
  return null;
}

/**
 * Move the oldest part of a log out of the database: the linked rows written before `before`, in
 * chain order up to the first newer one, handed to `write` (the caller writes them to an archive
 * file and makes it durable) and only then deleted, together with their links, in the same
 * transaction; the last archived link becomes the anchor a later verification starts from. The
 * archive itself can be verified: it holds the links and their rows, starting from the anchor before.
 */
export async function archiveLog(
  database: Database,
  target: ChainedLog,
  options: { before: Date; write: (header: { anchor: ChainHead | null; log: string }, links: readonly ArchivedLink[]) => Promise<void> },
): Promise<{ archived: number; anchor: ChainHead | null }> {
  const t = names(target);
  return database.transaction(async (tx) => {
    await database.rows(tx, sql`select set_config('timezone', 'UTC', true) as tz`);
    const state = await lockedState(database, tx, target);
    const from = Number(state.anchor_position ?? 0);
    // The first link whose row is newer than the cut (or gone): the archive ends before it.
    const [stop] = await database.rows<{ position: string | number | null }>(
      tx,
      sql`select min(c.position) as position from ${t.chain} c left join ${t.log} l on l.seq = c.seq
          where c.log = ${target.log} and c.position > ${from} and (l.seq is null or l.at >= ${options.before.toISOString()}::timestamptz)`,
    );
    const until = stop?.position == null ? Number(state.position ?? from) : Number(stop.position) - 1;
    const links = await database.rows<{ position: string | number; seq: string | number; hash: string; row: string }>(
      tx,
      sql`select c.position, c.seq, c.hash, ${ROW_TEXT} as row from ${t.chain} c join ${t.log} l on l.seq = c.seq
          where c.log = ${target.log} and c.position > ${from} and c.position <= ${until} order by c.position limit ${ARCHIVE_BATCH}`,
    );
    const before = state.anchor_hash ? { position: from, hash: state.anchor_hash } : null;
    if (links.length === 0) return { archived: 0, anchor: before };
    const archived = links.map((l) => ({ position: Number(l.position), seq: Number(l.seq), hash: l.hash, row: l.row }));
    await options.write({ anchor: before, log: target.log }, archived);
    await database.rows(tx, sql`select set_config('fbl.audit_purge', 'on', true) as purge`);
    const seqs = archived.map((l) => l.seq);
    await database.rows(tx, sql`delete from ${t.log} where seq in (${sql.join(seqs.map((s) => sql`${s}`), sql`, `)}) returning seq`);
    await database.rows(tx, sql`delete from ${t.chain} where log = ${target.log} and position <= ${archived.at(-1)!.position} and position > ${from} returning position`);
    const anchor = { position: archived.at(-1)!.position, hash: archived.at(-1)!.hash };
    await database.rows(tx, sql`update ${t.state} set anchor_position = ${anchor.position}, anchor_hash = ${anchor.hash} where log = ${target.log} returning log`);
    return { archived: archived.length, anchor };
  });
}

/** Those of some logs that this database holds, with their chain tables (a service that never ran here has none). */
export async function chainedLogsIn(database: Database, candidates: readonly ChainedLog[]): Promise<ChainedLog[]> {
  const found: ChainedLog[] = [];
  for (const target of candidates) {
    names(target);
    const [row] = await database.rows<{ chain: string | null; log: string | null }>(
      database.db,
      sql`select to_regclass(${`${target.schema}.audit_chain_state`})::text as chain, to_regclass(${`${target.schema}.${target.log}`})::text as log`,
    );
    if (row?.chain && row.log) found.push(target);
  }
  return found;
}
