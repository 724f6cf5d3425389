import { readProcessConfig } from '@fbl/service-kit';

/** Configuration of the referral-workflow process, read once from the environment. */
export const config = readProcessConfig(process.env, { port: 3102 });
