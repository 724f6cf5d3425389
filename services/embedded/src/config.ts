import { readProcessConfig } from '@fbl/service-kit';

/**
 * Configuration of the embedded process: every service in one process, PGlite in `./data/`
 * and the in-process bus unless DATABASE_URL or KAFKA_BROKERS say otherwise.
 */
export const config = readProcessConfig(process.env, { port: 3000, dataDir: './data' });
