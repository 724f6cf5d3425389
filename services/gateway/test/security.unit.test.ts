import { createLogger, createMetrics } from '@fbl/observability';
import { buildHttpServer, ProblemError } from '@fbl/service-kit';
import { describe, expect, it } from 'vitest';
import { gatewaySecurity, rateLimitFromEnv } from '../src/index.js';
import { bodyTooLarge } from '../src/routes.js';
import { securityHeaders } from '../src/security.js';

const logger = createLogger({ name: 'security-test', level: 'silent' });

describe('gateway security', () => {
  it('limits every route per address when a global limit is set, with a problem+json 429', async () => {
    const app = await buildHttpServer({
      title: 'security-test',
      logger,
      metrics: createMetrics(),
      readiness: [],
      plugins: [gatewaySecurity({ perMinute: 3 }), async (a) => void a.get('/api/thing', async () => ({ ok: true }))],
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await app.inject({ method: 'GET', url: '/api/thing' })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await app.inject({ method: 'GET', url: '/api/thing' });
      expect(limited.headers['content-type']).toContain('application/problem+json');
      expect(limited.headers['retry-after']).toBeDefined();
      expect(limited.headers['x-content-type-options']).toBe('nosniff');
    } finally {
      await app.close();
    }
  });

  it("sends helmet's security headers, worked out once, on answers, refusals and unknown paths alike", async () => {
    const app = await buildHttpServer({
      title: 'security-test',
      logger,
      metrics: createMetrics(),
      readiness: [],
      plugins: [
        gatewaySecurity(),
        async (a) => {
          a.get('/api/thing', async () => ({ ok: true }));
          a.get('/api/broken', async () => {
            throw new ProblemError(403, 'forbidden', 'Not allowed', 'not for you');
          });
        },
      ],
    });
    try {
      const csp = "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'none';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';upgrade-insecure-requests;connect-src 'self'";
      for (const url of ['/api/thing', '/api/broken', '/nowhere', '/api/thing']) {
        const r = await app.inject({ method: 'GET', url });
        expect(r.headers['content-security-policy'], url).toBe(csp);
        expect(r.headers, url).toMatchObject({
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'SAMEORIGIN',
          'strict-transport-security': 'max-age=31536000; includeSubDomains',
          'referrer-policy': 'no-referrer',
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-resource-policy': 'same-origin',
        });
      }
      expect((await app.inject({ method: 'GET', url: '/api/broken' })).headers['content-type']).toContain('application/problem+json');
      expect(await securityHeaders()).toMatchObject({ 'content-security-policy': csp, 'x-content-type-options': 'nosniff' });
    } finally {
      await app.close();
    }
  });

  it('reads the limit from RATE_LIMIT_PER_MINUTE, refusing what is not a whole number', () => {
    expect(rateLimitFromEnv({})).toBe(0);
    expect(rateLimitFromEnv({ RATE_LIMIT_PER_MINUTE: '600' })).toBe(600);
    expect(() => rateLimitFromEnv({ RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(/whole number/);
  });
});

describe('bodies larger than the service behind takes', () => {
  it('refuses an upload over 10 MB and another body over 1 MB, by the declared length, before forwarding', () => {
    const mb = 1024 * 1024;
    expect(bodyTooLarge('POST', '/api/referrals/r-1/attachments?kind=test-result&name=a.pdf', String(10 * mb))).toBe(false);
    expect(bodyTooLarge('POST', '/api/referrals/r-1/attachments?kind=test-result&name=a.pdf', String(10 * mb + 1))).toBe(true);
    expect(bodyTooLarge('POST', '/api/referrals', String(2 * mb))).toBe(true);
    expect(bodyTooLarge('PUT', '/api/referrals/r-1/packet', String(mb))).toBe(false);
    expect(bodyTooLarge('POST', '/api/referrals/r-1/attachments-not', String(2 * mb))).toBe(true);
    expect(bodyTooLarge('POST', '/api/referrals', undefined)).toBe(false);
  });
});
