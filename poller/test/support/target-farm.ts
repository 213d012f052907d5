/**
 * One local HTTP server with a path per target behaviour, healthy and
 * hostile, for scrape tests: slow, huge, compressed bombs, wrong content
 * types, redirects, malformed text.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

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
  close(): Promise<void>;
}

type Handler = (res: ServerResponse) => void;

const behaviours: Record<string, Handler> = {
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
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => (sent = Infinity));
    pump();
  },
  '/gzip-bomb': (res) => res.writeHead(200, { 'Content-Type': TEXT, 'Content-Encoding': 'gzip' }).end(GZIP_BOMB),
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
};

/** 100 MiB of zeros, gzipped to about 100 KB. */
const GZIP_BOMB = gzipSync(Buffer.alloc(100 * 1024 * 1024), { level: 9 });

export async function startTargetFarm(extra: Record<string, Handler> = {}): Promise<TargetFarm> {
  const routes = { ...behaviours, ...extra };
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req, res) => {
    const handler = routes[(req.url ?? '').split('?')[0]!];
    if (handler) handler(res);
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
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
