import { config } from './config.js';
import { startEmbedded } from './embedded.js';

await startEmbedded(config, { handleSignals: true });
