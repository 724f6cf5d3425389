import type { Database } from '@fbl/db';
import type { Logger } from '@fbl/observability';
import { chainPass, type ChainedLog, type CryptoSuite } from '@fbl/privacy';
import type { BackgroundJob } from './service.js';

/** The hash chain a service keeps over its append-only logs (see `@fbl/privacy`'s `chainPass`). */
export interface AuditChainSettings {
  readonly logs: readonly ChainedLog[];
  /** SHA-256 or SM3 links. */
  readonly suite: CryptoSuite;
  /** How often finished rows are linked (default 5 s). */
  readonly everyMs?: number;
}

/**
 * Link a service's finished log rows every few seconds, and log each log's new head: the log lines
 * are the record kept outside the database that a rewritten chain cannot match.
 */
export function auditChainJob(database: Database, logger: Logger, settings: AuditChainSettings): BackgroundJob {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const pass = async () => {
    for (const target of settings.logs) {
      for (;;) {
        const { linked, head } = await chainPass(database, target, settings.suite);
        if (linked > 0 && head) logger.info({ schema: target.schema, log: target.log, linked, position: head.position, head: head.hash }, 'audit chain head');
        if (linked < 1000 || stopped) break;
      }
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().catch((error: unknown) => logger.warn({ err: error }, 'linking audit rows failed; tried again on the next pass'));
      void running.then(schedule);
    }, settings.everyMs ?? 5_000);
    timer.unref();
  };
  return {
    start: () => {
      stopped = false;
      running = pass().catch((error: unknown) => logger.warn({ err: error }, 'linking audit rows failed; tried again on the next pass'));
      void running.then(schedule);
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
