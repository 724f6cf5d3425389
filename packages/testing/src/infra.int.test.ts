/**
 * Proves the infrastructure the global setup provides is usable: a Kafka round trip and a
 * PostgreSQL database created and dropped. Skipped locally when a piece is missing; under CI the
 * global setup fails instead.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type KafkaMessage } from 'kafkajs';
import postgres from 'postgres';
import { expect, it } from 'vitest';
import {
  createTestDatabase,
  databaseUrl,
  describeWithKafka,
  describeWithPostgres,
  kafkaBrokers,
  waitFor,
} from './index.js';

describeWithKafka('Kafka from the global setup', () => {
  it('given a new topic, when a message is produced, then a consumer reads it back', async () => {
    const kafka = new Kafka({ clientId: 'fbl-testing-int', brokers: kafkaBrokers(), logLevel: logLevel.WARN });
    const topic = `fbl-testing-${randomUUID()}`;
    const admin = kafka.admin();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    // A short fetch wait: disconnect() waits for the fetch in flight (5 s by default).
    const consumer = kafka.consumer({ groupId: `fbl-testing-${randomUUID()}`, maxWaitTimeInMs: 100 });
    const received: KafkaMessage[] = [];
    try {
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });

      await producer.connect();
      await producer.send({ topic, messages: [{ key: 'referral-1', value: 'hello' }] });

      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          received.push(message);
          return Promise.resolve();
        },
      });

      const [message] = await waitFor(() => received.length > 0 && received, {
        timeoutMs: 30_000,
        what: `one message consumed from ${topic}`,
      });
      expect(message?.key?.toString()).toBe('referral-1');
      expect(message?.value?.toString()).toBe('hello');
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  }, 60_000);
});

describeWithPostgres('PostgreSQL from the global setup', () => {
  it('given a test database, when it is dropped, then it is gone from the server', async () => {
    const db = await createTestDatabase('infra');
    const server = postgres(databaseUrl(), { max: 1 });
    try {
      const inDb = postgres(db.url, { max: 1 });
      const [row] = await inDb`select current_database() as name`;
      expect(row?.name).toBe(db.name);

      // inDb is still connected: WITH (FORCE) must not let that block the drop.
      await db.drop();
      await inDb.end({ timeout: 1 }).catch(() => {});

      const remaining = await server`select 1 from pg_database where datname = ${db.name}`;
      expect(remaining).toHaveLength(0);
    } finally {
      await db.drop();
      await server.end({ timeout: 5 });
    }
  }, 30_000);
});
