import { BED_POLICIES, readBedServiceConfig } from '@fbl/bed-inventory';

/** Configuration of the care-beds process, read once from the environment. */
export const config = readBedServiceConfig(BED_POLICIES['care'], process.env, { port: 3101 });
