import { BED_POLICIES, readBedServiceConfig } from '@fbl/bed-inventory';

/** Configuration of the medical-beds process, read once from the environment. */
export const config = readBedServiceConfig(BED_POLICIES['medical'], process.env, { port: 3103 });
