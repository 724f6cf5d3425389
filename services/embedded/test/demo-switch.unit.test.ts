import { describe, expect, it } from 'vitest';
import { demoDataFromEnv } from '../src/demo-data.js';

describe('DEMO_DATA', () => {
  it('loads the demo network unless it is 0, and refuses anything but 1 or 0', () => {
    expect(demoDataFromEnv({})).toBe(true);
    expect(demoDataFromEnv({ DEMO_DATA: '' })).toBe(true);
    expect(demoDataFromEnv({ DEMO_DATA: '1' })).toBe(true);
    expect(demoDataFromEnv({ DEMO_DATA: ' 0 ' })).toBe(false);
    expect(() => demoDataFromEnv({ DEMO_DATA: 'no' })).toThrow('DEMO_DATA is 1 or 0, not no');
  });
});
