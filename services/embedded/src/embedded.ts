import { careBedsService } from '@fbl/care-beds';
import { gatewayRoutes } from '@fbl/gateway';
import { referralWorkflowService } from '@fbl/referral-workflow';
import { runProcess, type ProcessConfig, type RunningProcess } from '@fbl/service-kit';
import type { Logger } from '@fbl/observability';
import { loadDemoData } from './demo-data.js';

/**
 * Every service in one process: the embedded mode. This deployable is the one place allowed to
 * import services, to compose them; services never import each other.
 */
export async function startEmbedded(config: Readonly<ProcessConfig>, options: { demoData?: boolean; handleSignals?: boolean; logger?: Logger } = {}): Promise<RunningProcess> {
  let careBeds: ReturnType<typeof careBedsService> | undefined;
  return runProcess({
    name: 'five-bed-linkage',
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    handleSignals: options.handleSignals ?? false,
    services: (deps) => {
      careBeds = careBedsService(deps);
      return [careBeds, referralWorkflowService(deps)];
    },
    plugins: [gatewayRoutes()],
    afterStart: async ({ deps }) => {
      if (options.demoData !== false && careBeds) {
        const added = await loadDemoData(careBeds.careBeds);
        if (added > 0) deps.logger.info({ institutions: added }, 'demo data loaded');
      }
    },
  });
}
