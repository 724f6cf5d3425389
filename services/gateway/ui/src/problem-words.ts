import { parseResidentId } from '@fbl/codes';
import { fill, t, wordFor, type Lang } from './i18n.js';

/** Why the server refused a field, as a kind a reader's language can say (its own words are English, for developers). */
export function whyKind(reason: string): string {
  if (/required|missing/i.test(reason)) return 'required';
  if (/outside the deployment's province/i.test(reason)) return 'province';
  if (/division/i.test(reason)) return 'division';
  if (/check (digit|character)/i.test(reason)) return 'checkChar';
  if (/not a real date/i.test(reason)) return 'realDate';
  if (/not an allowed field|additional/i.test(reason)) return 'extra';
  if (/pattern|format/i.test(reason)) return 'format';
  if (/must be [<>]=?|minimum|maximum|greater|less/i.test(reason)) return 'range';
  if (/characters|items|more than|fewer than/i.test(reason)) return 'length';
  if (/allowed values|anyOf|one of|union|literal/i.test(reason)) return 'choice';
  if (/must be (integer|number|string|boolean|array|object)/i.test(reason)) return 'type';
  return 'other';
}

/** The refused fields a reader can be told of by name: 「出生日期未填写；行政区划不在本省」. Empty when none is known. */
export function fieldsText(lang: Lang, errors: readonly { field: string; reason: string }[]): string {
  const said = new Set<string>();
  for (const error of errors) {
    const name = error.field.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? '';
    const label = wordFor(lang, `field_${name}`);
    if (!label) continue;
    said.add(`${label}${lang === 'zh' ? '' : ' '}${t(lang, `why_${whyKind(error.reason)}`)}`);
  }
  return [...said].join(lang === 'zh' ? '；' : '; ');
}

/**
 * What is wrong with an ID number as typed, in the reader's words (身份证号无效：校验码不对…);
 * empty when it is a valid number. The parser's own reason is English, for logs and APIs.
 */
export function idNumberProblem(lang: Lang, typed: string): string {
  const value = typed.trim().toUpperCase();
  const parsed = parseResidentId(value);
  if (parsed.ok) return '';
  return `${t(lang, 'idInvalid')}${lang === 'zh' ? '：' : ': '}${fill(t(lang, `idFault_${parsed.fault}`), { n: value.length })}`;
}
