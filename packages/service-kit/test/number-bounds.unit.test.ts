import { createLogger, createMetrics } from '@fbl/observability';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { buildHttpServer } from '../src/http-server.js';
import { boundNumbers, INTEGER_BOUND, NUMBER_BOUND } from '../src/number-bounds.js';

const logger = createLogger({ name: 'bounds-test', level: 'silent' });

describe('every number of a request has bounds', () => {
  it('gives numbers without bounds the default ones, at any depth, and keeps bounds a schema names', () => {
    const schema = boundNumbers(
      Type.Object({
        offset: Type.Integer({ minimum: 0 }),
        limit: Type.Integer({ minimum: 1, maximum: 500 }),
        amount: Type.Optional(Type.Number()),
        lines: Type.Array(Type.Object({ hours: Type.Union([Type.Number(), Type.Null()]) })),
      }),
    ) as unknown as { properties: Record<string, Record<string, unknown> & { items?: { properties: { hours: { anyOf: Record<string, unknown>[] } } } }> };
    expect(schema.properties['offset']).toMatchObject({ minimum: 0, maximum: INTEGER_BOUND });
    expect(schema.properties['limit']).toMatchObject({ minimum: 1, maximum: 500 });
    expect(schema.properties['amount']).toMatchObject({ minimum: -NUMBER_BOUND, maximum: NUMBER_BOUND });
    expect(schema.properties['lines']!.items!.properties.hours.anyOf[0]).toMatchObject({ maximum: NUMBER_BOUND });
  });

  it('answers 400 naming the field for 1e400 and a 23-digit number, in a query and in a body, never 500', async () => {
    const app = await buildHttpServer({
      title: 'bounds-test',
      logger,
      metrics: createMetrics(),
      readiness: [],
      plugins: [
        async (a) => {
          a.get('/items', { schema: { querystring: Type.Object({ offset: Type.Optional(Type.Integer({ minimum: 0 })) }) } }, async (request) => ({ offset: (request.query as { offset?: number }).offset ?? 0 }));
          a.post('/amounts', { schema: { body: Type.Object({ amount: Type.Number() }) } }, async (request) => request.body);
        },
      ],
    });
    try {
      for (const offset of ['1e400', '12345678901234567890123']) {
        const r = await app.inject({ method: 'GET', url: `/items?offset=${offset}` });
        expect(r.statusCode, `${offset}: ${r.body}`).toBe(400);
        expect(r.headers['content-type']).toContain('application/problem+json');
        expect((r.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['offset']);
      }
      expect((await app.inject({ method: 'GET', url: '/items?offset=40' })).json()).toEqual({ offset: 40 });
      for (const amount of ['1e400', '-1e400', '12345678901234567890123']) {
        const r = await app.inject({ method: 'POST', url: '/amounts', headers: { 'content-type': 'application/json' }, payload: `{"amount":${amount}}` });
        expect(r.statusCode, `${amount}: ${r.body}`).toBe(400);
        expect((r.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['amount']);
      }
      expect((await app.inject({ method: 'POST', url: '/amounts', payload: { amount: 12.5 } })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
