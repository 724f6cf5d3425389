/**
 * The yardstick of the gateway phase: the least a proxy can do in Node. Every request is passed
 * to `UPSTREAM_URL` over kept-alive connections with its method, path and headers, and the answer
 * streamed back as it comes. No authentication, no headers of its own, no logging.
 *
 *   UPSTREAM_URL=http://127.0.0.1:4000 PORT=4001 node --import tsx tests/load/bare-proxy.ts
 */
import { Agent, createServer, request as forward } from 'node:http';

const upstream = new URL(process.env['UPSTREAM_URL'] ?? '');
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

const server = createServer((request, response) => {
  const out = forward(
    { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: { ...request.headers, host: upstream.host }, agent },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  out.on('error', () => {
    if (!response.headersSent) response.writeHead(502);
    response.end();
  });
  request.pipe(out);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env['PORT'] ?? 0), process.env['HOST'] ?? '127.0.0.1');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
