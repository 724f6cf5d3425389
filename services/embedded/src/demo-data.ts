import type { CareBeds } from '@fbl/care-beds';
import type { MessageOrigin } from '@fbl/contracts';

/**
 * A small fictional network in Heze (菏泽, 371700) so every screen has something to show.
 * Loaded once: only into an empty database. No real person or institution is named.
 */
export const DEMO_CARE_HOMES = [
  { name: '菏泽市牡丹区福寿康养中心', divisionCode: '371702', beds: 40 },
  { name: '成武县颐和护理院', divisionCode: '371723', beds: 24 },
  { name: '曹县康宁养老服务中心', divisionCode: '371721', beds: 16 },
] as const;

/** Load the demo network into an empty database; returns how many institutions it added. */
export async function loadDemoData(careBeds: CareBeds): Promise<number> {
  if ((await careBeds.institutionCount()) > 0) return 0;
  const origin: MessageOrigin = { source: 'embedded-demo-data' };
  for (const home of DEMO_CARE_HOMES) await careBeds.registerInstitution(home, origin);
  return DEMO_CARE_HOMES.length;
}
