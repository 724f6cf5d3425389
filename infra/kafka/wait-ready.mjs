// Readiness probe for kafka.sh: "ready" means an admin call (list topics) succeeds, not a log line.
//
//   node wait-ready.mjs HOST:PORT [TIMEOUT_MS]
//
// Exits 0 once listTopics (and describeGroups) succeed, 1 when the deadline (default 90 000 ms) passes.
// kafkajs is a devDependency of the workspace root, so it resolves from the repository's node_modules.
import { Kafka, logLevel } from 'kafkajs';

const broker = process.argv[2];
const timeoutMs = Number(process.argv[3] ?? 90_000);
if (!broker) {
  console.error('usage: node wait-ready.mjs HOST:PORT [TIMEOUT_MS]');
  process.exit(2);
}

// kafkajs' own retries are turned off: this loop owns the deadline.
const kafka = new Kafka({
  clientId: 'fbl-wait-ready',
  brokers: [broker],
  logLevel: logLevel.NOTHING,
  connectionTimeout: 1_000,
  requestTimeout: 2_000,
  retry: { retries: 0 },
});

const started = Date.now();
const deadline = started + timeoutMs;
let lastError = 'no attempt made';
while (Date.now() < deadline) {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
    // Also wait for the group coordinator (it creates __consumer_offsets on first use), so the
    // first consumer of a test run joins at once instead of logging retries.
    await admin.describeGroups(['fbl-wait-ready']);
    await admin.disconnect();
    console.error(`[wait-ready] ${broker} answered listTopics and describeGroups after ${Date.now() - started} ms`);
    process.exit(0);
  } catch (error) {
    lastError = error instanceof Error ? error.message : String(error);
    await admin.disconnect().catch(() => {});
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
console.error(`[wait-ready] ${broker} not ready after ${timeoutMs} ms; last error: ${lastError}`);
process.exit(1);
