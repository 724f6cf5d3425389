import { dlqTopic, isDlqTopic } from '@fbl/contracts';
import type { Logger } from '@fbl/observability';
// kafkajs is loaded when a Kafka bus is made: the embedded process, on its in-process bus, never loads it.
import type { Batch, Consumer, IHeaders, KafkaMessage, LogEntry, logLevel as LogLevels, Producer, SASLOptions } from 'kafkajs';
import { backoffMs, sleep } from './backoff.js';
import type { Bus, BusRecord, DeliveredRecord, ReplayProgress, ReplayRequest, Subscription, SubscriptionRequest } from './bus.js';

/**
 * Group membership. A member that stops heartbeating is out of its group after
 * `SESSION_TIMEOUT_MS`, and until then its partitions wait: a process killed and restarted holds
 * up the group for that long, so it is a few seconds, not the usual thirty. Heartbeats go every
 * second (between records too), well inside it.
 */
const SESSION_TIMEOUT_MS = 8_000;
const HEARTBEAT_INTERVAL_MS = 1_000;
/** A member that has neither fetched nor heartbeated for this long is not consuming. */
const SILENCE_MS = 10_000;
/**
 * Reconnecting: attempts start at 300 ms and back off to at most 3 s, so consumption resumes
 * within seconds of the broker's return rather than after a half-minute backoff.
 */
const CONSUMER_RETRY = { initialRetryTime: 300, maxRetryTime: 3_000, retries: 20 };

/** Settings of the Kafka adapter. */
export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Partitions of topics this process creates. */
  partitions?: number;
  replicationFactor?: number;
  /**
   * Prefix of every topic and consumer group on the broker, so several deployments (or test
   * runs) can share one cluster without meeting. Code above the bus sees logical topic names.
   */
  namespace?: string;
  /** TLS to the brokers: their certificates checked against `ca` (PEM; the system's roots when absent); `cert` and `key` (PEM) for a client certificate. */
  ssl?: KafkaTls;
  /** SASL authentication (over TLS in any real deployment). */
  sasl?: KafkaSasl;
}

/** TLS settings of the Kafka adapter. */
export interface KafkaTls {
  ca?: string;
  cert?: string;
  key?: string;
}

/** SASL settings of the Kafka adapter: SCRAM (SHA-256 or SHA-512) or PLAIN, with the account's name and password. */
export interface KafkaSasl {
  mechanism: 'scram-sha-256' | 'scram-sha-512' | 'plain';
  username: string;
  password: string;
}

function kafkaLogCreator(logger: Logger, logLevel: typeof LogLevels) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      const fields = { kafka: extra };
      if (level === logLevel.ERROR) logger.error(fields, message);
      else if (level === logLevel.WARN) logger.warn(fields, message);
      else logger.debug(fields, message);
    };
}

/** Broker answers that say an idempotent producer's id or sequence is no longer valid there. */
const PRODUCER_STATE_ERRORS = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING', 'PRODUCER_FENCED']);

/**
 * Whether a failed send means the producer itself can no longer send (its id or sequence lost with
 * the broker, or kafkajs gave up on it for good), rather than the broker being away for a while.
 */
export function producerDesynchronised(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown; originalError?: unknown }).cause ?? (e as { originalError?: unknown }).originalError, depth++) {
    const { type, name } = e as { type?: unknown; name?: unknown };
    if (typeof type === 'string' && PRODUCER_STATE_ERRORS.has(type)) return true;
    if (name === 'KafkaJSNonRetriableError') return true;
  }
  return false;
}

function saslOf(sasl: KafkaSasl): SASLOptions {
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username: sasl.username, password: sasl.password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username: sasl.username, password: sasl.password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username: sasl.username, password: sasl.password };
  }
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  return out;
}

/**
 * Apache Kafka through kafkajs. The producer is idempotent with one request in flight and waits
 * for all in-sync replicas. Consumers read batches, heartbeat between records, stop early on a
 * rebalance, and commit a record's offset only after its handler resolved, that is, after the
 * database transaction holding its effect committed.
 */
