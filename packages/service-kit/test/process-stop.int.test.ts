import { createLogger } from '@fbl/observability';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readProcessConfig } from '../src/config.js';
import { runProcess, SHUTDOWN_GRACE_MS } from '../src/process.js';

/**
 * A process stops even when a client keeps a request open (a live stream a browser never
 * closed): requests get a grace period, then their connections are closed.
 */
describe('stopping a process', () => {
  it('closes a connection still open after the grace period, and stops', async () => {
    const running = await runProcess({
      name: 'process-stop-test',
      config: readProcessConfig({ DATA_DIR: 'memory', LOG_LEVEL: 'silent' }, { port: 0 }),
      logger: createLogger({ name: 'process-stop-test', level: 'silent' }),
      services: () => [],
      plugins: [
        async (app) => {
          // Answers headers, then never ends, as a server-sent event stream does.
          app.get('/forever', (_request, reply) => {
            reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
            reply.raw.write('event: ready\ndata: {}\n\n');
            return reply;
          });
        },
      ],
    });
    const { port } = new URL(running.url);
    const socket = connect(Number(port), '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    const received = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString('utf8'))));
    socket.write(`GET /forever HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`);
    expect(await received).toContain('200');

    const started = performance.now();
    await running.stop();
    const took = performance.now() - started;
    await closed;
    expect(took).toBeGreaterThanOrEqual(SHUTDOWN_GRACE_MS - 100);
  }, 120_000);
});
