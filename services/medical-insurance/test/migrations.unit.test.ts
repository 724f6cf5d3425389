import { auditAppendOnlySql } from '@fbl/privacy';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('makes the audit log append-only with the trigger the privacy package defines', () => {
  const migration = readFileSync(new URL('../drizzle/0001_audit_append_only.sql', import.meta.url), 'utf8');
  expect(migration.trim()).toBe(auditAppendOnlySql('medical_insurance').trim());
});
