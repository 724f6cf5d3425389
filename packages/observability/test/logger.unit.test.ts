import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { childTraceparent, createLogger, lazyChild, newRequestId, newTraceparent, traceIdOf } from '../src/index.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('never writes personal fields, at any depth it is given them', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: 'test', destination });
    logger.info({ idNumber: '371702195001011234', elder: { name: '张三', phone: '13800000000', address: { line: '牡丹区' } } }, 'registered');
    logger.child({ request: { body: { elder: { idNumber: '371702195001011234' } } } }).warn('nested');
    const text = lines.join('');
    for (const secret of ['371702195001011234', '张三', '13800000000']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    expect(text).toContain('registered');
  });

  it('keeps the fields that are not personal', () => {
    const { lines, destination } = capture();
    createLogger({ name: 'test', destination }).info({ referralId: 'r-1', state: 'bedHeld' }, 'moved');
    expect(JSON.parse(lines[0]!)).toMatchObject({ referralId: 'r-1', state: 'bedHeld', service: 'test', msg: 'moved' });
  });
});

describe('trace context', () => {
  it('keeps the trace id across hops and takes a new span id', () => {
    const parent = newTraceparent();
    const child = childTraceparent(parent);
    expect(child).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(traceIdOf(child)).toBe(traceIdOf(parent));
    expect(child).not.toBe(parent);
  });

  it('never repeats a trace or span id, across many refills of its random pool', () => {
    const parents = Array.from({ length: 1000 }, () => newTraceparent());
    expect(new Set(parents.map((p) => traceIdOf(p))).size).toBe(1000);
    expect(new Set(parents.map((p) => p.slice(36, 52))).size).toBe(1000);
    const children = Array.from({ length: 1000 }, () => childTraceparent(parents[0]));
    expect(new Set(children.map((c) => c.slice(36, 52))).size).toBe(1000);
    for (const p of parents) expect(p).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('makes request ids that are distinct UUIDv7s of the current time', () => {
    const before = Date.now();
    const ids = Array.from({ length: 1000 }, () => newRequestId());
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(Date.now());
    }
  });

  it('starts a new trace from a missing or malformed parent', () => {
    expect(traceIdOf(childTraceparent(undefined))).toMatch(/^[0-9a-f]{32}$/);
    expect(traceIdOf(childTraceparent('garbage'))).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('a lazy child logger', () => {
  it('makes no pino child until a line at a written level, then writes with its bindings, redacted as any other', () => {
    const { lines, destination } = capture();
    const parent = createLogger({ name: 'test', destination, level: 'info' });
    let made = 0;
    const real = parent.child.bind(parent);
    parent.child = ((bindings: Record<string, unknown>, options?: Record<string, unknown>) => {
      made += 1;
      return real(bindings, options);
    }) as typeof parent.child;
    const child = lazyChild(parent, { messageId: 'm-1', idNumber: '371702195001011234' });
    child.debug('not written at info');
    expect(child.isLevelEnabled('debug')).toBe(false);
    expect(made).toBe(0);
    expect(lines).toEqual([]);
    child.warn({ state: 'held' }, 'written');
    child.info('again');
    expect(made).toBe(1);
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ messageId: 'm-1', state: 'held', msg: 'written' });
    expect(lines.join('')).not.toContain('371702195001011234');
  });

  it('keeps its own level apart from its parent', () => {
    const { lines, destination } = capture();
    const parent = createLogger({ name: 'test', destination, level: 'info' });
    const quiet = lazyChild(parent, { route: 'forward' }, { level: 'warn' });
    quiet.info('not written');
    quiet.warn('written');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['written']);
  });
});
