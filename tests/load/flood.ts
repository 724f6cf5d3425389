/**
 * Consumer saturation: put a burst of `BedAvailabilityChanged` events on the care-beds events
 * topic of a running distributed system, exactly as the care-beds relay would, and time how fast
 * the workflow's consumer applies them (parse, validate, inbox row + projection upsert in one
 * transaction, offset commit). Unlike the lifecycle load, nothing else limits this rate.
 */
import { BedAvailabilityChanged, bedEventsTopic, createMessage } from '@fbl/contracts';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { toRecord } from '../../packages/messaging/src/bus.js';
import { messagesHandled, pollUntil } from './lifecycle.js';

/** A made-up institution id for the burst, apart from every real one. */
const institutionOf = (n: number) => `0192f3b2-7c1a-7000-8000-${n.toString(16).padStart(12, 'f')}`;

/**
 * Publish `count` events for `institutions` made-up care homes (growing sequences) and wait
 * until the consumer at `consumerUrl` has handled them all; returns the rate.
 */
export async function floodAvailability(options: { brokers: string; namespace: string; consumerUrl: string; count: number; institutions?: number; timeoutMs?: number }): Promise<{ count: number; seconds: number; perSecond: number; publishSeconds: number }> {
  const institutions = options.institutions ?? 200;
  // kafkajs logs to stdout by default; stdout is for figures only.
  const logCreator = () => (entry: { namespace: string; log: { message: string } }) => process.stderr.write(`[kafkajs] ${entry.namespace}: ${entry.log.message}\n`);
  const kafka = new Kafka({ clientId: 'fbl-bench', brokers: options.brokers.split(','), logLevel: logLevel.WARN, logCreator });
  // The Java client's partitioner, as the services' producers use, so keys land where they would.
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const topic = `${options.namespace}.${bedEventsTopic('care')}`;
    const records = Array.from({ length: options.count }, (_, i) => {
      const n = i % institutions;
      const sequence = Math.floor(i / institutions) + 1;
      const free = 20 - (sequence % 20);
      const id = institutionOf(n);
      const message = createMessage(
        BedAvailabilityChanged,
        id,
        {
          institutionId: id,
          bedType: 'care',
          name: `压测泛洪护理院${n}`,
          divisionCode: '371702',
          ownership: 'private',
          capabilities: ['nursingType'],
          serviceArea: [],
          greenChannelPartners: [],
          sequence,
          units: [{ kind: 'bed', attributes: { nursingType: true }, total: 20, free, held: 0, occupied: 20 - free, kept: 0, closed: 0 }],
        },
        { source: 'bench' },
      );
      return toRecord(topic, message.key, message.envelope);
    });
    const before = await messagesHandled(options.consumerUrl);
    const started = performance.now();
    for (let i = 0; i < records.length; i += 500) {
      await producer.send({ topic, acks: -1, messages: records.slice(i, i + 500).map((r) => ({ key: r.key, value: r.value, headers: r.headers })) });
    }
    const publishSeconds = (performance.now() - started) / 1000;
    await pollUntil(
      async () => ((await messagesHandled(options.consumerUrl)).all - before.all >= options.count ? true : undefined),
      `the workflow to handle ${options.count} BedAvailabilityChanged events`,
      options.timeoutMs ?? 180_000,
      100,
    );
    const seconds = (performance.now() - started) / 1000;
    return { count: options.count, seconds, perSecond: options.count / seconds, publishSeconds };
  } finally {
    await producer.disconnect();
  }
}
