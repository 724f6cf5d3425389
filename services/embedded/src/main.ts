import { prefetchSnapshot } from '@fbl/db/pglite-folder';
import { earlyDataDir } from './early/config.js';

// A new embedded folder starts as a copy of the migrated snapshot: begun here, the copy is made
// while the system's code loads (a guess that proves wrong costs only the copy).
if (earlyDataDir) prefetchSnapshot(earlyDataDir);

const { config } = await import('./config.js');
const { startEmbedded } = await import('./embedded.js');
await startEmbedded(config.process, { demoData: config.demoData, handleSignals: true, policies: config.policies, deadlines: config.deadlines, rateLimitPerMinute: config.rateLimitPerMinute, signInPolicy: config.signInPolicy, ...(config.secrets ? { secrets: config.secrets } : {}), ...(config.adminPassword ? { adminPassword: config.adminPassword } : {}) });
