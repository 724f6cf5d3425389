import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { childTraceparent, lazyChild, newRequestId, type Logger, type ProcessMetrics } from '@fbl/observability';
import { Ajv, type ErrorObject, type Options as AjvOptions, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest, type FastifySchemaCompiler } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { databaseUnavailable, databaseUnreachable, fieldOf, invalidInput, ProblemError, problemOf, problemType, Refusal, type Problem, type ProblemField } from './problem.js';
import { boundNumbers } from './number-bounds.js';
import { unreadableText } from './text-guard.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The trace context of this request, continued into every message it causes. */
    traceparent: string;
  }
}

/** A check `/ready` runs; it throws when its dependency is unreachable. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/** Settings of one HTTP server. */
export interface HttpServerOptions {
  title: string;
  logger: Logger;
  metrics: ProcessMetrics;
  readiness: ReadinessCheck[];
  /** Route plugins, each mounted at the root (routes carry their own `/api/...` prefix). */
  plugins: FastifyPluginAsync[];
  bodyLimit?: number;
}

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

const requestLogger = (parent: Logger, bindings: Record<string, unknown>, options: { level?: string }): FastifyBaseLogger => lazyChild(parent, bindings, options) as unknown as FastifyBaseLogger;

/** Where the request's child logger leaves the traceparent it made for the request. */
const TRACEPARENT = Symbol('traceparent');

function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: Problem): FastifyReply {
  return reply.status(problem.status).type(PROBLEM_JSON).send({ ...problem, instance: request.url });
}

interface AjvError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
  keyword?: string;
}

function validationFields(error: FastifyError & { validation?: AjvError[]; validationContext?: string }): ProblemField[] {
  const where = ({ body: 'body', querystring: 'query', params: 'params', headers: 'headers' } as const)[
    (error.validationContext ?? 'body') as 'body' | 'querystring' | 'params' | 'headers'
  ] ?? 'body';
  return (error.validation ?? []).map((v) => {
    let pointer = v.instancePath ?? '';
    let reason = v.message ?? 'is not valid';
    const missing = v.params?.['missingProperty'];
    const extra = v.params?.['additionalProperty'];
    if (typeof missing === 'string') {
      pointer = `${pointer}/${missing}`;
      reason = 'is required';
    } else if (typeof extra === 'string') {
      pointer = `${pointer}/${extra}`;
      reason = 'is not an allowed field';
    } else if (v.keyword === 'enum' && Array.isArray(v.params?.['allowedValues'])) {
      reason = `must be one of ${(v.params['allowedValues'] as unknown[]).join(', ')}`;
    }
    return { field: fieldOf(pointer), pointer, in: where, reason };
  });
}

function ajvFor(coerceTypes: AjvOptions['coerceTypes']): Ajv {
  const ajv = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, coerceTypes, strict: false });
  addFormats.default(ajv);
  return ajv;
}

/**
 * Bodies are JSON and must carry the declared types: `12` is not a name. Query strings and path
 * parameters are text by nature and are coerced to the declared types.
 *
 * Each validator is compiled when first used rather than when its route is registered: the
 * embedded process has some 340 schemas, and compiling them all took half a second of its start.
 * Once the server listens, those not used yet are compiled in short slices between requests, so
 * a schema ajv cannot compile is still found (and logged) soon after the start, not first by
 * whoever sends that request. The validators that each request meets are the same either way.
 */
