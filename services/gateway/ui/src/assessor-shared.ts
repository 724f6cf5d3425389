/** What the assessor's pages share: their words, the elder as civil affairs lists one, and how an ability level reads. */
import { GB_T_42195_2022 } from '@fbl/scales';
import { fill, t, wordFor, type Lang } from './i18n.js';
import { placeName } from './packet-view.js';

/** A word of the assessor's workspace (`assessor_*` in the locale files), else a shared one. */
export const w = (lang: Lang, key: string): string => wordFor(lang, `assessor_${key}`) ?? t(lang, key);

/** An elder as civil affairs lists one (`GET /api/civil-affairs/elders`, and each queued request's elder). */
export interface ElderSummary {
  elderRef: string;
  name: string;
  gender: 'male' | 'female';
  birthYear: number;
  age: number;
  divisionCode: string;
  divisionName: string | null;
  idNumberMasked: string;
  ability: { level: number; assessedOn: string } | null;
  reassessmentDue: boolean;
}

/** Why an assessment is made (GB/T 42195-2022, DOMAIN §2). */
export const REASONS = ['first', 'routine', 'immediate', 'review', 'other'] as const;

/** The name of an ability level in the reader's language. */
export function levelName(lang: Lang, level: number): string {
  const band = GB_T_42195_2022.levels.find((l) => l.value === level);
  return band ? band[lang] : String(level);
}

/** "能力等级 1（轻度受损）· 2026-03-02 评估", or that the elder was never assessed. */
export function abilityText(lang: Lang, ability: { level: number; assessedOn: string } | null): string {
  return ability ? fill(w(lang, 'levelOn'), { level: ability.level, name: levelName(lang, ability.level), day: ability.assessedOn }) : w(lang, 'noAbility');
}

/** "王秀英 · 女 · 90 岁（1936 年生）· 菏泽市牡丹区 · 371702********0077": who a listed elder is. */
export function elderLine(lang: Lang, e: ElderSummary): string {
  return [t(lang, `sex_${e.gender}`), fill(w(lang, 'age'), { age: e.age, year: e.birthYear }), placeName(e.divisionCode) || e.divisionName || '', e.idNumberMasked].filter((p) => p !== '').join(' · ');
}
