import { signToken, type Principal } from '@fbl/auth';
import { allMessages, MessageRegistry, REFERRAL, eventsTopic, type OutgoingMessage } from '@fbl/contracts';
import type { Database } from '@fbl/db';
import { toRecord, type Bus, type BusRecord } from '@fbl/messaging';
import { createLogger, createMetrics, type ProcessMetrics } from '@fbl/observability';
import { buildHttpServer, startService, type RunningService } from '@fbl/service-kit';
import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { monitoringService, type MonitoringService } from '../../src/index.js';
import type { Filter, Row } from './oracle.js';

export const SECRET = 'monitoring-test-secret';
export const quietLogger = () => createLogger({ name: 'monitoring-test', level: 'warn', destination: new Writable({ write: (_c: Buffer, _e, done) => done() }) });

/** The monitoring service on a database and a bus, with its HTTP routes in a server of its own. */
export async function startMonitoring(database: Database, bus: Bus, clock: () => Date) {
  const logger = quietLogger();
  const metrics: ProcessMetrics = createMetrics();
  const service: MonitoringService = monitoringService({ database, bus, logger, metrics, registry: new MessageRegistry(allMessages), clock }, { authSecret: SECRET, gaugeTtlMs: 0 });
  const running: RunningService = await startService(service);
  const http: FastifyInstance = await buildHttpServer({ title: 'monitoring', logger, metrics, readiness: [], plugins: [service.routes!] });
  const token = (p: Principal) => signToken(p, SECRET, { now: clock(), ttlSeconds: 3600 });
  const get = (url: string, who: Principal | null) => http.inject({ method: 'GET', url, headers: who ? { authorization: `Bearer ${token(who)}` } : {} });
  return {
    service,
    running,
    http,
    metrics,
    get,
    stop: async () => {
      await http.close();
      await running.stop();
    },
  };
}

/**
 * The records of a history as the relays would publish them, in an order that tests the
 * projections: the bed topics first, then civil affairs and insurance, then the referral topic,
 * each in time order (so every admission is read before its referral was requested); then a
 * share of them again, as an at-least-once relay may send them.
 */
export function recordsOf(messages: OutgoingMessage[], duplicateEvery = 17): BusRecord[] {
  const rank = (m: OutgoingMessage) => (m.topic === eventsTopic(REFERRAL) ? 2 : m.topic.startsWith('civil-affairs') || m.topic.startsWith('medical-insurance') ? 1 : 0);
  const ordered = [...messages].sort((a, b) => rank(a) - rank(b) || a.envelope.time.localeCompare(b.envelope.time));
  const records = ordered.map((m) => toRecord(m.topic, m.key, m.envelope));
  return [...records, ...records.filter((_, i) => i % duplicateEvery === 0)];
}

export const ADMIN: Principal = { userId: 'admin-1', role: 'admin' };

/** The API path of one metric under a filter, as of an instant. */
export function metricPath(metric: string, f: Filter, asOf: number): string {
  const q = new URLSearchParams({ from: f.from, to: f.to, groupBy: f.groupBy, asOf: new Date(asOf).toISOString(), ...(f.division ? { division: f.division } : {}), ...(f.bedType ? { bedType: f.bedType } : {}), ...(f.provider ? { provider: f.provider } : {}) });
  return `/api/monitoring/metrics/${metric}?${q.toString()}`;
}

/** An answer's rows as the oracle writes them: key, breakdown, values (names of keys left out). */
export const comparable = (rows: Row[]): Row[] => rows.map((r) => ({ key: r.key, ...(r.sub !== undefined ? { sub: r.sub } : {}), values: r.values }));
