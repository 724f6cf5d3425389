import { chinaDivisions, DEFAULT_PROVINCE } from '@fbl/codes';

/**
 * The province a page names in its `deployment-province` meta element (the gateway writes the
 * deployment's `DEPLOYMENT_PROVINCE` there), when it is a province of the division table;
 * Shandong's otherwise.
 */
export function provinceOf(named: string | null | undefined): string {
  return named && /^[1-8][0-9]$/.test(named) && chinaDivisions.get(`${named}0000`)?.level === 'province' ? named : DEFAULT_PROVINCE;
}
