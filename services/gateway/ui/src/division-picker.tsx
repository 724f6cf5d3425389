import { chinaDivisions, type Division } from '@fbl/codes';
import { useState } from 'preact/hooks';
import { provinceOf } from './province.js';
import { t, type Lang } from './i18n.js';

/** The province the pickers offer: the deployment's. */
export const PICKER_PROVINCE = provinceOf(typeof document === 'undefined' ? undefined : document.querySelector('meta[name="deployment-province"]')?.getAttribute('content'));

/** The cities of the pickers' province, by code. */
export const pickerCities = (): Division[] => chinaDivisions.citiesOf(`${PICKER_PROVINCE}0000`);

/**
 * A county-level division picked in two steps, as a province has too many counties for one list:
 * the city, then its counties. The county list is the input the form reads (`name`, `inputProps`);
 * a value outside the province (an elder registered elsewhere) is still shown, by its name.
 */
export function DivisionPicker({ lang, name, value, onChange, inputProps, empty }: {
  lang: Lang;
  name: string;
  value: string;
  onChange: (code: string) => void;
  /** Id and aria attributes of the county list (the form's field). */
  inputProps: Record<string, string>;
  /** The words of the county list's empty choice. */
  empty: string;
}) {
  const cities = pickerCities();
  const valueCity = value ? chinaDivisions.cityOf(value) : undefined;
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const city = picked ?? valueCity ?? '';
  const counties = city ? chinaDivisions.countiesOf(city) : [];
  const outside = value && !counties.some((c) => c.code === value) ? chinaDivisions.get(value) : undefined;
  const outsideName = outside ? `${chinaDivisions.parentOf(outside.code)?.name ?? ''}${outside.name}` : '';
  return (
    <span class="division-picker">
      <select name={`${name}City`} aria-label={t(lang, 'divisionCity')} value={city} onChange={(e) => {
        const next = (e.target as HTMLSelectElement).value;
        setPicked(next);
        if (value && chinaDivisions.cityOf(value) !== next) onChange('');
      }}>
        <option value="">{t(lang, 'divisionCity')}</option>
        {cities.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
      </select>
      <select {...inputProps} name={name} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        <option value="">{empty}</option>
        {outside && <option value={outside.code}>{outsideName}</option>}
        {counties.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
      </select>
    </span>
  );
}
