/**
 * Summarise V8 CPU profiles (`node --cpu-prof`): self time by function (name + file), and by
 * where the code comes from (a package, our own code, Node, the garbage collector, idle).
 *
 *   pnpm exec tsx tests/load/profile.ts <dir or .cpuprofile> [top]
 *   pnpm exec tsx tests/load/profile.ts <dir or .cpuprofile> --callers <function name> [depth]
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/** One line of the summary. */
export interface CostLine {
  name: string;
  ms: number;
  share: number;
}

/** What a profile says about where the time went. */
export interface ProfileSummary {
  files: string[];
  totalMs: number;
  busyMs: number;
  functions: CostLine[];
  origins: CostLine[];
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where a function's code comes from: a package (by name), our own code (by folder), Node, or V8. */
export function originOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node core';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (path.startsWith(ROOT)) {
    const parts = path.slice(ROOT.length).split('/');
    return parts[0] === 'packages' || parts[0] === 'services' ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  return path;
}

function short(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + '/node_modules/'.length);
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
}

/** Read every `.cpuprofile` at `target` (a file or a folder) and sum self time. */
export async function summariseProfiles(target: string, top = 25): Promise<ProfileSummary> {
  const files = (await stat(target)).isDirectory()
    ? (await readdir(target)).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(target, f))
    : [target];
  const byFunction = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  let totalMs = 0;
  for (const file of files) {
    const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
    const hits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
    const durationMs = (profile.endTime - profile.startTime) / 1000;
    const msPerHit = hits > 0 ? durationMs / hits : 0;
    totalMs += durationMs;
    for (const node of profile.nodes) {
      const ms = (node.hitCount ?? 0) * msPerHit;
      if (ms === 0) continue;
      const { functionName, url } = node.callFrame;
      const key = `${functionName || '(anonymous)'} ${url ? short(url) : ''}`.trim();
      byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
      const origin = originOf(url, functionName);
      byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + ms);
    }
  }
  const idle = byOrigin.get('(idle)') ?? 0;
  const busyMs = totalMs - idle;
  const lines = (map: Map<string, number>, n: number): CostLine[] =>
    [...map]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), share: busyMs > 0 ? Math.round((ms / busyMs) * 1000) / 10 : 0 }));
  return { files, totalMs: Math.round(totalMs), busyMs: Math.round(busyMs), functions: lines(byFunction, top), origins: lines(byOrigin, top) };
}

/**
 * Who spends the self time of function `name`: its callers' stacks (nearest first, `depth` frames
 * of code outside node core), summed over every profile at `target`.
 */
export async function callersOf(target: string, name: string, depth = 4, top = 10): Promise<CostLine[]> {
  const files = (await stat(target)).isDirectory()
    ? (await readdir(target)).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(target, f))
    : [target];
  const byStack = new Map<string, number>();
  let total = 0;
  for (const file of files) {
    const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
    const hits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
    const msPerHit = hits > 0 ? (profile.endTime - profile.startTime) / 1000 / hits : 0;
    const parent = new Map<number, ProfileNode>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
    for (const node of profile.nodes) {
      if (node.callFrame.functionName !== name || !node.hitCount) continue;
      const frames: string[] = [];
      for (let p = parent.get(node.id); p && frames.length < depth; p = parent.get(p.id)) {
        const { functionName, url } = p.callFrame;
        if (!url || url.startsWith('node:')) continue;
        frames.push(`${functionName || '(anonymous)'} ${short(url)}`);
      }
      const key = frames.join(' ← ') || '(no caller outside node core)';
      const ms = (node.hitCount ?? 0) * msPerHit;
      byStack.set(key, (byStack.get(key) ?? 0) + ms);
      total += ms;
    }
  }
  return [...byStack]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([stack, ms]) => ({ name: stack, ms: Math.round(ms), share: total > 0 ? Math.round((ms / total) * 1000) / 10 : 0 }));
}

/** The summary as text for people. */
export function formatSummary(summary: ProfileSummary): string {
  const out = [`${summary.files.length} profile(s), ${(summary.totalMs / 1000).toFixed(1)} s sampled, ${(summary.busyMs / 1000).toFixed(1)} s busy (not idle); shares are of busy time`];
  out.push('', 'self time by origin:');
  for (const l of summary.origins) out.push(`  ${String(l.share).padStart(5)} %  ${String(l.ms).padStart(7)} ms  ${l.name}`);
  out.push('', 'self time by function:');
  for (const l of summary.functions) out.push(`  ${String(l.share).padStart(5)} %  ${String(l.ms).padStart(7)} ms  ${l.name}`);
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [target, option, name, depth] = process.argv.slice(2);
  if (!target) {
    process.stderr.write('usage: tsx tests/load/profile.ts <dir or .cpuprofile> [top] | --callers <function name> [depth]\n');
    process.exit(2);
  }
  if (option === '--callers' && name) {
    for (const l of await callersOf(target, name, Number(depth ?? 4))) process.stdout.write(`${String(l.share).padStart(5)} %  ${String(l.ms).padStart(7)} ms  ${l.name}\n`);
  } else {
    process.stdout.write(`${formatSummary(await summariseProfiles(target, Number(option ?? 25)))}\n`);
  }
}
