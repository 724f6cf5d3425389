/** The medical-beds service: the shared bed inventory with this bed type's policy. */
export { policy as medicalBedsPolicy } from './policy.js';
