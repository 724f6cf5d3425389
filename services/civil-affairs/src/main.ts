import { runProcess } from '@fbl/service-kit';
import { civilAffairsService } from './app.js';
import { config } from './config.js';

await runProcess({ name: 'civil-affairs', config: config.process, services: (deps) => [civilAffairsService(deps, config.secrets, config.options)], handleSignals: true });
