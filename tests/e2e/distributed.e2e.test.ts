import { createTestDatabase, describeWithKafkaAndPostgres, kafkaBrokers, type TestDatabase } from '@fbl/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startService, type ServiceProcess } from '../support/processes.js';
import { referralToClosedLoop } from './scenarios.js';

describeWithKafkaAndPostgres('distributed mode: separate processes over Kafka and PostgreSQL', () => {
  const databases: TestDatabase[] = [];
  const processes: ServiceProcess[] = [];
  let gateway: ServiceProcess;

  beforeAll(async () => {
    const brokers = kafkaBrokers().join(',');
    const [careDb, medicalDb, workflowDb] = await Promise.all([createTestDatabase('e2e_care_beds'), createTestDatabase('e2e_medical_beds'), createTestDatabase('e2e_referral')]);
    databases.push(careDb!, medicalDb!, workflowDb!);
    // Started together, as a deployment would: they create their topics concurrently.
    const [careBeds, medicalBeds, workflow] = await Promise.all([
      startService('care-beds', 'services/care-beds/src/main.ts', { DATABASE_URL: careDb!.url, KAFKA_BROKERS: brokers }),
      startService('medical-beds', 'services/medical-beds/src/main.ts', { DATABASE_URL: medicalDb!.url, KAFKA_BROKERS: brokers }),
      startService('referral-workflow', 'services/referral-workflow/src/main.ts', { DATABASE_URL: workflowDb!.url, KAFKA_BROKERS: brokers }),
    ]);
    processes.push(careBeds, medicalBeds, workflow);
    gateway = await startService('gateway', 'services/gateway/src/main.ts', { CARE_BEDS_URL: careBeds.url, MEDICAL_BEDS_URL: medicalBeds.url, REFERRAL_WORKFLOW_URL: workflow.url });
    processes.push(gateway);
  });

  afterAll(async () => {
    const codes = await Promise.all(processes.map((p) => p.stop('SIGTERM')));
    await Promise.all(databases.map((d) => d.drop()));
    expect(codes.every((c) => c === 0), `every service stops cleanly: ${codes.join(', ')}`).toBe(true);
  });

  it('takes one referral from the HTTP request to the closed loop through Kafka', async () => {
    await referralToClosedLoop(gateway.url);
  });

  it('runs each service in its own consumer group', async () => {
    const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const { groups } = await admin.listGroups();
      const ids = groups.map((g) => g.groupId);
      expect(ids).toEqual(expect.arrayContaining(['care-beds', 'medical-beds', 'referral-workflow']));
      const described = await admin.describeGroups(['care-beds', 'medical-beds', 'referral-workflow']);
      for (const group of described.groups) expect(group.members.length, `${group.groupId} has a live member`).toBeGreaterThan(0);
    } finally {
      await admin.disconnect();
    }
  });
});
