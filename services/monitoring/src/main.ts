import { runProcess } from '@fbl/service-kit';
import { monitoringService } from './app.js';
import { serviceConfig } from './config.js';

const config = serviceConfig();

await runProcess({
  name: 'monitoring',
  config: config.process,
  services: (deps) => [monitoringService(deps, { authSecret: config.authSecret })],
  handleSignals: true,
});
