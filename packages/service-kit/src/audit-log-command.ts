import { openDatabase } from '@fbl/db';
import { archiveLog, chainedLogsIn, verifyChain, type ChainedLog, type ChainHead, type ChainVerification } from '@fbl/privacy';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { AuditLogConfig } from './config.js';

/** Every append-only log the services keep under a hash chain. */
export const CHAINED_LOGS: readonly ChainedLog[] = [
  { schema: 'civil_affairs', log: 'audit_log' },
  { schema: 'referral', log: 'audit_log' },
  { schema: 'medical_insurance', log: 'audit_log' },
  { schema: 'gateway', log: 'audit_log' },
  { schema: 'gateway', log: 'sign_ins' },
  // The five bed services' records of residents, admissions and (home beds) visits.
  { schema: 'care_beds', log: 'audit_log' },
  { schema: 'medical_beds', log: 'audit_log' },
  { schema: 'home_care_beds', log: 'audit_log' },
  { schema: 'home_sick_beds', log: 'audit_log' },
  { schema: 'hospice_beds', log: 'audit_log' },
];

const DAY_MS = 86_400_000;

const USAGE = `usage:
  pnpm audit-log verify [--schema S] [--head schema.log@position=hash ...]
  pnpm audit-log archive --before YYYY-MM-DD --to FILE [--schema S]
DATABASE_URL (or DATA_DIR for the embedded mode) names the database; AUDIT_RETENTION_DAYS (180) the
shortest time a row is kept: archive refuses a --before later than that many days ago.`;

function describe(target: ChainedLog, result: ChainVerification): string {
  const name = `${target.schema}.${target.log}`;
  if (result.ok) return `${name}: intact, ${result.checked} links, head ${result.head ? `${result.head.position}=${result.head.hash}` : '(none)'}${result.pending ? `, ${result.pending} rows not linked yet` : ''}`;
  return `${name}: ${result.problems.length} problem(s):\n${result.problems
    .map((p) =>
      p.kind === 'changed' ? `  row ${p.seq} (link ${p.position}) was changed`
      : p.kind === 'deleted' ? `  row ${p.seq} (link ${p.position}) was deleted`
      : p.kind === 'unlinked' ? `  row ${p.seq} was slipped in behind the chain`
      : `  the head ${p.expected.position}=${p.expected.hash} is not there (found ${p.found ? `${p.found.position}=${p.found.hash}` : 'nothing'}): links were cut or rewritten`,
    )
    .join('\n')}`;
}

/**
 * `pnpm audit-log verify|archive`: check every chained log of a service's database, or move its
 * rows older than the retention out to an archive file (written and synced before they are deleted).
 * Returns the exit code: 0 intact / archived, 1 a problem found, 2 a usage error.
 */
export async function runAuditLogCommand(argv: readonly string[], config: AuditLogConfig, print: (line: string) => void = console.log): Promise<number> {
  const [verb, ...rest] = argv;
  const flags = new Map<string, string[]>();
  for (let i = 0; i < rest.length; i += 2) {
    const name = rest[i]!;
    if (!name.startsWith('--') || rest[i + 1] === undefined) return (print(USAGE), 2);
    flags.set(name.slice(2), [...(flags.get(name.slice(2)) ?? []), rest[i + 1]!]);
  }
  const schema = flags.get('schema')?.[0];
  if (verb !== 'verify' && verb !== 'archive') return (print(USAGE), 2);
  const database = await openDatabase(config.database);
  try {
    const logs = await chainedLogsIn(database, CHAINED_LOGS.filter((l) => !schema || l.schema === schema));
    if (logs.length === 0) return (print('no chained log in this database'), 2);
    if (verb === 'verify') {
      const heads = new Map<string, ChainHead[]>();
      for (const given of flags.get('head') ?? []) {
        const m = /^([a-z_]+\.[a-z_]+)@(\d+)=(.+)$/.exec(given);
        if (!m) return (print(`--head ${given}: expected schema.log@position=hash`), 2);
        heads.set(m[1]!, [...(heads.get(m[1]!) ?? []), { position: Number(m[2]), hash: m[3]! }]);
      }
      let ok = true;
      for (const target of logs) {
        const result = await verifyChain(database, target, { recordedHeads: heads.get(`${target.schema}.${target.log}`) ?? [] });
        ok &&= result.ok;
        print(describe(target, result));
      }
      return ok ? 0 : 1;
    }
    const before = flags.get('before')?.[0];
    const file = flags.get('to')?.[0];
    if (!before || !/^\d{4}-\d{2}-\d{2}$/.test(before) || !file) return (print(USAGE), 2);
    const cut = new Date(`${before}T00:00:00+08:00`);
    const { retentionDays } = config;
    if (Number.isNaN(cut.getTime()) || cut.getTime() > Date.now() - retentionDays * DAY_MS) {
      return (print(`--before ${before} is within the ${retentionDays} days audit rows are kept`), 2);
    }
    const fd = openSync(file, 'wx', 0o600);
    try {
      for (const target of logs) {
        let total = 0;
        for (;;) {
          const { archived, anchor } = await archiveLog(database, target, {
            before: cut,
            write: async (header, links) => {
              writeSync(fd, `${JSON.stringify({ schema: target.schema, log: header.log, anchor: header.anchor })}\n`);
              for (const link of links) writeSync(fd, `${JSON.stringify(link)}\n`);
              fsyncSync(fd);
            },
          });
          total += archived;
          if (archived === 0) {
            print(`${target.schema}.${target.log}: ${total} rows archived${anchor ? `, the chain now starts after ${anchor.position}=${anchor.hash}` : ''}`);
            break;
          }
        }
      }
    } finally {
      closeSync(fd);
    }
    return 0;
  } finally {
    await database.close();
  }
}
