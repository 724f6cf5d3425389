/** The gateway's routes, for the embedded runner and tests. */
export { gatewayRoutes, ROUTES, type Upstreams } from './routes.js';
