import type { Principal } from '@fbl/auth';
import type { CivilAffairsService } from '@fbl/civil-affairs';
import { residentIdCheckChar } from '@fbl/codes';
import type { MessageOrigin } from '@fbl/contracts';
import { Refusal } from '@fbl/contracts';

/**
 * Fictional elders of Heze for the demo: registered on the civil-affairs register with valid ID
 * numbers (GB 11643 check characters), some already assessed (GB/T 42195-2022), so a planner can
 * start a referral at once. The names are common ones, the people made up.
 */
interface DemoElder {
  name: string;
  /** The first 17 characters of the ID number: county, birth date, sequence (odd: male). */
  first17: string;
  address: { divisionCode: string; line: string };
  phone?: string;
  guardian?: { name: string; relation: string; phone: string };
  /** Answers of an ability assessment, if one was made: each item's score. */
  assessed?: 'mild' | 'moderate' | 'severe';
}

export const DEMO_ELDERS: readonly DemoElder[] = [
  { name: '张桂兰', first17: '37170219380412002', address: { divisionCode: '371702', line: '牡丹区东城街道和平路 18 号' }, guardian: { name: '张建军', relation: '儿子', phone: '13853000001' }, assessed: 'severe' },
  { name: '李德福', first17: '37170219410923003', address: { divisionCode: '371702', line: '牡丹区西城街道中华路 56 号' }, phone: '05305550102', assessed: 'moderate' },
  { name: '王秀英', first17: '37172319360105004', address: { divisionCode: '371723', line: '成武县文亭街道永昌路 9 号' }, guardian: { name: '王海燕', relation: '女儿', phone: '13853000003' }, assessed: 'moderate' },
  { name: '刘建国', first17: '37170219440708005', address: { divisionCode: '371702', line: '牡丹区南城街道长江路 102 号' }, phone: '13853000004' },
  { name: '陈玉珍', first17: '37172119390216006', address: { divisionCode: '371721', line: '曹县曹城街道青菏路 33 号' }, guardian: { name: '陈立新', relation: '儿子', phone: '13853000005' }, assessed: 'mild' },
  { name: '赵文华', first17: '37170219371130007', address: { divisionCode: '371702', line: '牡丹区北城街道人民路 7 号' }, assessed: 'severe' },
];

/** The ID number of a demo elder. */
export const demoIdNumber = (e: DemoElder) => e.first17 + residentIdCheckChar(e.first17);

/** Scores of the 26 items for an elder of roughly the given ability (GB/T 42195-2022 item names). */
function answers(level: NonNullable<DemoElder['assessed']>): Record<string, number> {
  const self = { mild: 3, moderate: 2, severe: 1 }[level];
  const mind = { mild: 3, moderate: 2, severe: 1 }[level];
  return {
    eating: self, grooming: self, bathing: self - 1 < 0 ? 0 : self - 1, dressingUpper: self, dressingLower: self, urineControl: self, bowelControl: self, toileting: self,
    bedPositioning: self, bedChairTransfer: self, walkingFlat: self, stairs: Math.max(0, self - 1),
    orientationTime: mind, orientationPlace: mind, orientationPerson: mind + 1 > 4 ? 4 : mind + 1, memory: mind, understanding: mind, expression: mind, aggression: 1, depressiveSymptoms: 1, consciousness: 2,
    vision: 1, hearing: 1, dailyAffairs: mind, goingOut: Math.max(0, self - 1), socialInteraction: mind,
  };
}

/** Register the demo elders not yet on the register (and assess those meant to be); returns how many were added. */
export async function loadDemoElders(civilAffairs: CivilAffairsService, today: Date): Promise<number> {
  const origin: MessageOrigin = { source: 'embedded-demo-data' };
  const registrar: Principal = { userId: 'embedded-demo-data', role: 'admin', name: '演示数据' };
  const assessor: Principal = { userId: 'embedded-demo-data', role: 'assessor', divisionCode: '371700', name: '演示数据' };
  let added = 0;
  for (const e of DEMO_ELDERS) {
    const idNumber = demoIdNumber(e);
    const birthDate = `${e.first17.slice(6, 10)}-${e.first17.slice(10, 12)}-${e.first17.slice(12, 14)}`;
    let id: string;
    try {
      ({ id } = await civilAffairs.elders.register(
        {
          idNumber,
          name: e.name,
          gender: Number(e.first17[16]) % 2 === 1 ? 'male' : 'female',
          birthDate,
          ...(e.phone ? { phone: e.phone } : {}),
          address: e.address,
          ...(e.guardian ? { guardian: e.guardian } : {}),
          consent: { healthData: true, givenBy: e.guardian ? 'guardian' : 'elder' },
        },
        registrar,
        origin,
      ));
    } catch (error) {
      // Registered on an earlier start.
      if (error instanceof Refusal && error.kind === 'conflict') continue;
      throw error;
    }
    added += 1;
    if (e.assessed) {
      await civilAffairs.elders.assess(id, { answers: answers(e.assessed), adjustments: {}, assessors: ['演示评估员甲', '演示评估员乙'], reason: 'first', assessedOn: today.toISOString().slice(0, 10) }, assessor, origin);
    }
  }
  return added;
}
