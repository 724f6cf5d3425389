import { describeWithKafkaAndPostgres, kafkaBrokers } from '@fbl/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDistributedSystem, type DistributedSystem } from '../support/system.js';
import { referralToClosedLoop } from './scenarios.js';

describeWithKafkaAndPostgres('distributed mode: separate processes over Kafka and PostgreSQL', () => {
  let system: DistributedSystem;

  beforeAll(async () => {
    system = await startDistributedSystem(['care-beds', 'medical-beds', 'referral-workflow']);
  });

  afterAll(async () => {
    const codes = await system?.stop();
    expect(codes?.every((c) => c === 0), `every service stops cleanly: ${codes?.join(', ')}`).toBe(true);
  });

  it('takes one referral from the HTTP request to the closed loop through Kafka', async () => {
    await referralToClosedLoop(system.url);
  });

  it('runs each service in its own consumer group', async () => {
    const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const groups = ['care-beds', 'medical-beds', 'referral-workflow'].map((g) => `${system.namespace}.${g}`);
      const { groups: listed } = await admin.listGroups();
      expect(listed.map((g) => g.groupId)).toEqual(expect.arrayContaining(groups));
      const described = await admin.describeGroups(groups);
      for (const group of described.groups) expect(group.members.length, `${group.groupId} has a live member`).toBeGreaterThan(0);
    } finally {
      await admin.disconnect();
    }
  });
});