export async function createKafkaBus(options: KafkaBusOptions): Promise<Bus> {
  const { logger } = options;
  const prefix = options.namespace ? `${options.namespace}.` : '';
  const physical = (topic: string) => prefix + topic;
  const logical = (topic: string) => (prefix && topic.startsWith(prefix) ? topic.slice(prefix.length) : topic);
  /** A Kafka message as the consumers see it: logical topic, place in the log, key, value, headers. */
  const delivered = (batch: Batch, message: KafkaMessage): DeliveredRecord => ({
    topic: logical(batch.topic),
    partition: batch.partition,
    offset: message.offset,
    key: message.key?.toString() ?? '',
    value: message.value?.toString() ?? '',
    headers: headersOf(message.headers),
  });
  const { Kafka, logLevel, Partitioners } = (await import('kafkajs')).default;
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger.child({ component: 'kafkajs' }), logLevel),
    retry: { initialRetryTime: 200, maxRetryTime: 3_000, retries: 8 },
    ...(options.ssl ? { ssl: { rejectUnauthorized: true, ...(options.ssl.ca ? { ca: [options.ssl.ca] } : {}), ...(options.ssl.cert ? { cert: options.ssl.cert } : {}), ...(options.ssl.key ? { key: options.ssl.key } : {}) } } : {}),
    ...(options.sasl ? { sasl: saslOf(options.sasl) } : {}),
  });
  const admin = kafka.admin();
  await admin.connect();
  const newProducer = (): Producer =>
    kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // The Java client's murmur2 partitioner, so keys land where other clients expect.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  let producer = newProducer();
  await producer.connect();
  let producerConnected = true;
  /**
   * An idempotent producer whose sequence numbers the broker no longer accepts (after a broker
   * restart, say) fails every later send to that partition: it is replaced by a new producer,
   * with a new producer id, and the failed send is tried again by the caller (the relay). A send
   * that may have reached the broker is sent again: delivery stays at least once.
   */
  const replaceProducer = async (error: unknown) => {
    logger.warn({ err: error }, 'the Kafka producer lost its sequence with the broker; replacing it');
    const old = producer;
    producer = newProducer();
    producerConnected = false;
    void old.disconnect().catch(() => undefined);
  };
  const consumers = new Set<Consumer>();
  const known = new Set<string>();

  const ensureTopics = async (topics: string[]) => {
    const wanted = [...new Set(topics.flatMap((t) => (isDlqTopic(t) ? [t] : [t, dlqTopic(t)])).map(physical))].filter((t) => !known.has(t));
    if (wanted.length === 0) return;
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin
        .createTopics({
          // kafkajs's own leader wait can reject outside the returned promise (and crash the
          // process) when another client creates the same topics at once; waitForLeaders below
          // does the waiting instead.
          waitForLeaders: false,
          topics: missing.map((topic) => ({
            topic,
            numPartitions: options.partitions ?? 3,
            replicationFactor: options.replicationFactor ?? 1,
            // Events are the record projections are rebuilt from: kept for good, not for a week.
            ...(topic.endsWith('.events') ? { configEntries: [{ name: 'retention.ms', value: '-1' }] } : {}),
          })),
        })
        .catch((error: unknown) => {
          // Another process may have created it meanwhile.
          if (!(error instanceof Error) || !/already exists/i.test(error.message)) throw error;
        });
    }
    await waitForLeaders(wanted);
    for (const t of wanted) known.add(t);
  };

  // A topic another process is still creating may exist without leaders yet; wait until it is usable.
  const waitForLeaders = async (topics: string[]) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
        if (metadata.length === topics.length && metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`topics have no leaders after 30 s: ${topics.join(', ')}`);
      await sleep(200);
    }
  };

  return {
    kind: 'kafka',
    async publish(records: BusRecord[]) {
      if (records.length === 0) return;
      const byTopic = new Map<string, BusRecord[]>();
      for (const record of records) {
        const topic = physical(record.topic);
        const list = byTopic.get(topic) ?? [];
        list.push(record);
        byTopic.set(topic, list);
      }
      if (!producerConnected) {
        await producer.connect();
        producerConnected = true;
      }
      try {
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, list]) => ({
            topic,
            messages: list.map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
          })),
        });
      } catch (error) {
        if (producerDesynchronised(error)) await replaceProducer(error);
        throw error;
      }
    },

    async subscribe(request: SubscriptionRequest): Promise<Subscription> {
      await ensureTopics(request.topics);
      // Whether it consumes: a member of its group (joined, not rebalancing, not crashed), heard from lately.
      let member = false;
      let stopped = false;
      let lastSign = 0;
      let consumer: Consumer | undefined;
      let restartTimer: NodeJS.Timeout | undefined;
      let failedStarts = 0;
      const sign = () => void (lastSign = Date.now());
      /**
       * Start a consumer of the group. kafkajs restarts one itself after a retriable error; after
       * any other it stops for good, which would leave the service deaf while it looks alive, so a
       * new consumer takes its place (and again, with backoff, while the broker cannot be reached).
       */
      const start = async (): Promise<void> => {
        const next = kafka.consumer({
          groupId: prefix + request.group,
          sessionTimeout: SESSION_TIMEOUT_MS,
          heartbeatInterval: HEARTBEAT_INTERVAL_MS,
          allowAutoTopicCreation: false,
          retry: CONSUMER_RETRY,
          // A long poll delays shutdown by as long; records still arrive as soon as they exist.
          maxWaitTimeInMs: 1000,
        });
        consumer = next;
        consumers.add(next);
        const { GROUP_JOIN, FETCH, HEARTBEAT, REBALANCING, CRASH, DISCONNECT, STOP } = next.events;
        next.on(GROUP_JOIN, () => {
          member = true;
          failedStarts = 0;
          sign();
        });
        next.on(FETCH, sign);
        next.on(HEARTBEAT, sign);
        for (const event of [REBALANCING, DISCONNECT, STOP]) next.on(event, () => void (member = false));
        next.on(CRASH, ({ payload }) => {
          member = false;
          if (payload.restart || stopped) return;
          logger.warn({ group: request.group, err: payload.error }, 'the consumer stopped for good after an error; a new one takes its place');
          replace(next);
        });
        await next.connect();
        await next.subscribe({ topics: request.topics.map(physical), fromBeginning: true });
        await next.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: 3,
          eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
            let nextOffset: string | undefined;
            // Records of a fetch are applied a chunk at a time in one transaction when the consumer can (`handleBatch`).
            const chunk = request.handleBatch ? (request.maxBatch ?? 500) : 1;
            try {
              for (let i = 0; i < batch.messages.length; i += chunk) {
                if (!isRunning() || isStale()) break;
                const messages = batch.messages.slice(i, i + chunk);
                if (request.handleBatch && messages.length > 1) await request.handleBatch(messages.map((message) => delivered(batch, message)));
                else await request.handle(delivered(batch, messages[0]!));
                const last = messages[messages.length - 1]!;
                resolveOffset(last.offset);
                nextOffset = (BigInt(last.offset) + 1n).toString();
                sign();
                await heartbeat();
              }
            } finally {
              // Offsets of records whose effects committed; a failed record is read again.
              if (nextOffset !== undefined) {
                await next.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: nextOffset }]);
              }
            }
          },
        });
      };
      const replace = (old: Consumer) => {
        consumers.delete(old);
        void old.disconnect().catch(() => undefined);
        failedStarts += 1;
        restartTimer = setTimeout(() => {
          if (stopped) return;
          start().catch((error: unknown) => {
            logger.warn({ group: request.group, err: error }, 'starting a consumer failed; trying again');
            if (consumer) replace(consumer);
          });
        }, backoffMs(failedStarts, CONSUMER_RETRY.initialRetryTime, CONSUMER_RETRY.maxRetryTime));
      };
      await start();
      return {
        notConsuming: () => {
          if (stopped) return 'stopped';
          if (!member) return 'not a member of its consumer group (joining, rebalancing or reconnecting)';
          const silent = Date.now() - lastSign;
          return silent > SILENCE_MS ? `no fetch or heartbeat for ${Math.round(silent / 1000)} s` : undefined;
        },
        stop: async () => {
          stopped = true;
          clearTimeout(restartTimer);
          if (consumer) {
            await consumer.disconnect();
            consumers.delete(consumer);
          }
        },
      };
    },

    async replay(request: ReplayRequest): Promise<ReplayProgress> {
      await ensureTopics(request.topics);
      if (request.idleGroup) {
        const { groups } = await admin.describeGroups([prefix + request.idleGroup]);
        const live = groups.find((g) => g.members.length > 0);
        if (live) throw new Error(`consumer group ${request.idleGroup} has ${live.members.length} live member(s): stop it before replaying`);
      }
      // Where each partition ends now; records written later are left to the live consumer.
      const remaining = new Map<string, bigint>();
      let total = 0;
      for (const topic of request.topics.map(physical)) {
        for (const p of await admin.fetchTopicOffsets(topic)) {
          // A log that no longer starts at 0 lost its oldest records to retention: a rebuild from it would be partial.
          if (BigInt(p.low) > 0n) throw new Error(`${logical(topic)} partition ${p.partition} starts at offset ${p.low}: older records were deleted, so a replay would rebuild from part of the history`);
          const count = BigInt(p.high) - BigInt(p.low);
          total += Number(count);
          if (count > 0n) remaining.set(`${topic}:${p.partition}`, BigInt(p.high));
        }
      }
      await request.prepare?.();
      const progress: ReplayProgress = { records: 0, total };
      request.onProgress?.({ ...progress });
      if (remaining.size === 0) return progress;
      const groupId = `${prefix}${request.name}-replay-${Date.now().toString(36)}`;
      const consumer = kafka.consumer({ groupId, sessionTimeout: SESSION_TIMEOUT_MS, heartbeatInterval: HEARTBEAT_INTERVAL_MS, retry: CONSUMER_RETRY, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
      consumers.add(consumer);
      let finish!: () => void;
      let fail!: (error: unknown) => void;
      const done = new Promise<void>((resolve, reject) => {
        finish = resolve;
        fail = reject;
      });
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: request.topics.map(physical), fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
            const key = `${batch.topic}:${batch.partition}`;
            const end = remaining.get(key);
            try {
              for (const message of batch.messages) {
                if (end === undefined || !isRunning() || isStale()) break;
                if (BigInt(message.offset) >= end) break;
                await request.handle(delivered(batch, message));
                resolveOffset(message.offset);
                progress.records++;
                if (progress.records % 1000 === 0) request.onProgress?.({ ...progress });
                if (BigInt(message.offset) + 1n >= end) {
                  remaining.delete(key);
                  if (remaining.size === 0) finish();
                  break;
                }
                await heartbeat();
              }
              // The end may be a marker rather than a record: a batch reaching it ends the partition too.
              // (Every record before the end was handled: the loop stops only at the end, on a failure, or when the batch is stale.)
              if (remaining.has(key) && end !== undefined && BigInt(batch.lastOffset()) + 1n >= end && isRunning() && !isStale()) {
                remaining.delete(key);
                if (remaining.size === 0) finish();
              }
            } catch (error) {
              fail(error);
              throw error;
            }
          },
        });
        await done;
        request.onProgress?.({ ...progress });
        return progress;
      } finally {
        await consumer.disconnect();
        consumers.delete(consumer);
        await admin.deleteGroups([groupId]).catch(() => undefined);
      }
    },

    ensureTopics,

    async ping() {
      await admin.describeCluster();
    },

    async close() {
      await Promise.allSettled([...consumers].map((c) => c.disconnect()));
      consumers.clear();
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}
