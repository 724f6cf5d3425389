import { runProcess } from '@fbl/service-kit';
import { careBedsService } from './app.js';
import { config } from './config.js';

await runProcess({ name: 'care-beds', config, services: (deps) => [careBedsService(deps)], handleSignals: true });
