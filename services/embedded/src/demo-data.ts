import type { BedService, InstitutionRegistration } from '@fbl/bed-inventory';
import { creditCodeCheckChar } from '@fbl/codes';
import type { BedType, MessageOrigin } from '@fbl/contracts';

/**
 * A fictional but plausible network in Heze (菏泽, 371700) so every screen has something real to
 * show: hospitals, public and private care homes (nursing-type share near the 70% target of the
 * Heze plan), home-care providers, community health centres and a hospice ward. No real person
 * or institution is named; credit codes are made up with valid check characters. The hospital,
 * the first two care homes, the first home-care provider and the first community health centre
 * are designated LTCI providers (长护险定点), so each care mode has one to choose.
 */

const TYPE_DIGIT: Record<BedType, number> = { medical: 1, care: 2, 'home-care': 3, 'home-sick': 4, hospice: 5 };

/** The made-up unified social credit code of a demo institution: the same on every start, valid check character. */
function demoCreditCode(bedType: BedType, index: number, d: Demo): string {
  const first17 = `${d.ownership === 'public' ? '12' : '52'}${d.divisionCode}MA${TYPE_DIGIT[bedType]}${String(index).padStart(6, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}

type Demo = Omit<InstitutionRegistration, 'creditCode' | 'greenChannelPartners'>;
const demo = (d: Omit<Demo, 'capabilities' | 'serviceArea'> & Partial<Pick<Demo, 'capabilities' | 'serviceArea'>>): Demo => ({ capabilities: [], serviceArea: [], ...d });

/** The demo network, by bed type. */
export const DEMO_NETWORK: Record<BedType, Demo[]> = {
  medical: [
    demo({ name: '菏泽牡丹颐康医院', divisionCode: '371702', kind: 'hospital', ownership: 'public', capabilities: ['integratedCare', 'ltciDesignated'], units: [
      { kind: 'bed', count: 30, attributes: { department: '老年医学科', ward: '一病区' } },
      { kind: 'bed', count: 20, attributes: { department: '康复医学科', ward: '二病区' } },
    ] }),
    demo({ name: '成武县仁和医院', divisionCode: '371723', kind: 'hospital', ownership: 'public', units: [{ kind: 'bed', count: 24, attributes: { department: '内科', ward: '三病区' } }] }),
  ],
  care: [
    demo({ name: '菏泽市牡丹区福寿康养中心', divisionCode: '371702', kind: 'care-home', ownership: 'public', capabilities: ['nursingType', 'dementiaUnit', 'ltciDesignated'], units: [
      { kind: 'bed', count: 28, attributes: { nursingType: true, dementia: false } },
      { kind: 'bed', count: 6, attributes: { nursingType: true, dementia: true } },
      { kind: 'bed', count: 10, attributes: { nursingType: false, dementia: false } },
    ] }),
    demo({ name: '成武县颐和护理院', divisionCode: '371723', kind: 'integrated-care', ownership: 'private', capabilities: ['nursingType', 'integratedCare', 'ltciDesignated'], units: [
      { kind: 'bed', count: 18, attributes: { nursingType: true, dementia: false } },
      { kind: 'bed', count: 6, attributes: { nursingType: false, dementia: false } },
    ] }),
    demo({ name: '曹县康宁养老服务中心', divisionCode: '371721', kind: 'care-home', ownership: 'public', capabilities: ['nursingType'], units: [
      { kind: 'bed', count: 10, attributes: { nursingType: true, dementia: false } },
      { kind: 'bed', count: 6, attributes: { nursingType: false, dementia: false } },
    ] }),
    demo({ name: '郓城县安泰颐养院', divisionCode: '371725', kind: 'care-home', ownership: 'private', capabilities: ['nursingType'], units: [
      { kind: 'bed', count: 14, attributes: { nursingType: true, dementia: false } },
      { kind: 'bed', count: 4, attributes: { nursingType: false, dementia: false } },
    ] }),
  ],
  'home-care': [
    demo({ name: '牡丹区邻里居家养老服务站', divisionCode: '371702', kind: 'home-care-provider', ownership: 'private', capabilities: ['ltciDesignated'], serviceArea: ['371702', '371703'], units: [
      { kind: 'slot', count: 40, attributes: { careLevel: 'standard' } },
      { kind: 'slot', count: 10, attributes: { careLevel: 'intensive' } },
    ] }),
    demo({ name: '单县孝和居家照护中心', divisionCode: '371722', kind: 'home-care-provider', ownership: 'private', serviceArea: ['371722'], units: [{ kind: 'slot', count: 25, attributes: { careLevel: 'standard' } }] }),
  ],
  'home-sick': [
    demo({ name: '牡丹区东城街道社区卫生服务中心', divisionCode: '371702', kind: 'community-health-centre', ownership: 'public', capabilities: ['integratedCare', 'ltciDesignated'], serviceArea: ['371702'], units: [{ kind: 'slot', count: 30, attributes: { team: '家医一队' } }] }),
    demo({ name: '巨野县大义镇卫生院', divisionCode: '371724', kind: 'township-health-centre', ownership: 'public', serviceArea: ['371724'], units: [{ kind: 'slot', count: 15, attributes: { team: '家医二队' } }] }),
  ],
  hospice: [
    demo({ name: '菏泽牡丹颐康医院安宁疗护病区', divisionCode: '371702', kind: 'hospital', ownership: 'public', capabilities: ['palliative'], serviceArea: ['371702'], units: [
      { kind: 'bed', count: 8, attributes: { mode: 'inpatient' } },
      { kind: 'slot', count: 6, attributes: { mode: 'home' } },
    ] }),
  ],
};

/**
 * Load the demo network; returns how many institutions it added. Each institution is added once
 * (known by its credit code), so an interrupted first start completes on the next. The care
 * homes get green-channel agreements with the first hospital (五床联动 partners).
 */
export async function loadDemoData(services: Record<BedType, BedService>): Promise<{ added: number; ids: Record<BedType, string[]> }> {
  const origin: MessageOrigin = { source: 'embedded-demo-data' };
  let added = 0;
  // Each bed type's institutions read once: those of the demo already there are not added again.
  const known = new Map<BedType, Map<string, string>>();
  const register = async (bedType: BedType, index: number, d: Demo, partners: string[] = []): Promise<string> => {
    const creditCode = demoCreditCode(bedType, index, d);
    if (!known.has(bedType)) known.set(bedType, new Map((await services[bedType].queries.institutions()).map((i) => [i.creditCode, i.id])));
    const existing = known.get(bedType)!.get(creditCode);
    if (existing) return existing;
    const { id } = await services[bedType].inventory.registerInstitution({ ...d, creditCode, greenChannelPartners: partners }, origin);
    added += 1;
    return id;
  };
  const ids: Record<BedType, string[]> = { medical: [], care: [], 'home-care': [], 'home-sick': [], hospice: [] };
  for (const [i, d] of DEMO_NETWORK.medical.entries()) ids.medical.push(await register('medical', i, d));
  for (const bedType of ['care', 'home-care', 'home-sick', 'hospice'] as const) {
    for (const [i, d] of DEMO_NETWORK[bedType].entries()) ids[bedType].push(await register(bedType, i, d, bedType === 'care' ? ids.medical.slice(0, 1) : []));
  }
  return { added, ids };
}

/** `DEMO_DATA`: 1 (the default) or 0. */
export function demoDataFromEnv(env: NodeJS.ProcessEnv): boolean {
  const value = env['DEMO_DATA']?.trim();
  if (value === undefined || value === '' || value === '1') return true;
  if (value === '0') return false;
  throw new Error(`DEMO_DATA is 1 or 0, not ${value}`);
}
