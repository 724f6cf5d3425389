/** The care-beds service: the shared bed inventory with this bed type's policy. */
export { policy as careBedsPolicy } from './policy.js';
