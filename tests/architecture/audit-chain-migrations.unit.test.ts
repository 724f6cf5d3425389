import { auditChainSql } from '@fbl/privacy';
import { CHAINED_LOGS } from '@fbl/service-kit';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Each service that keeps an audit log has the chain's rules as the privacy package writes them, for every log it chains. */
describe('the hash chain rules in every service that keeps an audit log', () => {
  for (const [service, schema] of [
    ['services/civil-affairs', 'civil_affairs'],
    ['services/referral-workflow', 'referral'],
    ['services/medical-insurance', 'medical_insurance'],
    ['services/gateway', 'gateway'],
    // The bed services' one migration set, written for the placeholder schema each renames.
    ['packages/bed-inventory', 'bed_inventory'],
  ] as const) {
    it(`${service}: one migration puts them in place, with the triggers for each chained log`, () => {
      const folder = new URL(`../../${service}/drizzle/`, import.meta.url);
      const files = readdirSync(folder).filter((f) => f.endsWith('_audit_chain_rules.sql'));
      expect(files).toHaveLength(1);
      const others = CHAINED_LOGS.filter((l) => l.schema === schema && l.log !== 'audit_log').map((l) => l.log);
      expect(readFileSync(new URL(files[0]!, folder), 'utf8').trim()).toBe(auditChainSql(schema, others).trim());
    });
  }
});
