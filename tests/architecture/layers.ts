/**
 * The layer rules of the repository, as a checker over source text: what a domain folder, an
 * application folder, a pure package and a service may import. `layers.unit.test.ts` runs it over
 * every file, and over a planted violation in every folder it covers.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Packages with no infrastructure in them: what domain code may lean on. */
export const PURE_PACKAGES = ['@fbl/codes', '@fbl/contracts', '@fbl/contracts/packet-codes', '@fbl/contracts/bed-services', '@fbl/scales', '@fbl/auth', '@fbl/bed-inventory/domain', '@fbl/eligibility', 'xstate', 'typebox', 'typebox/compile', 'uuid'];
/** Built-in modules pure code may use (hashing, say); no I/O. */
const PURE_BUILTINS = ['node:crypto'];
/** What application code must not reach (besides drizzle and the table definitions): the HTTP and message edges (service-kit's root is the HTTP server; use cases take `@fbl/service-kit/pipeline`). */
const EDGE_PACKAGES = ['fastify', 'kafkajs', '@fbl/auth/fastify', '@fbl/service-kit'];
const EDGE_PREFIXES = ['@fastify/'];

/** One kind of folder and its rule. */
export interface Layer {
  kind: 'domain' | 'application' | 'pure package' | 'service';
  /** Folder, relative to the repository root. */
  folder: string;
}

/** Every folder a rule covers. */
export function layers(): Layer[] {
  const out: Layer[] = [];
  const roots = ['packages', 'services'].flatMap((top) => readdirSync(join(ROOT, top)).map((name) => `${top}/${name}`));
  for (const root of roots) {
    for (const kind of ['domain', 'application'] as const) {
      const folder = `${root}/src/${kind}`;
      if (exists(folder)) out.push({ kind, folder });
    }
  }
  for (const name of ['codes', 'contracts', 'scales', 'eligibility']) out.push({ kind: 'pure package', folder: `packages/${name}/src` });
  for (const root of roots.filter((r) => r.startsWith('services/') && r !== 'services/embedded')) out.push({ kind: 'service', folder: `${root}/src` });
  return out;
}

function exists(folder: string): boolean {
  try {
    return statSync(join(ROOT, folder)).isDirectory();
  } catch {
    return false;
  }
}

/** The TypeScript files of a folder, recursively, tests excluded (relative to the root). */
export function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  walk(folder);
  return out;
}

/** Every module specifier a source text imports or re-exports, static or dynamic. */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [/(?:^|[\s;])(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]/g, /(?:^|[\s;])import\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** The auth package's pure root: roles and tokens, nothing of HTTP. */
const AUTH_ROOT = ['packages/auth/src/index.ts', 'packages/auth/src/roles.ts', 'packages/auth/src/token.ts', 'packages/auth/src/sm2.ts'];

/** What is wrong with one file's imports under a layer's rule: one line per forbidden import. */
export function violations(layer: Layer, file: string, source: string): string[] {
  const problems: string[] = [];
  const here = dirname(join(ROOT, file));
  const within = (target: string, folder: string) => {
    const rel = relative(join(ROOT, folder), target);
    return !rel.startsWith('..') && !rel.startsWith(sep) && rel !== '';
  };
  for (const spec of importsOf(source)) {
    const relativeImport = spec.startsWith('.');
    const target = relativeImport ? resolve(here, spec) : '';
    switch (layer.kind) {
      case 'domain':
      case 'pure package':
        if (relativeImport ? !within(target, layer.folder) : !PURE_PACKAGES.includes(spec) && !PURE_BUILTINS.includes(spec)) {
          problems.push(`${file}: a ${layer.kind} imports ${spec} (only its own folder and ${PURE_PACKAGES.join(', ')})`);
        }
        break;
      case 'application': {
        const adapters = join(ROOT, dirname(layer.folder), 'adapters');
        const edge = relativeImport
          ? within(target, relative(ROOT, join(adapters, 'http'))) || within(target, relative(ROOT, join(adapters, 'messages')))
          : EDGE_PACKAGES.includes(spec) || EDGE_PREFIXES.some((p) => spec.startsWith(p));
        if (edge) problems.push(`${file}: application code imports ${spec} (an HTTP or message edge)`);
        const tables = relativeImport ? within(target, relative(ROOT, join(adapters, 'db'))) && /\/(schema|tables)(\.js|\.ts)?$/.test(target) : spec === 'drizzle-orm' || spec.startsWith('drizzle-orm/');
        if (tables) problems.push(`${file}: application code imports ${spec} (SQL and tables belong to adapters/db)`);
        break;
      }
      case 'service': {
        const own = layer.folder.split('/')[1]!;
        const otherService = relativeImport ? !within(target, `services/${own}`) && within(target, 'services') : /^@fbl\//.test(spec) && SERVICES.includes(spec.slice(5).split('/')[0]!) && spec.slice(5).split('/')[0] !== own;
        if (otherService) problems.push(`${file}: a service imports another service (${spec}); only the embedded runner may`);
        break;
      }
    }
  }
  return problems;
}

const SERVICES = readdirSync(join(ROOT, 'services'));

/** The auth root's own check: pure like the other pure packages, over its four files. */
export function authRootViolations(): string[] {
  return AUTH_ROOT.flatMap((file) =>
    importsOf(readFileSync(join(ROOT, file), 'utf8')).flatMap((spec) =>
      spec.startsWith('./') || PURE_BUILTINS.includes(spec) ? [] : [`${file}: the pure root of @fbl/auth imports ${spec}`],
    ),
  );
}
