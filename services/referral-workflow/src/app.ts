import type { TokenKey } from '@fbl/auth';
import { Gauge } from 'prom-client';
import { BED_TYPES, bedCommandsTopic, bedEventsTopic, CIVIL_AFFAIRS, commandsTopic, eventsTopic, MEDICAL_INSURANCE, REFERRAL } from '@fbl/contracts';
import { AuditLog, Sealer, suiteOf, type SealingKeys } from '@fbl/privacy';
import { ServiceKit, type BackgroundJob, type ServiceDefinition, type ServiceDeps } from '@fbl/service-kit';
import { fileURLToPath } from 'node:url';
import { changeNotices } from './adapters/db/change-notices.js';
import { PacketStore } from './adapters/db/packet-store.js';
import { TransferReasonStore } from './adapters/db/transfer-reason-store.js';
import { auditLog, messaging } from './adapters/db/schema.js';
import { packetRoutes } from './adapters/http/packet-routes.js';
import { referralRoutes } from './adapters/http/routes.js';
import { referralHandlers } from './adapters/messages/handlers.js';
import { Attachments } from './application/attachments.js';
import { ReferralChanges } from './application/changes.js';
import { Packets } from './application/packets.js';
import { ReferralReads } from './application/referral-reads.js';
import { Referrals, SERVICE } from './application/referrals.js';
import { UrgentTransfers } from './application/urgent-transfers.js';
import { GREEN_CHANNEL_DEADLINES, ROUTINE_DEADLINES, type Deadlines } from './domain/types.js';

/** The referral-workflow service as a definition any process can host. */
export interface ReferralWorkflowService extends ServiceDefinition {
  referrals: Referrals;
  attachments: Attachments;
}

/** Settings of the referral-workflow service. */
export interface ReferralWorkflowOptions {
  authSecret: TokenKey;
  /**
   * The key that seals referral packets, attachments and rankings at rest (PII_ENCRYPTION_KEY, 32
   * bytes, base64), or the suite (CRYPTO_SUITE), key and keys of before a rotation.
   */
  encryptionKey: string | SealingKeys;
  deadlines?: { routine: Deadlines; greenChannel: Deadlines };
  /** Days an attachment's bytes are kept after its referral closed or was cancelled (default 90). */
  attachmentRetentionDays?: number;
  /** How often the in-memory availability view reads the whole projection again, whatever was announced (default 60 s). */
  availabilityResyncMs?: number;
}

/** How often ended referrals' attachments past their retention are looked for. */
const RETENTION_SWEEP_MS = 3600_000;

/** Build the referral-workflow service on the given dependencies. */
export function referralWorkflowService(deps: ServiceDeps, options: ReferralWorkflowOptions): ReferralWorkflowService {
  const kit = new ServiceKit(SERVICE, messaging, deps);
  const sealer = new Sealer(options.encryptionKey);
  const store = new PacketStore(sealer);
  const log = new AuditLog({ database: deps.database, table: auditLog, clock: deps.clock });
  const referrals = new Referrals(kit.ports, options.deadlines ?? { routine: ROUTINE_DEADLINES, greenChannel: GREEN_CHANNEL_DEADLINES }, store, options.availabilityResyncMs ? { resyncMs: options.availabilityResyncMs } : {});
  const packets = new Packets(kit.ports, referrals, store, log);
  const attachments = new Attachments(kit.ports, packets, sealer, options.attachmentRetentionDays ?? 90);
  const urgent = new UrgentTransfers(kit.ports, referrals, new TransferReasonStore(sealer), store, log);
  const reads = new ReferralReads(kit.ports, store, packets, urgent, referrals.availability);
  const changes = new ReferralChanges(deps.database, kit.logger, (ids) => referrals.current(ids));
  // Every change of a referral publishes an event keyed by it: once published, the change is announced.
  const referralEvents = eventsTopic(REFERRAL);
  kit.relay.notifyOnPublish((records) => changeNotices(records.filter((r) => r.topic === referralEvents).map((r) => r.key)));
  // Open live-update streams, for operators (and for tests: a closed page must not leave one behind).
  new Gauge({
    name: 'fbl_live_streams_open',
    help: 'Live-update (server-sent event) streams open',
    registers: [deps.metrics.registry],
    collect() {
      this.set(changes.open);
    },
  });
  return {
    name: SERVICE,
    kit,
    referrals,
    attachments,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    migrationsTable: 'referral_migrations',
    routes: async (app) => {
      await app.register(referralRoutes(kit, { referrals, reads, packets, changes }, options.authSecret));
      await app.register(packetRoutes(kit, packets, attachments, log, options.authSecret));
    },
    auditChain: { logs: [{ schema: 'referral', log: 'audit_log' }], suite: suiteOf(options.encryptionKey) },
    jobs: [referrals.availability, changes, sweep(RETENTION_SWEEP_MS, () => attachments.purgeExpired(), (removed) => removed > 0 && kit.logger.info({ removed }, 'attachments past their retention deleted'), kit.logger)],
    consumers: [
      {
        group: SERVICE,
        handlers: referralHandlers(referrals, packets, urgent),
        topics: [...BED_TYPES.map(bedEventsTopic), eventsTopic(CIVIL_AFFAIRS), eventsTopic(MEDICAL_INSURANCE), commandsTopic(REFERRAL)],
      },
    ],
    produces: [eventsTopic(REFERRAL), commandsTopic(REFERRAL), ...BED_TYPES.map(bedCommandsTopic), commandsTopic(CIVIL_AFFAIRS), commandsTopic(MEDICAL_INSURANCE)],
  };
}

/** A task run at start and then every `ms` (a failure is logged and the next run tries again). */
function sweep<T>(ms: number, task: () => Promise<T>, report: (result: T) => unknown, logger: { warn(o: object, m: string): void }): BackgroundJob {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = task().then(report, (error: unknown) => logger.warn({ err: error }, 'a periodic task failed; it runs again later'));
  };
  return {
    start() {
      run();
      timer = setInterval(run, ms);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
