/** The referral-workflow service, for processes that host it. */
export { referralWorkflowService, type ReferralWorkflowService } from './app.js';
export { SEALED_TABLES as REFERRAL_SEALED } from './adapters/db/sealed.js';
export { Referrals, SERVICE } from './application/referrals.js';
export { readDeadlines } from './config-keys.js';
export type { Deadlines } from './domain/types.js';
