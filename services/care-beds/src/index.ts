/** The care-beds service, for processes that host it (its own `main.ts`, the embedded runner, tests). */
export { careBedsService, type CareBedsService } from './app.js';
export { CareBeds, SERVICE } from './application/care-beds.js';
