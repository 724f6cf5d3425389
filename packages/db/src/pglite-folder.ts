import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** PGlite's shared buffers: a single-site system's working set fits, and the process stays small. */
export const PGLITE_SHARED_BUFFERS = '16MB';

/** The PGlite version the templates are made with (a template of another version is never used). */
function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@electric-sql/pglite');
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (name === '@electric-sql/pglite' && version) return version;
    }
  }
  throw new Error('the installed @electric-sql/pglite has no version');
}

/** Whether a folder holds an initialised cluster. */
export function isCluster(folder: string): boolean {
  return existsSync(join(folder, 'PG_VERSION'));
}

/** Run initdb into `folder` in a child process. */
function initdbInChild(folder: string): Promise<void> {
  const script = fileURLToPath(new URL('./pglite-initdb.mjs', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, folder, PGLITE_SHARED_BUFFERS], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`initialising the PGlite folder failed (exit ${String(code)}): ${stderr.slice(-2000)}`))));
  });
}

/**
 * Where templates are kept: the installation's own cache folder (`node_modules/.cache` of this
 * package), which only the account that installed the project writes, never a shared temporary
 * folder where another account could leave a cluster of its making.
 */
export const TEMPLATE_ROOT = fileURLToPath(new URL('../node_modules/.cache/pglite-templates', import.meta.url));

/**
 * Make `dataDir` a PGlite cluster if it is not one yet, without initdb in this process: an empty
 * cluster is made once per installation and PGlite version, in a child process, kept as a
 * template (`<templateRoot>/fbl-pglite-<version>-template`) and copied; a copy takes well under a
 * second where initdb takes several and hundreds of megabytes. Several processes starting at once
 * each make their own candidate and the first to finish becomes the template.
 */
export async function preparePgliteFolder(dataDir: string, templateRoot = TEMPLATE_ROOT): Promise<void> {
  if (isCluster(dataDir)) return;
  const template = join(templateRoot, `fbl-pglite-${pgliteVersion()}-template`);
  if (!isCluster(template)) {
    const candidate = `${template}.${process.pid}.${Date.now()}`;
    await mkdir(templateRoot, { recursive: true, mode: 0o700 });
    await mkdir(candidate, { recursive: true, mode: 0o700 });
    try {
      await initdbInChild(candidate);
      await rename(candidate, template).catch((error: unknown) => {
        // Another process made the template first: its copy serves.
        if (!isCluster(template)) throw error;
      });
    } finally {
      await rm(candidate, { recursive: true, force: true });
    }
  }
  await mkdir(dataDir, { recursive: true });
  await cp(template, dataDir, { recursive: true });
}
