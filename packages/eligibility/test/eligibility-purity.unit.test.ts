import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The eligibility rules are pure and self-contained: they import only from their own folder
 * (no package, no node built-in, no other layer) and read no clock or randomness. The one
 * exception is the list of codes the referral packet shares with them, a module of constants.
 */
const SHARED_CODES = '@fbl/contracts/packet-codes';
const folder = fileURLToPath(new URL('../src/', import.meta.url));
const sources = readdirSync(folder)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(join(folder, name), 'utf8') }));

/** Specifiers of static imports, re-exports and dynamic imports. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) found.push(match[1]!);
  return found;
}

describe('eligibility purity', () => {
  it('given the eligibility folder, when its files are listed, then there are files to check', () => {
    expect(sources.map((s) => s.name)).toEqual(expect.arrayContaining(['index.ts', 'rules.ts', 'care-bed.ts']));
  });

  it.each(sources)('given $name, when its imports are read, then each stays inside the folder', ({ text }) => {
    const outside = specifiers(text).filter((specifier) => !/^\.\/[a-z0-9-]+\.js$/.test(specifier) && specifier !== SHARED_CODES);
    expect(outside).toEqual([]);
  });

  it.each(sources)('given $name, when its code is read, then it reads no clock or randomness', ({ text }) => {
    expect(text).not.toMatch(/Date\.now\(|new Date\(\s*\)|Math\.random\(|performance\.now\(/);
  });
});
