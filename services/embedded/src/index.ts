/** The embedded runner, for tests and benchmarks that start the whole system in one process. */
export { startEmbedded, type EmbeddedSystem } from './embedded.js';
export { DEMO_NETWORK, loadDemoData } from './demo-data.js';
