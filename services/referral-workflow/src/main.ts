import { runProcess } from '@fbl/service-kit';
import { referralWorkflowService } from './app.js';
import { config } from './config.js';

await runProcess({ name: 'referral-workflow', config, services: (deps) => [referralWorkflowService(deps)], handleSignals: true });
