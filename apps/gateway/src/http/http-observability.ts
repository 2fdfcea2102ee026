import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { RequestContext } from '@app/shared/context/request-context';
import { MetricsService } from '@app/shared/observability/metrics.service';
import { redactUrl } from '@app/shared/security/redact-url';
import { REQUEST_CONTEXT } from './request-context.key';
import { HttpLifecycle } from './http-lifecycle';
import { REQUEST_ID_HEADER } from './request-id';

/**
 * Echoes the request id on every response (errors included), logs one line per request with its
 * correlation id, and records request count and latency by route template (not raw URL, which would
 * explode the label set).
 */
export function registerHttpObservability(fastify: FastifyInstance, logger: Logger, metrics: MetricsService, lifecycle: HttpLifecycle): void {
  const requests = metrics.counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
  });
  const latency = metrics.histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });

  fastify.addHook('onRequest', (req, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, req.id);
    done();
  });

  // A keep-alive connection whose request was still running when the stop began would otherwise hold the
  // server open for the whole keep-alive timeout; answering with `Connection: close` ends it with the reply.
  fastify.addHook('onSend', (_req, reply, _payload, done) => {
    if (lifecycle.stopping) void reply.header('connection', 'close');
    done();
  });

  fastify.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions?.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    latency.observe({ method: req.method, route }, seconds);
    const failed = reply.statusCode >= 500;
    // The line is only built when it will be written (at warn, the usual production level, a success is not).
    if (!logger.isLevelEnabled(failed ? 'error' : 'info')) return done();
    const ctx = (req as unknown as Record<string, unknown>)[REQUEST_CONTEXT] as RequestContext | undefined;
    const line = {
      correlationId: req.id,
      tenantId: ctx?.tenantId,
      userId: ctx?.actor.id,
      method: req.method,
      // A webhook's secret travels in its query string (MSG91 cannot sign): never into the log.
      url: redactUrl(req.url),
      route,
      statusCode: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (failed) logger.error(line, 'request failed');
    else logger.info(line, 'request completed');
    done();
  });
}
