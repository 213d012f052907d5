/**
 * The poller's HTTP face (SPEC §5 HTTP): /metrics, /status, /healthz, the
 * status page at /, and the PostgreSQL probe at /probe/postgres. It reads
 * through the providers it is given and owns no state of its own.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import { closeHttp, listenHttp, type HttpAuthConfig } from '@chroma-monitor/shared';
import { authMiddleware } from './auth-middleware.js';
import { IMMUTABLE_CACHE, PAGE_ASSETS } from './page/page-assets.js';
import { securityHeaders } from './security-headers.js';

export interface HttpProviders {
  /** Credentials required on every route but /healthz, or null. */
  auth: HttpAuthConfig | null;
  /** Registries whose metrics /metrics serves, in order. */
  registries: () => readonly Registry[];
  /** The /status document. */
  status: () => Promise<unknown>;
  /** The status page HTML for a request's `?range=` and `?service=`. */
  page: (query: { range?: unknown; service?: unknown; refresh?: unknown }) => Promise<string>;
  /** Whether the scrape loop is running (drives /healthz). */
  healthy: () => boolean;
  /** The probe's /metrics handler when the config names a PostgreSQL probe. */
  probeHandler: ((req: IncomingMessage, res: ServerResponse) => void | Promise<void>) | null;
}

/** Builds the express app; exported separately so embedders can mount it. */
export function createHttpApp(providers: HttpProviders): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders());

  app.get('/healthz', (_req, res) => {
    const healthy = providers.healthy();
    res.status(healthy ? 200 : 503).type('text/plain').send(healthy ? 'ok\n' : 'not running\n');
  });

  // The page's stylesheet, script and favicon: static, no data in them, so served without auth
  // (a browser does not send a bearer token for subresources); hashed names, cached for a year.
  for (const asset of Object.values(PAGE_ASSETS)) {
    app.get(asset.path, (_req, res) => {
      res.set('Cache-Control', IMMUTABLE_CACHE).type(asset.contentType).send(asset.body);
    });
  }

  app.use(authMiddleware(providers.auth));

  app.get('/metrics', async (_req, res) => {
    const registries = providers.registries();
    const bodies = await Promise.all(registries.map((registry) => registry.metrics()));
    res.type(registries[0]?.contentType ?? 'text/plain; version=0.0.4; charset=utf-8').send(bodies.join(''));
  });

  app.get('/status', async (_req, res) => {
    res.set('Cache-Control', 'no-store').json(await providers.status());
  });

  app.get('/', async (req, res) => {
    res.set('Cache-Control', 'no-store').type('html').send(await providers.page({ range: req.query.range, service: req.query.service, refresh: req.query.refresh }));
  });

  const probe = providers.probeHandler;
  if (probe) app.get('/probe/postgres', (req, res) => void probe(req, res));

  app.use((_req, res) => {
    res.status(404).type('text/plain').send('not found\n');
  });
  return app;
}

export interface RunningHttpServer {
  server: Server;
  /** Base URL, e.g. http://127.0.0.1:9400 */
  url: string;
  close(): Promise<void>;
}

/** Listens on host:port (port 0 picks a free one). */
export async function startHttpServer(app: Express, host: string, port: number): Promise<RunningHttpServer> {
  const server = createServer(app);
  server.keepAliveTimeout = 5_000;
  const url = await listenHttp(server, port, host);
  return { server, url, close: () => closeHttp(server) };
}
