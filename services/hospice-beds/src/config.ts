import { BED_POLICIES, readBedServiceConfig } from '@fbl/bed-inventory';

/** Configuration of the hospice-beds process, read once from the environment. */
export const config = readBedServiceConfig(BED_POLICIES['hospice'], process.env, { port: 3106 });
