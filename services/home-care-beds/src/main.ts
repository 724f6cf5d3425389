import { runBedService } from '@fbl/bed-inventory';
import { config } from './config.js';

await runBedService(config);
