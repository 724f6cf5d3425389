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
 * until the consumer at `consumerUrl` has handled them all; returns the rate, timed from the
 * first send (the records built and the producer connected before). The publisher runs on the
 * same machine meanwhile, so the rate is of what the consumer gets of the CPU beside it.
 */
export async function floodAvailability(options: Burst & { consumerUrl: string; timeoutMs?: number }): Promise<{ count: number; seconds: number; perSecond: number; publishSeconds: number }> {
  const burst = await prepareBurst(options);
  try {
    const before = await handledAvailability(options.consumerUrl);
    const started = performance.now();
    const publishSeconds = await burst.send();
    await pollUntil(
      async () => ((await handledAvailability(options.consumerUrl)) - before >= options.count ? true : undefined),
      `the workflow to handle ${options.count} BedAvailabilityChanged events`,
      options.timeoutMs ?? 180_000,
      100,
    );
    const seconds = (performance.now() - started) / 1000;
    return { count: options.count, seconds, perSecond: options.count / seconds, publishSeconds };
  } finally {
    await burst.close();
  }
}

/**
 * Time a consumer that has just started working off a backlog of `count` events already on its
 * topic (published while it was stopped): from the first handled event seen to the last, with
 * nothing else running beside it. The events handled before the first sighting are left out of
 * the rate, as is the time they took; `timedShare` says how much of the backlog was timed.
 */
export async function drainBacklog(options: { consumerUrl: string; count: number; timeoutMs?: number }): Promise<{ count: number; seconds: number; perSecond: number; timedShare: number }> {
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  let first: { at: number; handled: number } | undefined;
  for (;;) {
    const handled = await handledAvailability(options.consumerUrl);
    const at = performance.now();
    if (handled > 0 && !first) first = { at, handled };
    if (first && handled >= options.count) {
      const seconds = (at - first.at) / 1000;
      const count = handled - first.handled;
      return { count, seconds, perSecond: count > 0 && seconds > 0 ? count / seconds : Number.NaN, timedShare: count / options.count };
    }
    if (Date.now() > deadline) throw new Error(`the workflow handled ${handled} of a backlog of ${options.count} BedAvailabilityChanged events in time`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** `BedAvailabilityChanged` events the consumer at `url` has taken in (handled or ignored as stale), from its metrics. */
async function handledAvailability(url: string): Promise<number> {
  return (await messagesHandled(url, 'BedAvailabilityChanged')).all;
}

/** Put `count` availability events on the care-beds events topic as the care-beds relay would; answers the seconds the sends took. */
export async function publishAvailability(options: Burst): Promise<number> {
  const burst = await prepareBurst(options);
  try {
    return await burst.send();
  } finally {
    await burst.close();
  }
}

/** A burst built and its producer connected, ready to send. */
async function prepareBurst(options: Burst): Promise<{ send: () => Promise<number>; close: () => Promise<void> }> {
  const institutions = options.institutions ?? 200;
  const perInstitution = Math.ceil(options.count / institutions);
  // kafkajs logs to stdout by default; stdout is for figures only.
  const logCreator = () => (entry: { namespace: string; log: { message: string } }) => process.stderr.write(`[kafkajs] ${entry.namespace}: ${entry.log.message}\n`);
  const kafka = new Kafka({ clientId: 'fbl-bench', brokers: options.brokers.split(','), logLevel: logLevel.WARN, logCreator });
  // The Java client's partitioner, as the services' producers use, so keys land where they would.
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
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
  await producer.connect();
  return {
    async send() {
      const started = performance.now();
      for (let i = 0; i < records.length; i += 500) {
        await producer.send({ topic, acks: -1, messages: records.slice(i, i + 500).map((r) => ({ key: r.key, value: r.value, headers: r.headers })) });
      }
      return (performance.now() - started) / 1000;
    },
    close: () => producer.disconnect(),
  };
}
