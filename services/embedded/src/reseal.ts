/**
 * `pnpm --filter @fbl/embedded reseal` (or `pnpm reseal`): re-seal every service's personal data in
 * the embedded database with the configured suite (CRYPTO_SUITE) and the keys kept beside the data
 * or given in the environment. Stop the system first (PGlite has one session).
 */
import { BED_SEALED } from '@fbl/bed-inventory';
import { CIVIL_AFFAIRS_SEALED, protectorKeysOf } from '@fbl/civil-affairs';
import { FieldProtector } from '@fbl/privacy';
import { INSURANCE_SEALED } from '@fbl/medical-insurance';
import { REFERRAL_SEALED } from '@fbl/referral-workflow';
import { ConfigError, runReseal } from '@fbl/service-kit';
import { config } from './config.js';

if (!config.secrets) throw new ConfigError('an in-memory database holds nothing to re-seal: set DATA_DIR or DATABASE_URL');
const protector = new FieldProtector(protectorKeysOf(config.secrets));
await runReseal({ name: 'five-bed-linkage', config: config.process, tables: [...CIVIL_AFFAIRS_SEALED, ...REFERRAL_SEALED, ...INSURANCE_SEALED, ...BED_SEALED], sealer: protector.sealer, protector });