function installValidators(app: FastifyInstance, logger: Logger): void {
  const strict = ajvFor(false);
  const coercing = ajvFor('array');
  /** Each validator not compiled yet, with the route part it checks (for the log). */
  const uncompiled = new Map<() => ValidateFunction, string>();
  app.setValidatorCompiler(({ schema, httpPart, url, method }) => {
    // Bounded now, not at the compile: the API document reads the same schema objects.
    const bounded = boundNumbers(schema);
    let compiled: ValidateFunction | undefined;
    const compile = () => {
      uncompiled.delete(compile);
      return (compiled ??= (httpPart === 'body' ? strict : coercing).compile(bounded));
    };
    uncompiled.set(compile, `${method} ${url} ${httpPart ?? ''}`);
    // As ajv's own function: Fastify passes the request as the parent (so a coerced value is
    // written back) to a validator that has a schema environment.
    const validate = Object.assign(
      (data: unknown, context?: Parameters<ValidateFunction>[1]) => {
        const check = compile();
        const valid = check(data, context);
        validate.errors = check.errors ?? null;
        return valid;
      },
      { schemaEnv: true, errors: null as ErrorObject[] | null },
    ) satisfies ReturnType<FastifySchemaCompiler<unknown>>;
    return validate;
  });
  const slice = () => {
    const until = performance.now() + 5;
    for (const [compile, route] of uncompiled) {
      if (performance.now() > until) return void setImmediate(slice);
      try {
        compile();
      } catch (error) {
        logger.error({ err: error, route }, 'a route schema does not compile; its requests will fail');
      }
    }
  };
  app.addHook('onListen', (done) => {
    setImmediate(slice);
    done();
  });
}

/** The largest request body a route takes unless it says otherwise (1 MiB). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * One HTTP server: JSON in and out, schemas on every route, errors as RFC 9457 problem+json
 * naming the field and the reason, OpenAPI at `/docs`, and `/health`, `/ready`, `/metrics`.
 */
