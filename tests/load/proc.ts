/**
 * Memory and CPU of processes, from /proc (Linux): the resident set (VmRSS) sampled on a timer
 * and the kernel's own high-water mark (VmHWM); CPU seconds per process and for the machine.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** VmRSS and VmHWM of a process in kB; undefined when it is gone or /proc is not there. */
export function memoryOf(pid: number): { rssKb: number; hwmKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(/^(\w+):\s+(\d+) kB$/m.exec(status.split('\n').find((l) => l.startsWith(`${key}:`)) ?? '')?.[2] ?? NaN);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Sample a process's memory every `everyMs` until stopped; the peak is the larger of the sampled RSS and VmHWM. */
export function sampleMemory(pid: number, everyMs = 200): { stop(): { peakRssKb: number; hwmKb: number; firstRssKb: number; samples: number } } {
  let peakRssKb = 0;
  let firstRssKb = 0;
  let hwmKb = 0;
  let samples = 0;
  const take = () => {
    const m = memoryOf(pid);
    if (!m) return;
    samples += 1;
    if (samples === 1) firstRssKb = m.rssKb;
    if (m.rssKb > peakRssKb) peakRssKb = m.rssKb;
    if (m.hwmKb > hwmKb) hwmKb = m.hwmKb;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      take();
      clearInterval(timer);
      return { peakRssKb, hwmKb, firstRssKb, samples };
    },
  };
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU seconds (user + system, all threads) a process has used so far; undefined when it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return undefined;
  }
}

/** CPU seconds of the whole machine so far, busy and idle (all cores). */
export function machineCpuSeconds(): { busy: number; idle: number } | undefined {
  try {
    const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
    const t = cpu!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (t[3] ?? 0) + (t[4] ?? 0);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const total = t.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: (total - idle) / clockTicks(), idle: idle / clockTicks() };
  } catch {
    return undefined;
  }
}

/** Every process id on the machine with its parent's. */
function processTable(): { pid: number; ppid: number }[] {
  const out: { pid: number; ppid: number }[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      out.push({ pid: Number(entry), ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** A process and all its descendants (e.g. a PostgreSQL postmaster and its backends). */
export function processTree(root: number): number[] {
  const table = processTable();
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const p of table) if (p.ppid === tree[i]) tree.push(p.pid);
  return tree;
}

/** The Kafka broker (a `kafka.Kafka` JVM) whose server.properties listens on `port`, if it runs here. */
export function kafkaBrokerPid(port: string): number | undefined {
  for (const { pid } of processTable()) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (!args.includes('kafka.Kafka')) continue;
      const properties = readFileSync(args[args.length - 1]!, 'utf8');
      if (new RegExp(`^listeners=.*:${port}(,|$)`, 'm').test(properties)) return pid;
    } catch {
      // not ours to read, or gone
    }
  }
  return undefined;
}

/**
 * Where the machine's CPU went between `start()` and `stop()`: each named process; each named
 * group of processes (looked up again at the end, so processes started inside the window count
 * in full); this process (the bench's own HTTP clients); and the rest of the machine (anything
 * else running, e.g. other work on a shared machine). Processes that exit inside the window are
 * not counted by name.
 */
export function cpuAccount(pids: Record<string, number>, groups: Record<string, () => number[]> = {}): { stop(): Record<string, number> } {
  const named = { ...Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, () => [pid]])), ...groups };
  const before = new Map<number, number>();
  for (const find of Object.values(named)) for (const pid of find()) before.set(pid, processCpuSeconds(pid) ?? 0);
  const self = process.cpuUsage();
  const machine = machineCpuSeconds();
  const r = (n: number) => Math.round(n * 10) / 10;
  return {
    stop() {
      const out: Record<string, number> = {};
      let counted = 0;
      for (const [name, find] of Object.entries(named)) {
        let used = 0;
        for (const pid of new Set(find())) used += Math.max(0, (processCpuSeconds(pid) ?? before.get(pid) ?? 0) - (before.get(pid) ?? 0));
        out[name] = r(used);
        counted += used;
      }
      const mine = process.cpuUsage(self);
      const bench = (mine.user + mine.system) / 1e6;
      out['bench client'] = r(bench);
      counted += bench;
      const after = machineCpuSeconds();
      if (machine && after) {
        out['rest of machine'] = r(after.busy - machine.busy - counted);
        out['idle'] = r(after.idle - machine.idle);
      }
      return out;
    },
  };
}
