import { openDatabase } from '@fbl/db';
import { createLogger, type Logger } from '@fbl/observability';
import { reseal, type FieldProtector, type ResealProgress, type Sealer, type SealedTable } from '@fbl/privacy';
import type { ProcessConfig } from './config.js';

/** What a re-seal command runs: a service's (or the embedded process's) sealed tables and keys. */
export interface ResealCommand {
  readonly name: string;
  readonly config: Pick<ProcessConfig, 'database' | 'logLevel'>;
  readonly tables: readonly SealedTable[];
  readonly sealer: Sealer;
  readonly protector?: FieldProtector;
  readonly logger?: Logger;
}

/**
 * Re-seal a service's personal data with the configured suite and key (after `CRYPTO_SUITE` changed
 * or a key was rotated, the earlier key given in `PII_PREVIOUS_ENCRYPTION_KEYS`): progress per
 * table to the log (and the terminal when there is one), nothing lost if stopped; run it again to
 * go on. Returns what each table came to.
 */
export async function runReseal(command: ResealCommand): Promise<ResealProgress[]> {
  const logger = command.logger ?? createLogger({ name: `${command.name}-reseal`, level: command.config.logLevel });
  const database = await openDatabase(command.config.database);
  let lastLog = 0;
  try {
    logger.info({ suite: command.sealer.suite, tables: command.tables.map((t) => t.table) }, 're-seal started');
    const results = await reseal(database, command.tables, { sealer: command.sealer, ...(command.protector ? { protector: command.protector } : {}) }, {
      onProgress: (p) => {
        const line = `${p.table}: ${p.done} / ${p.total} rows looked at, ${p.changed} re-sealed`;
        if (process.stderr.isTTY) process.stderr.write(`\rre-seal ${line}   `);
        if (Date.now() - lastLog >= 2000 || p.done === p.total) {
          lastLog = Date.now();
          logger.info({ table: p.table, done: p.done, total: p.total, changed: p.changed }, `re-seal ${line}`);
        }
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    logger.info({ results }, 're-seal finished: every sealed value is under the current suite and key');
    return results;
  } finally {
    await database.close();
  }
}