export async function buildHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const { logger, metrics } = options;
  const app = Fastify({
    loggerInstance: logger,
    genReqId: newRequestId,
    // One child logger per request, bound to its id and its trace at once (a second child made
    // in a hook cost as much again: pino prepares each child's bindings through the redaction).
    childLoggerFactory: (logger, bindings, options, raw) => {
      const header = raw.headers['traceparent'];
      const traceparent = childTraceparent(typeof header === 'string' ? header : undefined);
      (raw as { [TRACEPARENT]?: string })[TRACEPARENT] = traceparent;
      // `00-<trace id>-<span id>-<flags>`, as childTraceparent always makes it.
      return requestLogger(logger as Logger, { ...bindings, traceId: traceparent.slice(3, 35) }, options as { level?: string });
    },
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Plugins may do real work while they start (the gateway bundles its web UI): on a loaded
    // machine that outlasts Fastify's 10 s default, and a slow start is no reason to fail one.
    pluginTimeout: 180_000,
    // The router's own refusals (a path part over 100 characters, a path that is not a valid URL) are problems too.
    // A request the HTTP parser cannot take (its request line and headers over 16 KiB, say) is
    // answered as a problem too, and the connection closed, as the parser cannot go on with it.
    clientErrorHandler: (error, socket) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ECONNRESET' || socket.destroyed) return;
      const [status, slug, title, detail] =
        code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'headers-too-large', 'The request line and headers are too large', 'the request line and headers together are longer than this server reads (16 KiB); a long query belongs in a body']
          : code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'request-timeout', 'The request did not arrive in time', 'the request was not received in time']
            : [400, 'bad-request', 'Bad request', 'the request is not valid HTTP'];
      const body = JSON.stringify({ type: problemType(slug), title, status, detail });
      if (socket.writable) {
        socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_JSON}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      }
      socket.destroy(error);
    },
    frameworkErrors: (error, request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const status = tooLong ? 414 : (error.statusCode ?? 400) >= 500 ? 500 : (error.statusCode ?? 400);
      void sendProblem(reply, request, {
        type: problemType(tooLong ? 'uri-too-long' : 'bad-url'),
        title: tooLong ? 'A part of the path is too long' : 'The path is not a valid URL',
        status,
        detail: tooLong ? 'a path parameter is longer than 100 characters' : 'the path holds characters that are not valid in a URL',
        errors: [{ field: 'path', pointer: '', in: 'params', reason: tooLong ? 'has a part longer than 100 characters' : 'is not a valid URL' }],
      });
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  installValidators(app as unknown as FastifyInstance, logger);

  app.decorateRequest('traceparent', '');
  app.addHook('onRequest', (request, reply, done) => {
    const header = request.headers['traceparent'];
    request.traceparent = (request.raw as { [TRACEPARENT]?: string })[TRACEPARENT] ?? childTraceparent(typeof header === 'string' ? header : undefined);
    reply.header('traceparent', request.traceparent);
    done();
  });
  // After authorization and the schemas: text with a NUL or a lone surrogate is refused, naming the field, before any handler stores it.
  // Hooks of every request take a callback rather than return a promise: no promise per request.
  app.addHook('preHandler', (request, _reply, done) => {
    // A wildcard's value (`*`, the rest of a forwarded path at the gateway) is named as the path, as the router's own refusals name it.
    const { '*': rest, ...params } = (request.params ?? {}) as Record<string, unknown>;
    const inPath = unreadableText(rest, 'params').map((f) => ({ ...f, field: 'path' }));
    const found = [...inPath, ...unreadableText(params, 'params'), ...unreadableText(request.query, 'query'), ...unreadableText(request.body, 'body')];
    done(found.length > 0 ? invalidInput(found) : undefined);
  });
  app.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequestSeconds.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });

  app.setErrorHandler((thrown: FastifyError & { validation?: AjvError[]; validationContext?: string }, request, reply) => {
    const error = thrown instanceof Refusal ? problemOf(thrown) : thrown;
    if (error instanceof ProblemError) {
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
      return sendProblem(reply, request, error.toProblem());
    }
    if (error.validation) {
      const errors = validationFields(error);
      return sendProblem(reply, request, {
        type: problemType('validation-error'),
        title: 'The request is not valid',
        status: 400,
        detail: errors.map((e) => `${e.field || e.in}: ${e.reason}`).join('; '),
        errors,
      });
    }
    const status = error.statusCode ?? 500;
    if (status === 429) {
      return sendProblem(reply, request, { type: problemType('too-many-requests'), title: 'Too many requests', status, detail: 'slow down and try again shortly' });
    }
    if (status === 413) {
      return sendProblem(reply, request, { type: problemType('too-large'), title: 'Too large', status, detail: 'the request body is larger than this route accepts', errors: [{ field: 'body', pointer: '', in: 'body', reason: 'is larger than this route accepts' }] });
    }
    if (status === 415) {
      return sendProblem(reply, request, { type: problemType('unsupported-media-type'), title: 'Unsupported media type', status, detail: error.message, errors: [{ field: 'content-type', pointer: '', in: 'headers', reason: 'is not a type this route accepts' }] });
    }
    if (status >= 400 && status < 500) {
      const malformed = error instanceof SyntaxError || /JSON/i.test(error.code ?? '');
      return sendProblem(reply, request, {
        type: problemType(malformed ? 'malformed-body' : 'bad-request'),
        title: malformed ? 'The request body is not valid JSON' : 'Bad request',
        status,
        detail: malformed ? 'The body must be a JSON document' : error.message,
        ...(malformed ? { errors: [{ field: '', pointer: '', in: 'body' as const, reason: 'is not valid JSON' }] } : {}),
      });
    }
    if (databaseUnreachable(error)) {
      request.log.warn('the database is unreachable; answered 503');
      const problem = databaseUnavailable();
      reply.header('retry-after', String(problem.retryAfterSeconds));
      return sendProblem(reply, request, problem.toProblem());
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, request, { type: problemType('internal'), title: 'Internal error', status: 500, detail: 'The request could not be completed; it has been logged' });
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, { type: problemType('not-found'), title: 'Not found', status: 404, detail: `No route ${request.method} ${request.url.split('?')[0]}` }),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: options.title, version: '0.1.0', description: 'Five-bed linkage (五床联动) referral system' },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } }, async (request, reply) => {
    const failures: string[] = [];
    await Promise.all(
      options.readiness.map(async (r) => {
        try {
          await Promise.race([r.check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref())]);
        } catch (error) {
          failures.push(`${r.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
    if (failures.length > 0) {
      return sendProblem(reply, request, { type: problemType('not-ready'), title: 'Not ready', status: 503, detail: failures.join('; ') });
    }
    return { status: 'ready', checks: options.readiness.map((r) => r.name) };
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  for (const plugin of options.plugins) await app.register(plugin);
  return app as unknown as FastifyInstance;
}
