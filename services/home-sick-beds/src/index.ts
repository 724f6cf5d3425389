/** The home-sick-beds service: the shared bed inventory with this bed type's policy. */
export { policy as homeSickBedsPolicy } from './policy.js';
