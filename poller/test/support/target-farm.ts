/**
 * One local HTTP server with a path per target behaviour, healthy and
 * hostile, for scrape tests: slow, huge, compressed bombs, wrong content
 * types, redirects, malformed text.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip, gzipSync } from 'node:zlib';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';

export function exporterBody(service: string, values: { memoryRatio?: number; cpuSeconds?: number; diskRatio?: number } = {}): string {
  const GiB = 1024 ** 3;
  const disk = values.diskRatio ?? 0.5;
  return [
    '# HELP resource_memory_usage_ratio Memory used divided by the memory limit, 0..1.',
    '# TYPE resource_memory_usage_ratio gauge',
    `resource_memory_usage_ratio{service="${service}"} ${values.memoryRatio ?? 0.4}`,
    `resource_memory_used_bytes{service="${service}"} ${Math.round((values.memoryRatio ?? 0.4) * 512 * 1024 ** 2)}`,
    `resource_memory_limit_bytes{service="${service}"} ${512 * 1024 ** 2}`,
    '# TYPE resource_cpu_seconds_total counter',
    `resource_cpu_seconds_total{service="${service}"} ${values.cpuSeconds ?? 10}`,
    `resource_cpu_limit_cores{service="${service}"} 0.5`,
    `resource_cpu_usage_ratio{service="${service}"} 0.1`,
    `resource_disk_size_bytes{path="/data",service="${service}"} ${10 * GiB}`,
    `resource_disk_free_bytes{path="/data",service="${service}"} ${Math.round((1 - disk) * 10 * GiB)}`,
    `resource_disk_used_bytes{path="/data",service="${service}"} ${Math.round(disk * 10 * GiB)}`,
    `resource_disk_usage_ratio{path="/data",service="${service}"} ${disk}`,
    '',
  ].join('\n');
}

export interface TargetFarm {
  base: string;
  url(path: string): string;
  /** Body bytes the server handed to the socket for `path` so far (streamed paths count as they go). */
  bytesWritten(path: string): number;
  close(): Promise<void>;
}

type Handler = (res: ServerResponse, req: IncomingMessage) => void;

/** The bearer token /needs-token and /echo-auth expect; listed in the suite's secret scan. */
export const FARM_TOKEN = 'target-t0ken-s3cret';

/** 100 MiB of zeros, gzipped (about 100 KB) without holding the 100 MiB at once. */
async function gzipBomb(): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise<void>((resolve, reject) => gzip.once('end', resolve).once('error', reject));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < 100; i++) if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
  gzip.end();
  await done;
  return Buffer.concat(parts);
}

function behaviours(bomb: Buffer, written: Map<string, number>): Record<string, Handler> {
  const count = (path: string, bytes: number) => written.set(path, (written.get(path) ?? 0) + bytes);
  return {
    '/healthy': (res) => res.writeHead(200, { 'Content-Type': TEXT }).end(exporterBody('healthy')),
    '/never-answers': () => undefined,
    '/trickle': (res) => {
      res.writeHead(200, { 'Content-Type': TEXT });
      const timer = setInterval(() => res.write('#'), 1000);
      res.on('close', () => clearInterval(timer));
    },
    '/status-500': (res) => res.writeHead(500).end('boom'),
    '/status-503': (res) => res.writeHead(503).end('unavailable'),
    '/status-404': (res) => res.writeHead(404).end('no'),
    '/redirect': (res) => res.writeHead(302, { Location: 'http://127.0.0.2:1/metrics' }).end(),
    '/html': (res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<html><form>login</form></html>'),
    '/huge': (res) => {
      // 50 MB streamed in 64 KiB chunks, honouring backpressure; stops when the client goes away.
      res.writeHead(200, { 'Content-Type': TEXT });
      const chunk = Buffer.alloc(64 * 1024, '#');
      let sent = 0;
      const pump = () => {
        while (sent < 50 * 1024 * 1024) {
          sent += chunk.length;
          count('/huge', chunk.length);
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (sent = Infinity));
      pump();
    },
    '/gzip-bomb': (res) => res.writeHead(200, { 'Content-Type': TEXT, 'Content-Encoding': 'gzip' }).end(bomb),
    '/bad-gzip': (res) => res.writeHead(200, { 'Content-Type': TEXT, 'Content-Encoding': 'gzip' }).end('this is not gzip at all'),
    '/gzipped': (res) => res.writeHead(200, { 'Content-Type': TEXT, 'Content-Encoding': 'gzip' }).end(gzipSync(exporterBody('gzipped'))),
    '/malformed': (res) => res.writeHead(200, { 'Content-Type': TEXT }).end('ok_metric 1\nbroken_metric 12abc\n'),
    '/empty': (res) => res.writeHead(200, { 'Content-Type': TEXT }).end(''),
    '/no-content-type': (res) => res.writeHead(200).end(exporterBody('no-content-type')),
    '/cardinality-bomb': (res) => {
      res.writeHead(200, { 'Content-Type': TEXT });
      const lines: string[] = [];
      for (let i = 0; i < 100_000; i++) lines.push(`bomb{i="${i}"} 1`);
      res.end(lines.join('\n'));
    },
    '/impersonator': (res) => res.writeHead(200, { 'Content-Type': TEXT }).end(exporterBody('chroma-primary', { memoryRatio: 0.99 })),
    // Its own series (40%) next to series claiming another service (99%).
    '/impersonator-mixed': (res) =>
      res.writeHead(200, { 'Content-Type': TEXT }).end(exporterBody('chroma-replica', { memoryRatio: 0.4 }) + exporterBody('chroma-primary', { memoryRatio: 0.99 }).replace(/^# .*\n/gm, '')),
    // What the scraper sent, as labels, for a caller holding the token; 401 otherwise.
    '/needs-token': (res, req) => {
      if (req.headers.authorization !== `Bearer ${FARM_TOKEN}`) return void res.writeHead(401, { 'Content-Type': 'text/plain' }).end('unauthorized');
      const label = (name: string) => `${name.replace(/-/g, '_')}="${String(req.headers[name] ?? '').replace(/["\\]/g, '')}"`;
      res.writeHead(200, { 'Content-Type': TEXT }).end(`scrape_request{${['accept', 'accept-encoding', 'user-agent'].map(label).join(',')}} 1\n`);
    },
    // A 2 MiB datname label value, as a hostile or broken probe could serve (issue 11, fault 17).
    '/huge-label': (res) =>
      res.writeHead(200, { 'Content-Type': TEXT }).end(`pg_up 1\npg_database_size_bytes{datname="${'d'.repeat(2 * 1024 * 1024)}"} 123\n`),
    // Exactly at the limit: kept.
    '/label-at-limit': (res) => res.writeHead(200, { 'Content-Type': TEXT }).end(`pg_database_size_bytes{datname="${'d'.repeat(1024)}"} 123\n`),
    // A proxy that echoes the request's Authorization header into the body: the parse error quotes it.
    '/echo-auth': (res, req) => res.writeHead(200, { 'Content-Type': TEXT }).end(`ok_metric 1\necho ${req.headers.authorization ?? ''}\n`),
  };
}

export async function startTargetFarm(extra: Record<string, Handler> = {}): Promise<TargetFarm> {
  const written = new Map<string, number>();
  const routes = { ...behaviours(await gzipBomb(), written), ...extra };
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req, res) => {
    const handler = routes[(req.url ?? '').split('?')[0]!];
    if (handler) handler(res, req);
    else res.writeHead(404).end();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    url: (path) => `${base}${path}`,
    bytesWritten: (path) => written.get(path) ?? 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
