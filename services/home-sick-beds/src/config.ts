import { BED_POLICIES, readBedServiceConfig } from '@fbl/bed-inventory';

/** Configuration of the home-sick-beds process, read once from the environment. */
export const config = readBedServiceConfig(BED_POLICIES['home-sick'], process.env, { port: 3105 });
