/** Masks for showing personal information to people who need to recognise, not read, it. */

/** 张三丰 → 张** ; keeps the family name. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

/** 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  return phone.length < 7 ? '*'.repeat(phone.length) : `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}****${phone.slice(-4)}`.replace(/\*{5,}/, '****');
}

/** An address reduced to its first six characters (district level). */
export function maskAddress(address: string): string {
  const chars = [...address];
  return chars.length <= 6 ? chars.join('') : `${chars.slice(0, 6).join('')}…`;
}
