import { readBedServiceConfig } from '@fbl/bed-inventory';
import { policy } from './policy.js';

/** Configuration of the hospice-beds process, read once from the environment. */
export const config = readBedServiceConfig(policy, process.env, { port: 3106 });
