import { generateSm2KeyPair, publicKeyHex } from '@fbl/auth';
import { generateKey } from '@fbl/privacy';
import { describe, expect, it } from 'vitest';
import { readGatewayConfig } from '../src/config.js';

const upstream = { CARE_BEDS_URL: 'http://care-beds:3101', PII_ENCRYPTION_KEY: generateKey() };
const pair = generateSm2KeyPair();

describe('the gateway configuration: the key it signs tokens with', () => {
  it('is AUTH_SECRET under the standard suite', () => {
    expect(readGatewayConfig({ ...upstream, AUTH_SECRET: 'a-secret' })).toMatchObject({ authSecret: 'a-secret', suite: 'standard' });
    expect(() => readGatewayConfig(upstream)).toThrow('AUTH_SECRET');
  });

  it('is the SM2 private key under CRYPTO_SUITE=sm; a public key alone, or AUTH_SECRET alone, is refused', () => {
    const config = readGatewayConfig({ ...upstream, CRYPTO_SUITE: 'sm', AUTH_SM2_PRIVATE_KEY: pair.privateKey.toString(16).padStart(64, '0') });
    expect(config).toMatchObject({ suite: 'sm', authSecret: { alg: 'SM2-SM3', publicKey: pair.publicKey, privateKey: pair.privateKey } });
    expect(() => readGatewayConfig({ ...upstream, CRYPTO_SUITE: 'sm', AUTH_SM2_PUBLIC_KEY: publicKeyHex(pair.publicKey) })).toThrow('AUTH_SM2_PRIVATE_KEY');
    expect(() => readGatewayConfig({ ...upstream, CRYPTO_SUITE: 'sm', AUTH_SECRET: 'a-secret' })).toThrow('AUTH_SM2');
    expect(() => readGatewayConfig({ ...upstream, CRYPTO_SUITE: 'sm', AUTH_SM2_PRIVATE_KEY: 'not-a-key' })).toThrow('AUTH_SM2_PRIVATE_KEY');
  });
});
