import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The LTCI rules are pure: they import only their own folder and the scales (rules as data),
 * never fastify, drizzle, messaging or node built-ins, and read no clock or randomness.
 */
const folder = fileURLToPath(new URL('../src/domain/', import.meta.url));
const sources = readdirSync(folder)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(join(folder, name), 'utf8') }));

function specifiers(text: string): string[] {
  return [...text.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
}

describe('domain purity', () => {
  it('given the domain folder, when its files are listed, then there are files to check', () => {
    expect(sources.map((s) => s.name)).toEqual(expect.arrayContaining(['application.ts', 'calendar.ts', 'policy.ts']));
  });

  it.each(sources)('given $name, when its imports are read, then each is the folder or @fbl/scales', ({ text }) => {
    expect(specifiers(text).filter((s) => !/^\.\/[a-z0-9-]+\.js$/.test(s) && s !== '@fbl/scales')).toEqual([]);
  });

  it.each(sources)('given $name, when its code is read, then it reads no clock or randomness', ({ text }) => {
    expect(text).not.toMatch(/Date\.now\(|new Date\(\s*\)|Math\.random\(|performance\.now\(|randomUUID|newId\(/);
  });
});
