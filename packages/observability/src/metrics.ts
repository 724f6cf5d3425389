import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics of one process, shared by its services. */
export interface ProcessMetrics {
  registry: Registry;
  messagesHandled: Counter<'consumer' | 'type' | 'outcome'>;
  messageHandleSeconds: Histogram<'consumer'>;
  outboxPublished: Counter<'service'>;
  outboxBacklog: Gauge<'service'>;
  outboxRelayActive: Gauge<'service'>;
  consumersLive: Gauge<'consumer'>;
  httpRequestSeconds: Histogram<'method' | 'route' | 'status'>;
}

/** Create the metrics of a process (one registry per process, never a global one). */
export function createMetrics(defaultLabels: Record<string, string> = {}): ProcessMetrics {
  const registry = new Registry();
  registry.setDefaultLabels(defaultLabels);
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    messagesHandled: new Counter({
      name: 'fbl_messages_handled_total',
      help: 'Messages handled by consumers, by outcome (handled, duplicate, ignored, dead-lettered)',
      labelNames: ['consumer', 'type', 'outcome'],
      registers,
    }),
    messageHandleSeconds: new Histogram({
      name: 'fbl_message_handle_seconds',
      help: 'Time from receipt to committed effect of one message',
      labelNames: ['consumer'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    outboxPublished: new Counter({
      name: 'fbl_outbox_published_total',
      help: 'Outbox rows published to the bus',
      labelNames: ['service'],
      registers,
    }),
    outboxBacklog: new Gauge({
      name: 'fbl_outbox_backlog',
      help: 'Outbox rows seen unpublished at the last relay pass',
      labelNames: ['service'],
      registers,
    }),
    outboxRelayActive: new Gauge({
      name: 'fbl_outbox_relay_active',
      help: '1 while this process holds the outbox relay lock of the service and publishes, else 0',
      labelNames: ['service'],
      registers,
    }),
    consumersLive: new Gauge({
      name: 'fbl_consumer_live',
      help: '1 while the consumer is a member of its group and fetching, else 0',
      labelNames: ['consumer'],
      registers,
    }),
    httpRequestSeconds: new Histogram({
      name: 'fbl_http_request_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
  };
}
