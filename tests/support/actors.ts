import { signToken, type Principal, type TokenKey } from '@fbl/auth';

/** A running system as a test reaches it: its address and the secret its tokens are signed with. */
export interface Site {
  url: string;
  authSecret: TokenKey;
}

/** A token for `who`, valid for an hour, as the gateway's sign-in would issue it. */
export function tokenFor(site: Site, who: Principal): string {
  return signToken(who, site.authSecret, { now: new Date(), ttlSeconds: 3600 });
}

/** The system's administrator. */
export const adminOf = (site: Site) => tokenFor(site, { userId: 'admin-e2e', role: 'admin' });
/** A discharge planner at a hospital. */
export const plannerAt = (site: Site, hospitalId: string) => tokenFor(site, { userId: `planner-${hospitalId.slice(-6)}`, role: 'planner', institutionId: hospitalId });
/** A member of staff of a provider. */
export const staffOf = (site: Site, institutionId: string) => tokenFor(site, { userId: `staff-${institutionId.slice(-6)}`, role: 'provider', institutionId });
/** An analyst of the commission for a division. */
export const analystFor = (site: Site, divisionCode: string) => tokenFor(site, { userId: `analyst-${divisionCode}`, role: 'analyst', divisionCode });
