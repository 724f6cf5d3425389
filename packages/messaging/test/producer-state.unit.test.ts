import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { producerDesynchronised } from '../src/kafka-bus.js';

const protocol = (type: string) => new KafkaJSProtocolError({ type, code: 0, retriable: false, message: type } as never);

/**
 * An idempotent producer whose id or sequence the broker no longer accepts (after a broker restart)
 * fails every later send to the partition: the bus replaces it. A broker that is merely away is not
 * such a failure; the relay tries again with the same producer.
 */
describe('a failed send that needs a new producer', () => {
  it('is a lost sequence, producer id or epoch, however kafkajs wraps it', () => {
    for (const type of ['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH']) {
      expect(producerDesynchronised(protocol(type)), type).toBe(true);
      expect(producerDesynchronised(new KafkaJSNumberOfRetriesExceeded(protocol(type), { retryCount: 5, retryTime: 100 })), `${type} after retries`).toBe(true);
    }
    expect(producerDesynchronised(new KafkaJSNonRetriableError(protocol('OUT_OF_ORDER_SEQUENCE_NUMBER')))).toBe(true);
  });

  it('is not a broker away for a while, or a leader moving', () => {
    expect(producerDesynchronised(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092'))).toBe(false);
    expect(producerDesynchronised(new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error'), { retryCount: 5, retryTime: 100 }))).toBe(false);
    expect(producerDesynchronised(protocol('NOT_LEADER_FOR_PARTITION'))).toBe(false);
    expect(producerDesynchronised(new Error('something else'))).toBe(false);
  });
});
