import { createLogger, createMetrics } from '@fbl/observability';
import { buildHttpServer } from '@fbl/service-kit';
import { loadConfig } from './config.js';
import { gatewayRoutes } from './routes.js';

const config = loadConfig();
const logger = createLogger({ name: 'gateway', level: config.logLevel });
const app = await buildHttpServer({
  title: 'gateway',
  logger,
  metrics: createMetrics({ process: 'gateway' }),
  readiness: Object.entries(config.upstreams).map(([name, url = '']) => ({
    name,
    check: async () => {
      const response = await fetch(new URL('/ready', url));
      if (!response.ok) throw new Error(`answered ${response.status}`);
    },
  })),
  plugins: [gatewayRoutes({ upstreams: config.upstreams })],
});
await app.listen({ port: config.port, host: config.host });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
