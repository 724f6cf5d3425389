/**
 * The number people use for a referral (转诊单号): the China-time date it was started and its
 * place in the order of all referrals, e.g. `20261205-000123`. Printed on the referral form and
 * searched for; the referral's id stays for machines.
 */
export function referenceOf(number: number, createdAt: Date): string {
  const china = new Date(createdAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `${china}-${String(number).padStart(6, '0')}`;
}

/** The sequence number inside a reference, or undefined when the text is not one. */
export function numberOfReference(text: string): number | undefined {
  const match = /^(?:\d{8}-)?0*(\d{1,12})$/.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}
