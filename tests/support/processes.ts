import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@fbl/testing';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A service process started by a test. */
export interface ServiceProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** Everything it wrote, for failure messages. */
  output(): string;
  /** Send a signal and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Start a TypeScript entry point of this repository as its own Node process (through tsx) with
 * the given environment, and wait until `readyPath` answers 200.
 */
export async function startService(
  name: string,
  entry: string | { command: string; args: string[] },
  env: Record<string, string>,
  options: { readyPath?: string; timeoutMs?: number; cwd?: string } = {},
): Promise<ServiceProcess> {
  const port = env['PORT'] ?? String(await freePort());
  const [command, args] = typeof entry === 'string' ? [process.execPath, ['--import', 'tsx', `${ROOT}/${entry}`]] : [entry.command, entry.args];
  // Its own process group, so a signal reaches it the way Ctrl-C in a terminal does: the whole group.
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env, PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    name,
    url,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(-child.pid, signal);
      return exited;
    },
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
        const response = await fetch(`${url}${options.readyPath ?? '/ready'}`);
        return response.ok;
      },
      { what: `${name} ready at ${url}`, timeoutMs: options.timeoutMs ?? 60_000, intervalMs: 200 },
    );
  } catch (error) {
    await service.stop('SIGKILL');
    throw new Error(`${name} did not become ready: ${error instanceof Error ? error.message : String(error)}\n--- output ---\n${output.slice(-4000)}`, { cause: error });
  }
  return service;
}
