import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.js';

export const metricsPath = '/metrics';

/** Answers `GET /metrics` (Prometheus text format) on the main thread; returns false for any other request. */
export function answerMetrics(
  request: IncomingMessage,
  response: ServerResponse,
  registry: Registry,
  logger: Logger,
): boolean {
  if (request.url?.split('?', 1)[0] !== metricsPath) return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  registry.metrics().then(
    (text) => {
      response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : text);
    },
    (error: unknown) => {
      logger.error({ err: error }, 'collecting metrics failed');
      response.writeHead(500).end();
    },
  );
  return true;
}
