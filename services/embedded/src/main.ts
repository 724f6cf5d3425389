import { config } from './config.js';
import { startEmbedded } from './embedded.js';

await startEmbedded(config.process, { demoData: config.demoData, handleSignals: true, policies: config.policies, deadlines: config.deadlines, rateLimitPerMinute: config.rateLimitPerMinute, signInPolicy: config.signInPolicy, ...(config.secrets ? { secrets: config.secrets } : {}), ...(config.adminPassword ? { adminPassword: config.adminPassword } : {}) });
