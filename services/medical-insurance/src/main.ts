import { runProcess } from '@fbl/service-kit';
import { medicalInsuranceService } from './app.js';
import { config } from './config.js';

await runProcess({
  name: 'medical-insurance',
  config: config.process,
  services: (deps) => [medicalInsuranceService(deps, { authSecret: config.authSecret, encryptionKey: config.encryptionKey, rules: config.policy })],
  handleSignals: true,
});
