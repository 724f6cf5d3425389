/**
 * `pnpm --filter @fbl/home-care-beds reseal`: re-seal the service's personal and health data with the
 * configured suite and key (DATABASE_URL, CRYPTO_SUITE, PII_ENCRYPTION_KEY, PII_PREVIOUS_ENCRYPTION_KEYS).
 */
import { runBedReseal } from '@fbl/bed-inventory';
import { config } from './config.js';

await runBedReseal(config);
