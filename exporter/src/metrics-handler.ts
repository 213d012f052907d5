/**
 * A `/metrics` (and `/healthz`) request handler that works on express and on
 * a bare `node:http` server: it only uses the node:http request/response API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { authChallenge, isAuthorized, type HttpAuthConfig } from '@chroma-monitor/shared';

export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Serves the registry's text exposition; 401 on bad credentials, 405 on other methods. */
export function createMetricsHandler(registry: Registry, auth: HttpAuthConfig | null): MetricsHandler {
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (!isAuthorized(req.headers.authorization, auth)) {
      res.writeHead(401, { 'WWW-Authenticate': authChallenge(auth!), 'Content-Type': 'text/plain' }).end('unauthorized\n');
      return;
    }
    try {
      const body = await registry.metrics();
      res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      // Every collector catches its own errors; reaching here means a bug, not a failed reading.
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics collection failed\n');
    }
  };
}

/** Routes /metrics to the handler, /healthz to 200, anything else to 404. */
export function createExporterRouter(handler: MetricsHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') void handler(req, res);
    else if (path === '/healthz') res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
    else res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  };
}
