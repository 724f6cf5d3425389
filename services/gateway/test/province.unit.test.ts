import { describe, expect, it } from 'vitest';
import { bundleUi } from '../src/ui.js';
import { provinceOf } from '../ui/src/province.js';

describe("the deployment's province in the web UI", () => {
  it('is written into the page for the division pickers to read', async () => {
    expect((await bundleUi({ province: '11' })).html).toContain('<meta name="deployment-province" content="11">');
    expect((await bundleUi()).html).toContain('<meta name="deployment-province" content="37">');
    await expect(bundleUi({ province: '3"><script>' })).rejects.toThrow(/two digits/);
  }, 60_000);

  it('is the named province when the division table has it, Shandong otherwise', () => {
    expect(provinceOf('11')).toBe('11');
    expect(provinceOf('44')).toBe('44');
    expect(provinceOf('37')).toBe('37');
    expect(provinceOf('38')).toBe('37');
    expect(provinceOf('3')).toBe('37');
    expect(provinceOf('')).toBe('37');
    expect(provinceOf(null)).toBe('37');
    expect(provinceOf(undefined)).toBe('37');
  });
});
