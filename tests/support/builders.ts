import { testCreditCode } from '@fbl/testing/credit-code';

/**
 * Request bodies the system tests and the benchmark send. Free of vitest, so `pnpm bench` can
 * load them outside a test run.
 */

/** A made-up unified social credit code with a valid check character. */
export const creditCode = testCreditCode;

/** A care home registration with `beds` nursing-type beds. */
export function careHome(name: string, beds: number, divisionCode = '371702') {
  return { name, creditCode: creditCode(divisionCode), divisionCode, kind: 'care-home', ownership: 'private', capabilities: ['nursingType'], units: [{ kind: 'bed', count: beds, attributes: { nursingType: true } }] };
}

/** A hospital registration with `beds` beds. */
export function hospital(name: string, beds: number, divisionCode = '371702') {
  return { name, creditCode: creditCode(divisionCode), divisionCode, kind: 'hospital', ownership: 'public', units: [{ kind: 'bed', count: beds, attributes: { department: '老年医学科' } }] };
}

/** A discharge referral from a hospital toward care beds, with a current assessment. */
export function dischargeRequest(originId: string, extra: object = {}) {
  return {
    elderRef: `elder-${Math.random().toString(36).slice(2, 8)}`,
    origin: { institutionId: originId, divisionCode: '371702' },
    requestedBedTypes: ['care'],
    requirements: { nursingType: true },
    facts: { abilityLevel: 3, abilityAssessedOn: new Date().toISOString().slice(0, 10) },
    ...extra,
  };
}

/** Answers to the 26 items of GB/T 42195-2022 (an elder of moderate ability). */
export const ABILITY_ANSWERS: Readonly<Record<string, number>> = {
  eating: 1, grooming: 1, bathing: 1, dressingUpper: 1, dressingLower: 1, urineControl: 1, bowelControl: 1, toileting: 1,
  bedPositioning: 1, bedChairTransfer: 1, walkingFlat: 1, stairs: 0,
  orientationTime: 1, orientationPlace: 1, orientationPerson: 1, memory: 1, understanding: 1, expression: 1, aggression: 1, depressiveSymptoms: 1, consciousness: 2,
  vision: 1, hearing: 1, dailyAffairs: 1, goingOut: 0, socialInteraction: 1,
};

/**
 * A referral packet as a planner fills it in, with words that appear nowhere else (a test looks for
 * them in messages, rows and logs): a diagnosis, an allergy, a medicine, a care need's note, the
 * family's contact and the elder's wishes.
 */
export function samplePacket(marker = '甲') {
  return {
    reason: `晚期肿瘤疼痛控制后转安宁疗护${marker}`,
    plannedDischargeDate: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10),
    diagnoses: [{ code: 'C34.9', name: `支气管肺恶性肿瘤伴骨转移${marker}` }],
    allergies: `头孢曲松过敏${marker}`,
    medications: [{ name: `盐酸羟考酮缓释片${marker}`, dose: '10mg', frequency: '每12小时一次' }],
    careNeeds: [{ code: 'pain-management', note: `爆发痛每日两次${marker}` }, { code: 'oxygen' }],
    functional: { mobility: 'bed-bound', continence: 'incontinent', cognition: 'intact' },
    eligibility: { terminalIllness: true, prognosisMonths: 3, kps: 40, ecog: 3, informedChoice: 'elder', advanceCarePlanRecorded: true },
    familyContact: { name: `赵家属${marker}`, relation: 'child', phone: '13912345678' },
    wishes: `希望离家近一些${marker}`,
    plannerContact: { name: '王医生', phone: '0530-5551234' },
  } as const;
}

/** The consent an elder gives in writing to share the packet with providers. */
export const WRITTEN_CONSENT = { givenBy: 'elder', method: 'written' } as const;

/** A receiver's follow-up (随访) by telephone: settled in, stable, the family satisfied. */
export const FOLLOW_UP = { method: 'phone', settling: 'settled', condition: 'stable', satisfaction: 'satisfied', needs: ['rehabilitation'], note: '家属反映老人饮食睡眠正常' } as const;

/** A small but well-formed PDF (one page, the given text), as a discharge summary would be sent. */
export function samplePdf(text = 'discharge summary'): Buffer {
  const body = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${body.length} >>\nstream\n${body}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}
