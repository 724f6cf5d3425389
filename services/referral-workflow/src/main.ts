import { runProcess } from '@fbl/service-kit';
import { referralWorkflowService } from './app.js';
import { config } from './config.js';

await runProcess({ name: 'referral-workflow', config: config.process, services: (deps) => [referralWorkflowService(deps, { authSecret: config.authSecret, encryptionKey: config.encryptionKey, deadlines: config.deadlines, attachmentRetentionDays: config.attachmentRetentionDays })], handleSignals: true });
