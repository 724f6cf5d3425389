import { readProcessConfig } from '@fbl/service-kit';
import { readDeadlines } from './config-keys.js';

/** Configuration of the referral-workflow process, read once from the environment. */
export const config = { process: readProcessConfig(process.env, { port: 3102 }), deadlines: readDeadlines(process.env) };
