/** The hospice-beds service: the shared bed inventory with this bed type's policy. */
export { policy as hospiceBedsPolicy } from './policy.js';
