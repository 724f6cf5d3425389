/**
 * Consumer saturation: put a burst of `BedAvailabilityChanged` events on the care-beds events
 * topic of a running distributed system, exactly as the care-beds relay would, and time how fast
 * the workflow's consumer applies them (parse, validate, inbox row + projection upsert in one
 * transaction, offset commit). Unlike the lifecycle load, nothing else limits this rate. Timed two
 * ways: published while the consumer runs (the publisher shares the machine's cores with it),
 * and worked off as a backlog by a consumer started after the burst was published.
 */
import { BedAvailabilityChanged, bedEventsTopic, createMessage } from '@fbl/contracts';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { toRecord } from '../../packages/messaging/src/bus.js';
import { messagesHandled, pollUntil } from './lifecycle.js';

/** A made-up institution id for the burst, apart from every real one. */
const institutionOf = (n: number) => `0192f3b2-7c1a-7000-8000-${n.toString(16).padStart(12, 'f')}`;

interface Burst {
  brokers: string;
  namespace: string;
  count: number;
  /** Made-up care homes the events are spread over (200). */
  institutions?: number;
  /** Bursts of the same run number their sequences on from one another (0, 1, …), so every event is news. */
  round?: number;
}

/**
 * Publish `count` events for `institutions` made-up care homes (growing sequences) and wait
 * until the consumer at `consumerUrl` has handled them all; returns the rate. The publisher runs
 * on the same machine meanwhile, so the rate is of what the consumer gets of the CPU beside it.
 */
export async function floodAvailability(options: Burst & { consumerUrl: string; timeoutMs?: number }): Promise<{ count: number; seconds: number; perSecond: number; publishSeconds: number }> {
  const before = await messagesHandled(options.consumerUrl);
  const started = performance.now();
  const publishSeconds = await publishAvailability(options);
  await pollUntil(
    async () => ((await messagesHandled(options.consumerUrl)).all - before.all >= options.count ? true : undefined),
    `the workflow to handle ${options.count} BedAvailabilityChanged events`,
    options.timeoutMs ?? 180_000,
    100,
  );
  const seconds = (performance.now() - started) / 1000;
  return { count: options.count, seconds, perSecond: options.count / seconds, publishSeconds };
}

/**
 * Time a consumer that has just started working off a backlog of `count` events already on its
 * topic (published while it was stopped): from the first handled message seen to the last, with
 * nothing else running beside it. The messages handled before the first sighting are left out of
 * the rate, as is the time they took.
 */
export async function drainBacklog(options: { consumerUrl: string; count: number; timeoutMs?: number }): Promise<{ count: number; seconds: number; perSecond: number }> {
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  let first: { at: number; handled: number } | undefined;
  for (;;) {
    const { all } = await messagesHandled(options.consumerUrl);
    const at = performance.now();
    if (all > 0 && !first) first = { at, handled: all };
    if (first && all >= options.count) {
      const seconds = (at - first.at) / 1000;
      const count = all - first.handled;
      return { count, seconds, perSecond: seconds > 0 ? count / seconds : Number.NaN };
    }
    if (Date.now() > deadline) throw new Error(`the workflow handled ${all} of a backlog of ${options.count} BedAvailabilityChanged events in time`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Put `count` availability events on the care-beds events topic as the care-beds relay would; answers the seconds it took. */
export async function publishAvailability(options: Burst): Promise<number> {
  const institutions = options.institutions ?? 200;
  const perInstitution = Math.ceil(options.count / institutions);
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
      const sequence = (options.round ?? 0) * perInstitution + Math.floor(i / institutions) + 1;
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
    const started = performance.now();
    for (let i = 0; i < records.length; i += 500) {
      await producer.send({ topic, acks: -1, messages: records.slice(i, i + 500).map((r) => ({ key: r.key, value: r.value, headers: r.headers })) });
    }
    return (performance.now() - started) / 1000;
  } finally {
    await producer.disconnect();
  }
}
