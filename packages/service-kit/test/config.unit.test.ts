import { describe, expect, it } from 'vitest';
import { ConfigError, readProcessConfig } from '../src/config.js';

describe('the deployment province', () => {
  const read = (env: Record<string, string>) => readProcessConfig({ DATA_DIR: 'memory', ...env }, { port: 0 });

  it('is Shandong (37) unless configured', () => {
    expect(read({}).province).toBe('37');
    expect(read({ DEPLOYMENT_PROVINCE: '' }).province).toBe('37');
  });

  it('is the configured province', () => {
    expect(read({ DEPLOYMENT_PROVINCE: '11' }).province).toBe('11');
    expect(read({ DEPLOYMENT_PROVINCE: '65' }).province).toBe('65');
  });

  it.each([
    ['370000', 'DEPLOYMENT_PROVINCE'],
    ['3', 'DEPLOYMENT_PROVINCE'],
    ['99', 'DEPLOYMENT_PROVINCE'],
    ['38', 'DEPLOYMENT_PROVINCE 38 is not a province'],
  ])('refuses %j at start-up, naming the key', (value, message) => {
    expect(() => read({ DEPLOYMENT_PROVINCE: value })).toThrow(ConfigError);
    expect(() => read({ DEPLOYMENT_PROVINCE: value })).toThrow(message);
  });
});
