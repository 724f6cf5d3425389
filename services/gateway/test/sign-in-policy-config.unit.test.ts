import { generateKey } from '@fbl/privacy';
import { describe, expect, it } from 'vitest';
import { readGatewayConfig, signInPolicyFromEnv } from '../src/config.js';

const BASE = { AUTH_SECRET: 'a-secret-of-enough-length-2026', MONITORING_URL: 'http://127.0.0.1:3109', DATABASE_URL: 'postgres://127.0.0.1/gateway' };

describe('gateway configuration: the sealing key and the sign-in policy', () => {
  it('needs PII_ENCRYPTION_KEY to seal the second factors, and leaves the policy to the defaults when unset', () => {
    expect(() => readGatewayConfig(BASE)).toThrow(/PII_ENCRYPTION_KEY/);
    const key = generateKey();
    const config = readGatewayConfig({ ...BASE, PII_ENCRYPTION_KEY: key });
    expect(config.sealing).toEqual({ suite: 'standard', key, previous: [] });
    expect(config.signInPolicy).toEqual({});
  });

  it('reads the roles that need a second factor, or none, and the password age and history', () => {
    expect(signInPolicyFromEnv({ GATEWAY_SECOND_FACTOR_ROLES: 'admin, assessor,insurer', GATEWAY_PASSWORD_MAX_AGE_DAYS: '90', GATEWAY_PASSWORD_HISTORY: '0' })).toEqual({ secondFactorRoles: ['admin', 'assessor', 'insurer'], passwordMaxAgeDays: 90, passwordHistory: 0 });
    expect(signInPolicyFromEnv({ GATEWAY_SECOND_FACTOR_ROLES: 'none' })).toEqual({ secondFactorRoles: [] });
    expect(() => signInPolicyFromEnv({ GATEWAY_SECOND_FACTOR_ROLES: 'admin,root' })).toThrow(/GATEWAY_SECOND_FACTOR_ROLES names root/);
    expect(() => signInPolicyFromEnv({ GATEWAY_PASSWORD_MAX_AGE_DAYS: '-1' })).toThrow(/GATEWAY_PASSWORD_MAX_AGE_DAYS/);
    expect(() => signInPolicyFromEnv({ GATEWAY_PASSWORD_HISTORY: 'five' })).toThrow(/GATEWAY_PASSWORD_HISTORY/);
  });
});
