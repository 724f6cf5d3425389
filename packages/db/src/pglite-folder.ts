import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** PGlite's shared buffers: a single-site system's working set fits, and the process stays small. */
export const PGLITE_SHARED_BUFFERS = '16MB';

/** The PGlite version the templates are made with (a template of another version is never used). */
let knownVersion: string | undefined;
function pgliteVersion(): string {
  if (knownVersion !== undefined) return knownVersion;
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@electric-sql/pglite');
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (name === '@electric-sql/pglite' && version) return (knownVersion = version);
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

/** Where a new folder's cluster came from: it was one already, or a copy of the empty template, or of a migrated snapshot. */
export type FolderStart = 'existing' | 'template' | 'snapshot';

/**
 * Make `dataDir` a PGlite cluster if it is not one yet, without initdb in this process: an empty
 * cluster is made once per installation and PGlite version, in a child process, kept as a
 * template (`<templateRoot>/fbl-pglite-<version>-template`) and copied; a copy takes well under a
 * second where initdb takes several and hundreds of megabytes. Several processes starting at once
 * each make their own candidate and the first to finish becomes the template. When `snapshot`
 * names a migrated snapshot that exists ({@link saveSnapshot}), a new folder is a copy of it instead.
 */
export async function preparePgliteFolder(dataDir: string, templateRoot = TEMPLATE_ROOT, snapshot?: string): Promise<FolderStart> {
  if (isCluster(dataDir)) return 'existing';
  const template = join(templateRoot, templateFolder());
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
  const early = prefetched.get(resolve(dataDir));
  prefetched.delete(resolve(dataDir));
  if (early && snapshot !== undefined && early.snapshot === snapshotFolder(snapshot) && (await early.copied) && isCluster(early.staging)) {
    await moveCluster(early.staging, dataDir);
    return 'snapshot';
  }
  if (early) await early.copied.then(() => rm(early.staging, { recursive: true, force: true }));
  if (snapshot !== undefined) {
    const made = join(templateRoot, snapshotFolder(snapshot));
    if (isCluster(made)) {
      // Marked as used before the copy: a snapshot used in the last day is never removed.
      const now = new Date();
      await utimes(made, now, now).catch(() => undefined);
      // The cluster's files only (those an empty cluster has), whatever else may have been left there.
      await copyTree(made, dataDir, new Set(await readdir(template)));
      return 'snapshot';
    }
  }
  await copyTree(template, dataDir);
  return 'template';
}

/** Copies of a migrated snapshot begun before the migrations were known ({@link prefetchSnapshot}), by the folder they are for. */
const prefetched = new Map<string, { snapshot: string; staging: string; copied: Promise<boolean> }>();

/**
 * Begin copying the migrated snapshot used last into a folder beside `dataDir` (`<dataDir>.prefetch`),
 * when `dataDir` is not a cluster yet, and go on: the copy (a second on a slow disk, nearly all of it
 * waiting on the disk) then runs while the process loads its code. {@link preparePgliteFolder}, asked
 * for that same snapshot, moves the copy into `dataDir`; asked for another, it removes the copy and
 * goes on as without it. A copy left by a process that ended first is removed by the next one.
 */
export function prefetchSnapshot(dataDir: string, templateRoot = TEMPLATE_ROOT): void {
  const folder = resolve(dataDir);
  if (dataDir === 'memory' || prefetched.has(folder) || isCluster(folder)) return;
  const template = join(templateRoot, templateFolder());
  let newest: { name: string; at: number } | undefined;
  try {
    if (!isCluster(template)) return;
    for (const name of readdirSync(templateRoot)) {
      if (!/-migrated-[0-9a-f]+$/.test(name) || !name.startsWith(`fbl-pglite-${pgliteVersion()}-`) || !isCluster(join(templateRoot, name))) continue;
      const at = statSync(join(templateRoot, name)).mtimeMs;
      if (!newest || at > newest.at) newest = { name, at };
    }
  } catch {
    return;
  }
  if (!newest) return;
  const staging = `${folder}.prefetch`;
  const copied = (async () => {
    await rm(staging, { recursive: true, force: true });
    await copyTree(join(templateRoot, newest.name), staging, new Set(await readdir(template)));
    return true;
  })().catch(() => false);
  prefetched.set(folder, { snapshot: newest.name, staging, copied });
}

/** Move a cluster's files into `dataDir` (made if need be, what else it holds kept), PG_VERSION last. */
async function moveCluster(from: string, dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const entries = (await readdir(from)).filter((e) => e !== 'PG_VERSION');
  for (const entry of entries) {
    // What a copy cut short left (the folder is no cluster yet) makes way.
    await rm(join(dataDir, entry), { recursive: true, force: true });
    await rename(join(from, entry), join(dataDir, entry));
  }
  await rename(join(from, 'PG_VERSION'), join(dataDir, 'PG_VERSION'));
  await rm(from, { recursive: true, force: true });
}

/** The folder of the empty template. */
const templateFolder = () => `fbl-pglite-${pgliteVersion()}-template`;

/** The folder of a migrated snapshot, by its key (which says what migrations it holds). */
const snapshotFolder = (key: string) => `fbl-pglite-${pgliteVersion()}-migrated-${key}`;

/** Migrated snapshots kept; of the others, those unused for a day are removed as new ones are made. */
const SNAPSHOTS_KEPT = 4;
const SNAPSHOT_UNUSED_MS = 24 * 3600_000;

/**
 * Keep the cluster in `dataDir` (closed: nothing may write to it meanwhile) as the migrated
 * snapshot `key`, unless there is one: a later new folder for the same migrations starts as a copy
 * of it instead of running them, which on PGlite takes a second or more.
 */
export async function saveSnapshot(dataDir: string, key: string, templateRoot = TEMPLATE_ROOT): Promise<void> {
  const target = join(templateRoot, snapshotFolder(key));
  if (isCluster(target)) return;
  const candidate = `${target}.${process.pid}.${Date.now()}`;
  await mkdir(templateRoot, { recursive: true, mode: 0o700 });
  // The cluster's own files only, those of an empty cluster: never what else the folder holds (the embedded process's keys).
  const template = join(templateRoot, templateFolder());
  const clusterFiles = new Set(await readdir(template));
  try {
    await copyTree(dataDir, candidate, clusterFiles);
    await rename(candidate, target).catch((error: unknown) => {
      if (!isCluster(target)) throw error;
    });
  } finally {
    await rm(candidate, { recursive: true, force: true });
  }
  const entries = (await readdir(templateRoot, { withFileTypes: true })).filter((e) => e.isDirectory());
  const aged = async (names: string[]) => Promise.all(names.map(async (name) => ({ path: join(templateRoot, name), at: (await stat(join(templateRoot, name))).mtimeMs })));
  // What a start stopped halfway left (a candidate of a template or snapshot, a snapshot on its way out), an hour on.
  for (const left of await aged(entries.map((e) => e.name).filter((n) => /\.\d+\.\d+$/.test(n)))) if (Date.now() - left.at > 3600_000) await rm(left.path, { recursive: true, force: true });
  const snapshots = await aged(entries.map((e) => e.name).filter((n) => /-migrated-[0-9a-f]+$/.test(n)));
  snapshots.sort((a, b) => b.at - a.at);
  for (const old of snapshots.slice(SNAPSHOTS_KEPT)) {
    if (Date.now() - old.at <= SNAPSHOT_UNUSED_MS) continue;
    // Out of reach by its name first, so no start begins to copy it while its files go.
    const going = `${old.path}.${process.pid}.${Date.now()}`;
    await rename(old.path, going).catch(() => undefined);
    await rm(going, { recursive: true, force: true });
  }
}

/**
 * The key of a set of migrations, in order: the PGlite version, and each set's bookkeeping table,
 * schema renaming, journal and SQL files. Any change to any of them is another key.
 */
export async function migrationsKey(sets: readonly { folder: string; table: string; renameSchema?: { from: string; to: string } }[]): Promise<string> {
  const hash = createHash('sha256').update(pgliteVersion());
  // Read at once, not through the file-system threads: a prefetched copy keeps those busy.
  for (const set of sets) {
    hash.update(`\u0000${set.table}\u0000${set.renameSchema ? `${set.renameSchema.from}>${set.renameSchema.to}` : ''}\u0000`);
    hash.update(readFileSync(join(set.folder, 'meta', '_journal.json')));
    for (const file of readdirSync(set.folder).filter((f) => f.endsWith('.sql')).sort()) hash.update(file).update(readFileSync(join(set.folder, file)));
  }
  return hash.digest('hex').slice(0, 24);
}

/**
 * Copy the files under `from` into `to` (only those under the top-level names in `only`, when
 * given), many at once: a cluster is about a thousand small files, which `fs.cp` copies one after
 * another several times slower.
 */
async function copyTree(from: string, to: string, only?: ReadonlySet<string>): Promise<void> {
  const inside = (e: Dirent) => join(relative(from, e.parentPath), e.name);
  const entries = (await readdir(from, { withFileTypes: true, recursive: true })).filter((e) => only === undefined || only.has(inside(e).split(sep)[0]!));
  const folders = [to, ...entries.filter((e) => e.isDirectory()).map((e) => join(to, inside(e)))].sort();
  for (const folder of folders) await mkdir(folder, { recursive: true, mode: 0o700 });
  // PG_VERSION, which makes a folder a cluster, last: a copy cut short is not taken for one.
  const files = entries.filter((e) => e.isFile()).map(inside).filter((f) => f !== 'PG_VERSION');
  let next = 0;
  const copier = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      await copyFile(join(from, file), join(to, file));
    }
  };
  await Promise.all(Array.from({ length: 16 }, copier));
  if (existsSync(join(from, 'PG_VERSION')) && (only === undefined || only.has('PG_VERSION'))) await copyFile(join(from, 'PG_VERSION'), join(to, 'PG_VERSION'));
}
