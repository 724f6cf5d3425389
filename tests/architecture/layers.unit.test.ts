import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authRootViolations, importsOf, layers, ROOT, sourceFiles, violations, type Layer } from './layers.js';

/** A forbidden import for each kind of folder, planted into a real file of it. */
const PLANTED: Record<Layer['kind'], (layer: Layer) => string> = {
  domain: () => `import { sql } from 'drizzle-orm';\n`,
  'pure package': () => `import postgres from 'postgres';\n`,
  application: () => `import { routes } from '../adapters/http/routes.js';\n`,
  service: (layer) => (layer.folder === 'services/monitoring/src' ? `import { referralWorkflowService } from '@fbl/referral-workflow';\n` : `import { monitoringService } from '@fbl/monitoring';\n`),
};

describe('the layers of the repository', () => {
  const all = layers();

  it('covers a domain and an application folder in every service with one, the pure packages, and every service', () => {
    const folders = all.map((l) => `${l.kind}:${l.folder}`);
    for (const root of ['services/referral-workflow', 'services/civil-affairs', 'services/medical-insurance', 'services/monitoring', 'packages/bed-inventory']) {
      expect(folders).toContain(`domain:${root}/src/domain`);
      expect(folders).toContain(`application:${root}/src/application`);
    }
    expect(all.filter((l) => l.kind === 'service')).toHaveLength(10);
  });

  it.each(all.map((l) => [`${l.kind} ${l.folder}`, l] as const))('%s imports only what its layer may', (_name, layer) => {
    const files = sourceFiles(layer.folder);
    expect(files.length).toBeGreaterThan(0);
    const found = files.flatMap((file) => violations(layer, file, readFileSync(join(ROOT, file), 'utf8')));
    expect(found).toEqual([]);
  });

  it.each(all.map((l) => [`${l.kind} ${l.folder}`, l] as const))('%s: a planted forbidden import is caught, naming the file', (_name, layer) => {
    const [file] = sourceFiles(layer.folder);
    const planted = PLANTED[layer.kind](layer) + readFileSync(join(ROOT, file!), 'utf8');
    const found = violations(layer, file!, planted);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toContain(file!);
  });

  it.each(all.filter((l) => l.kind === 'application').map((l) => [l.folder, l] as const))('%s: the whole ServiceKit or an HTTP problem from service-kit is caught too', (_name, layer) => {
    const [file] = sourceFiles(layer.folder);
    const planted = `import { type ServiceKit, ProblemError } from '@fbl/service-kit';\n` + readFileSync(join(ROOT, file!), 'utf8');
    expect(violations(layer, file!, planted)).toEqual([`${file!}: application code imports @fbl/service-kit (an HTTP or message edge)`]);
  });

  it.each(all.filter((l) => l.kind === 'application').map((l) => [l.folder, l] as const))('%s: SQL or a table definition in a use case is caught too', (_name, layer) => {
    const [file] = sourceFiles(layer.folder);
    const source = readFileSync(join(ROOT, file!), 'utf8');
    expect(violations(layer, file!, `import { eq } from 'drizzle-orm';\n` + source)).toEqual([`${file!}: application code imports drizzle-orm (SQL and tables belong to adapters/db)`]);
    expect(violations(layer, file!, `import { pgTable } from 'drizzle-orm/pg-core';\n` + source)).toHaveLength(1);
    const schema = existsSync(join(ROOT, dirname(layer.folder), 'adapters/db/schema.ts')) ? 'schema' : 'tables';
    expect(violations(layer, file!, `import { x } from '../adapters/db/${schema}.js';\n` + source)).toEqual([`${file!}: application code imports ../adapters/db/${schema}.js (SQL and tables belong to adapters/db)`]);
  });

  it('reads the environment only in configuration modules', () => {
    const roots = ['packages', 'services'].flatMap((top) => readdirSync(join(ROOT, top)).filter((name) => name !== 'testing').map((name) => `${top}/${name}/src`));
    const readers = roots.flatMap((root) => sourceFiles(root)).filter((file) => !file.endsWith('/config.ts') && /\bprocess\.env\b/.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(readers).toEqual([]);
  });

  it('keeps every application module short enough to read whole (250 lines at most)', () => {
    const application = all.filter((l) => l.kind === 'application');
    expect(application.length).toBeGreaterThanOrEqual(5);
    const long = application.flatMap((l) => sourceFiles(l.folder)).flatMap((file) => {
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n').length - 1;
      return lines > 250 ? [`${file}: ${lines} lines`] : [];
    });
    expect(long).toEqual([]);
  });

  it('keeps the root of @fbl/auth free of HTTP', () => {
    expect(authRootViolations()).toEqual([]);
  });

  it('reads every form of import', () => {
    const source = [
      `import { a } from './a.js';`,
      `import type {\n  B,\n  C,\n} from "@fbl/b";`,
      `export * from './c.js';`,
      `export { d } from './d.js';`,
      `import './side-effect.js';`,
      `const e = await import('./e.js');`,
    ].join('\n');
    expect(importsOf(source).sort()).toEqual(['./a.js', './c.js', './d.js', './e.js', './side-effect.js', '@fbl/b'].sort());
  });
});
