/**
 * The embedded process exactly as `services/embedded/src/main.ts` starts it, but without the demo
 * network: the bench registers its own care homes, and demo institutions would take offers.
 */
import { startEmbedded } from '@fbl/embedded';
import { config } from '../../services/embedded/src/config.js';

await startEmbedded(config.process, { demoData: false, handleSignals: true, policies: config.policies, deadlines: config.deadlines, rateLimitPerMinute: config.rateLimitPerMinute, ...(config.secrets ? { secrets: config.secrets } : {}) });
