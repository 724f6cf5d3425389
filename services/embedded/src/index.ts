/** The embedded runner, for tests and benchmarks that start the whole system in one process. */
export { startEmbedded } from './embedded.js';
export { DEMO_CARE_HOMES, loadDemoData } from './demo-data.js';
